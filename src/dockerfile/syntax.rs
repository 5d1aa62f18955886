//! Codes of the diagnostics the parser itself reports. They are not rules: they cannot be switched off. Their pages
//! are in `crate::pages`.

/// BuildKit's parser rejects the file here (`docker build` fails before it starts).
pub const SYNTAX_ERROR: &str = "PLD001";
/// The parser accepts the line but BuildKit's instruction checks reject it (`docker build` fails).
pub const INVALID_INSTRUCTION: &str = "PLD002";
/// An empty line inside a continuation: BuildKit warns and says it will become an error.
pub const EMPTY_CONTINUATION_LINE: &str = "PLD003";
/// The file is not valid UTF-8; it was read with replacement characters.
pub const INVALID_UTF8: &str = "PLD004";

/// A suppression comment names a code that is not a rule (so it silences nothing).
pub const INVALID_SUPPRESSION: &str = "PLD005";

/// Every parser diagnostic code with its kebab-case name.
pub const CODES: &[(&str, &str)] = &[
    (SYNTAX_ERROR, "syntax-error"),
    (INVALID_INSTRUCTION, "invalid-instruction"),
    (EMPTY_CONTINUATION_LINE, "empty-continuation-line"),
    (INVALID_UTF8, "invalid-utf8"),
    (INVALID_SUPPRESSION, "invalid-suppression"),
];
