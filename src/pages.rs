//! The pages of the codes that are not rules and cannot be switched off: the Dockerfile parser's (`PLD001`–`PLD005`)
//! and the Compose loader's (`PLC001`–`PLC014`, but `PLC011`). A file Docker cannot read is never fine, so no
//! selection, configuration or pragma drops them; they have pages so that `plimsoll explain` and the formats' links
//! (SARIF `helpUri`, rdjson, the language server) work for every code plimsoll prints. The loader codes that can be
//! switched off are in `compose::checks::SWITCHABLE`.

use crate::compose;
use crate::diagnostic::Severity;
use crate::dockerfile::syntax;
use crate::rules::{Equivalents, FixAvailability, RuleMeta, Target};

const fn page(
    code: &'static str,
    name: &'static str,
    summary: &'static str,
    severity: Severity,
    target: Target,
    page: &'static str,
) -> RuleMeta {
    RuleMeta {
        code,
        name,
        summary,
        severity,
        target,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents::NONE,
        page,
    }
}

/// Every code that cannot be switched off, in code order, with its usual severity.
pub static FIXED: &[RuleMeta] = &[
    page(
        syntax::SYNTAX_ERROR,
        "syntax-error",
        "BuildKit's parser rejects the Dockerfile here",
        Severity::Error,
        Target::Dockerfile,
        include_str!("../lints/PLD001-syntax-error.md"),
    ),
    page(
        syntax::INVALID_INSTRUCTION,
        "invalid-instruction",
        "An instruction or flag BuildKit's checks reject",
        Severity::Error,
        Target::Dockerfile,
        include_str!("../lints/PLD002-invalid-instruction.md"),
    ),
    page(
        syntax::EMPTY_CONTINUATION_LINE,
        "empty-continuation-line",
        "An empty line inside a continuation",
        Severity::Warning,
        Target::Dockerfile,
        include_str!("../lints/PLD003-empty-continuation-line.md"),
    ),
    page(
        syntax::INVALID_UTF8,
        "invalid-utf8",
        "The file is not valid UTF-8",
        Severity::Warning,
        Target::Dockerfile,
        include_str!("../lints/PLD004-invalid-utf8.md"),
    ),
    page(
        syntax::INVALID_SUPPRESSION,
        "invalid-suppression",
        "A suppression comment names a code that is not a rule",
        Severity::Warning,
        Target::Dockerfile,
        include_str!("../lints/PLD005-invalid-suppression.md"),
    ),
    page(
        compose::YAML_SYNTAX_ERROR,
        "yaml-syntax-error",
        "The YAML cannot be loaded",
        Severity::Error,
        Target::Compose,
        include_str!("../lints/PLC001-yaml-syntax-error.md"),
    ),
    page(
        compose::DUPLICATE_KEY,
        "duplicate-key",
        "A mapping has the same key twice",
        Severity::Warning,
        Target::Compose,
        include_str!("../lints/PLC002-duplicate-key.md"),
    ),
    page(
        compose::YAML_LIMIT_EXCEEDED,
        "yaml-limit-exceeded",
        "The YAML nests too deeply or expands too many aliases",
        Severity::Error,
        Target::Compose,
        include_str!("../lints/PLC003-yaml-limit-exceeded.md"),
    ),
    page(
        compose::INVALID_INTERPOLATION,
        "invalid-interpolation",
        "A `${…}` expression that cannot be read",
        Severity::Error,
        Target::Compose,
        include_str!("../lints/PLC004-invalid-interpolation.md"),
    ),
    page(
        compose::MISSING_REQUIRED_VARIABLE,
        "missing-required-variable",
        "`${VAR:?message}` with VAR unset: Compose refuses the project",
        Severity::Warning,
        Target::Compose,
        include_str!("../lints/PLC005-missing-required-variable.md"),
    ),
    page(
        compose::UNKNOWN_KEY,
        "unknown-key",
        "A key the Compose specification does not have",
        Severity::Error,
        Target::Compose,
        include_str!("../lints/PLC006-unknown-key.md"),
    ),
    page(
        compose::WRONG_TYPE,
        "wrong-type",
        "A value of the wrong type for its key",
        Severity::Error,
        Target::Compose,
        include_str!("../lints/PLC007-wrong-type.md"),
    ),
    page(
        compose::INVALID_EXTENDS,
        "invalid-extends",
        "An `extends` that cannot be followed",
        Severity::Error,
        Target::Compose,
        include_str!("../lints/PLC008-invalid-extends.md"),
    ),
    page(
        compose::INVALID_INCLUDE,
        "invalid-include",
        "An `include` that cannot be followed",
        Severity::Error,
        Target::Compose,
        include_str!("../lints/PLC009-invalid-include.md"),
    ),
    page(
        compose::INVALID_VALUE,
        "invalid-value",
        "A value Compose cannot read for its key",
        Severity::Error,
        Target::Compose,
        include_str!("../lints/PLC012-invalid-value.md"),
    ),
    page(
        compose::EMPTY_FILE,
        "empty-file",
        "A Compose file with no content",
        Severity::Error,
        Target::Compose,
        include_str!("../lints/PLC013-empty-file.md"),
    ),
    page(
        compose::DEPENDENCY_CYCLE,
        "dependency-cycle",
        "Services that depend on each other in a circle",
        Severity::Error,
        Target::Compose,
        include_str!("../lints/PLC014-dependency-cycle.md"),
    ),
];

/// The page of the code (or name) that cannot be switched off.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    FIXED.iter().find(|m| m.code.eq_ignore_ascii_case(code_or_name) || m.name == code_or_name)
}
