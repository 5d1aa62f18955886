//! Importing a `.hadolint.yaml`: its rule settings become a [`Config`]; see the module documentation for the keys.

use std::path::Path;

use super::{Config, ConfigError, ConfigKind, FailOn, one_of};
use crate::compose::yaml::{self, Node, NodeKind};
use crate::diagnostic::Severity;
use crate::source::Spanned;

const OVERRIDE_KEYS: [&str; 4] = ["error", "warning", "info", "style"];
const THRESHOLDS: [&str; 6] = ["error", "warning", "info", "style", "ignore", "none"];

/// Parses the text of a `.hadolint.yaml` read from `path`. The first error in the file (by position) is returned.
pub fn parse_hadolint(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let file = yaml::parse(text);
    if let Some(diagnostic) = file.diagnostics.iter().min_by_key(|d| d.range.start) {
        let message = if diagnostic.code == crate::compose::DUPLICATE_KEY {
            let key = text.get(diagnostic.range.as_usize()).unwrap_or_default();
            format!("the key `{key}` is set twice; keep one")
        } else if diagnostic.message.starts_with("invalid YAML") {
            diagnostic.message.clone()
        } else {
            format!("invalid YAML: {}", diagnostic.message)
        };
        return Err(ConfigError::at(path, text, diagnostic.range, message));
    }
    let mut config = Config::empty(path, ConfigKind::Hadolint, text);
    if let Some(extra) = file.documents.get(1) {
        return Err(ConfigError::at(path, text, extra.range, "a hadolint config holds one YAML document, not several"));
    }
    let Some(document) = file.documents.first() else { return Ok(config) };
    let root = &document.root;
    if root.is_null() {
        return Ok(config);
    }
    let mut reader = Reader { path, text, errors: Vec::new() };
    if !root.is_mapping() {
        reader.wrong_type("a hadolint config", "a mapping of settings", root);
    }
    for (key, entry) in root.entries() {
        let value = &entry.value;
        match key {
            "ignored" => config.ignore = reader.string_list(key, value),
            "trustedRegistries" => config.trusted_registries = reader.string_list(key, value),
            "override" => config.severity = reader.overrides(value),
            "failure-threshold" => config.fail_on = reader.threshold(value),
            "format"
            | "formats"
            | "label-schema"
            | "strict-labels"
            | "disable-ignore-pragma"
            | "no-color"
            | "no-fail"
            | "verbose" => {}
            // hadolint ignores keys it does not know, so a file it accepts must not fail here: teams moving off
            // hadolint keep their config as it is.
            _ => {}
        }
    }
    match reader.errors.into_iter().min_by_key(|e| e.range.map(|r| r.start)) {
        Some(error) => Err(error),
        None => Ok(config),
    }
}

struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    errors: Vec<ConfigError>,
}

impl Reader<'_> {
    fn wrong_type(&mut self, what: &str, expected: &str, node: &Node) {
        let message = format!("{what} must be {expected}, not {}", article(node.type_name()));
        self.errors.push(ConfigError::at(self.path, self.text, node.use_range(), message));
    }

    /// A scalar as text: hadolint codes and registries are written unquoted, and any scalar but null is a string.
    fn string(&mut self, what: &str, node: &Node) -> Option<Spanned<String>> {
        match &node.kind {
            NodeKind::Scalar(value) if !node.is_null() => Some(Spanned::new(value.clone(), node.use_range())),
            _ => {
                self.wrong_type(what, "a string", node);
                None
            }
        }
    }

    /// A list of strings, or one string (as hadolint accepts for `trustedRegistries`); null is an empty list.
    fn string_list(&mut self, key: &str, node: &Node) -> Vec<Spanned<String>> {
        if node.is_null() {
            return Vec::new();
        }
        match node.as_sequence() {
            Some(items) => {
                let what = format!("each item of `{key}`");
                items.iter().filter_map(|item| self.string(&what, item)).collect()
            }
            None if node.is_scalar() => self.string(&format!("`{key}`"), node).into_iter().collect(),
            None => {
                self.wrong_type(&format!("`{key}`"), "a list of strings", node);
                Vec::new()
            }
        }
    }

    fn overrides(&mut self, node: &Node) -> Vec<(Spanned<String>, Spanned<Severity>)> {
        if node.is_null() {
            return Vec::new();
        }
        if !node.is_mapping() {
            self.wrong_type("`override`", "a mapping from severity to codes", node);
            return Vec::new();
        }
        let mut out = Vec::new();
        for (level, entry) in node.entries() {
            let severity = match level {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                // plimsoll has no `style` severity; style findings are informational.
                "info" | "style" => Severity::Info,
                _ => {
                    let message =
                        format!("unknown key `{level}` in `override`; valid keys are {}", one_of(&OVERRIDE_KEYS));
                    self.errors.push(ConfigError::at(self.path, self.text, entry.key.range, message));
                    continue;
                }
            };
            let severity = Spanned::new(severity, entry.key.range);
            for code in self.string_list(&format!("override.{level}"), &entry.value) {
                out.push((code, severity.clone()));
            }
        }
        out
    }

    fn threshold(&mut self, node: &Node) -> Option<FailOn> {
        let text = self.string("`failure-threshold`", node)?;
        let fail_on = match text.value.as_str() {
            "error" => FailOn::Error,
            "warning" => FailOn::Warning,
            "info" | "style" => FailOn::Info,
            "ignore" | "none" => FailOn::Never,
            other => {
                let message = format!("invalid `failure-threshold` value `{other}`; expected {}", one_of(&THRESHOLDS));
                self.errors.push(ConfigError::at(self.path, self.text, text.range, message));
                return None;
            }
        };
        Some(fail_on)
    }
}

fn article(type_name: &str) -> String {
    match type_name {
        "null" => "null".to_owned(),
        name if name.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {name}"),
        name => format!("a {name}"),
    }
}
