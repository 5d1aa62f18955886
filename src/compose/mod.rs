//! Docker Compose files: the YAML span tree first; the model, interpolation and merging build on it.

pub mod yaml;

/// `PLC001`: the YAML cannot be loaded: a syntax error, an alias to an unknown anchor or to the node that
/// contains it, or a merge key `<<` whose value is not a mapping. Severity: error.
pub const YAML_SYNTAX_ERROR: &str = "PLC001";

/// `PLC002`: a mapping has the same key twice. The later value wins here; Compose refuses such files.
/// Severity: warning.
pub const DUPLICATE_KEY: &str = "PLC002";

/// `PLC003`: the file nests too deeply or expands too many aliases (an "alias bomb"); the content past the
/// limit is left out. Severity: error.
pub const YAML_LIMIT_EXCEEDED: &str = "PLC003";
