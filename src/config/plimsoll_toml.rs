//! Reading `plimsoll.toml` from toml's span tree, so that every error points at its text.

use std::path::Path;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::de::{DeTable, DeValue};

use super::{Config, ConfigError, ConfigKind, FailOn, PathIgnore, one_of};
use crate::diagnostic::Severity;
use crate::source::{Spanned, TextRange};

type TomlSpanned<T> = toml::Spanned<T>;

const KEYS: [&str; 9] = [
    "extend",
    "select",
    "extend-select",
    "ignore",
    "fail-on",
    "trusted-registries",
    "severity",
    "per-path-ignores",
    "rules",
];
const SEVERITIES: [&str; 3] = ["error", "warning", "info"];
const FAIL_ON: [&str; 4] = ["error", "warning", "info", "never"];
const PATH_IGNORE_KEYS: [&str; 2] = ["path", "ignore"];

/// Parses the text of a `plimsoll.toml` read from `path`. The first error in the file (by position) is returned.
pub fn parse_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let root = DeTable::parse(text).map_err(|err| {
        let range = err.span().map_or(TextRange::empty(0), |span| TextRange::from_usize(span.start, span.end));
        ConfigError::at(path, text, range, format!("invalid TOML: {}", err.message().trim_end()))
    })?;
    let mut reader = Reader { path, text, errors: Vec::new() };
    let mut config = Config::empty(path, ConfigKind::Plimsoll, text);
    for (key, value) in root.get_ref() {
        let name: &str = key.get_ref();
        match name {
            "extend" => config.extend = reader.string("`extend`", value),
            "select" => config.select = reader.string_list(name, value),
            "extend-select" => config.extend_select = reader.string_list(name, value).unwrap_or_default(),
            "ignore" => config.ignore = reader.string_list(name, value).unwrap_or_default(),
            "trusted-registries" => config.trusted_registries = reader.string_list(name, value).unwrap_or_default(),
            "fail-on" => config.fail_on = reader.fail_on(value),
            "severity" => config.severity = reader.severity(value),
            "per-path-ignores" => config.per_path_ignores = reader.per_path_ignores(value),
            "rules" => reader.rules(value, &mut config),
            _ => reader.unknown_key(key, &KEYS, "in plimsoll.toml"),
        }
    }
    match reader.errors.into_iter().min_by_key(|e| e.range.map(|r| r.start)) {
        Some(error) => Err(error),
        None => {
            config.rule_option_selectors.sort_by_key(|selector| selector.range.start);
            config.severity.sort_by_key(|(selector, _)| selector.range.start);
            config.per_path_ignores.sort_by_key(|ignore| ignore.glob.range.start);
            Ok(config)
        }
    }
}

fn range_of<T>(spanned: &TomlSpanned<T>) -> TextRange {
    let span = spanned.span();
    TextRange::from_usize(span.start, span.end)
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    errors: Vec<ConfigError>,
}

impl Reader<'_> {
    fn error(&mut self, range: TextRange, message: String) {
        self.errors.push(ConfigError::at(self.path, self.text, range, message));
    }

    fn unknown_key(&mut self, key: &TomlSpanned<toml::de::DeString<'_>>, valid: &[&str], place: &str) {
        let name: &str = key.get_ref();
        let mut message = format!("unknown key `{name}` {place}; valid keys are {}", one_of(valid));
        let dashed = name.replace('_', "-");
        if dashed != name && valid.contains(&dashed.as_str()) {
            message.push_str(&format!(" (did you mean `{dashed}`?)"));
        }
        self.error(range_of(key), message);
    }

    fn string(&mut self, what: &str, value: &TomlSpanned<DeValue<'_>>) -> Option<Spanned<String>> {
        match value.get_ref() {
            DeValue::String(s) => Some(Spanned::new(s.to_string(), range_of(value))),
            other => {
                self.error(range_of(value), format!("{what} must be a string, not {}", type_name(other)));
                None
            }
        }
    }

    fn string_list(&mut self, key: &str, value: &TomlSpanned<DeValue<'_>>) -> Option<Vec<Spanned<String>>> {
        let DeValue::Array(items) = value.get_ref() else {
            let hint =
                if matches!(value.get_ref(), DeValue::String(_)) { " (write it in brackets: [\"...\"])" } else { "" };
            let message = format!("`{key}` must be an array of strings, not {}{hint}", type_name(value.get_ref()));
            self.error(range_of(value), message);
            return None;
        };
        let what = format!("each item of `{key}`");
        Some(items.iter().filter_map(|item| self.string(&what, item)).collect())
    }

    fn fail_on(&mut self, value: &TomlSpanned<DeValue<'_>>) -> Option<FailOn> {
        let text = self.string("`fail-on`", value)?;
        let fail_on = match text.value.as_str() {
            "error" => FailOn::Error,
            "warning" => FailOn::Warning,
            "info" => FailOn::Info,
            "never" => FailOn::Never,
            other => {
                let message = format!("invalid `fail-on` value `{other}`; expected {}", one_of(&FAIL_ON));
                self.error(text.range, message);
                return None;
            }
        };
        Some(fail_on)
    }

    fn table<'v, 'i>(&mut self, key: &str, value: &'v TomlSpanned<DeValue<'i>>) -> Option<&'v DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(table) => Some(table),
            other => {
                self.error(range_of(value), format!("`{key}` must be a table, not {}", type_name(other)));
                None
            }
        }
    }

    fn severity(&mut self, value: &TomlSpanned<DeValue<'_>>) -> Vec<(Spanned<String>, Spanned<Severity>)> {
        let Some(table) = self.table("severity", value) else { return Vec::new() };
        let mut out = Vec::new();
        for (key, value) in table {
            let selector = Spanned::new(key.get_ref().to_string(), range_of(key));
            let what = format!("the severity of `{}`", selector.value);
            let Some(text) = self.string(&what, value) else { continue };
            let severity = match text.value.as_str() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "info" => Severity::Info,
                other => {
                    let message = format!(
                        "invalid severity `{other}` for `{}`; expected {}",
                        selector.value,
                        one_of(&SEVERITIES)
                    );
                    self.error(text.range, message);
                    continue;
                }
            };
            out.push((selector, Spanned::new(severity, text.range)));
        }
        out
    }

    fn per_path_ignores(&mut self, value: &TomlSpanned<DeValue<'_>>) -> Vec<PathIgnore> {
        let mut out = Vec::new();
        match value.get_ref() {
            // `"legacy/**" = ["PLD201"]`
            DeValue::Table(table) => {
                for (key, selectors) in table {
                    let glob = Spanned::new(key.get_ref().to_string(), range_of(key));
                    let what = format!("per-path-ignores.\"{}\"", glob.value);
                    if let Some(selectors) = self.string_list(&what, selectors) {
                        self.path_ignore(glob, selectors, &mut out);
                    }
                }
            }
            // `[[per-path-ignores]]` with `path` and `ignore`
            DeValue::Array(entries) => {
                for entry in entries.iter() {
                    let Some(table) = self.table("each item of `per-path-ignores`", entry) else { continue };
                    let (mut glob, mut selectors, mut unknown) = (None, None, false);
                    for (key, value) in table {
                        match &**key.get_ref() {
                            "path" => glob = self.string("`path`", value),
                            "ignore" => selectors = self.string_list("ignore", value),
                            _ => {
                                unknown = true;
                                self.unknown_key(key, &PATH_IGNORE_KEYS, "in a `per-path-ignores` entry");
                            }
                        }
                    }
                    if unknown {
                        // A misspelt `path` or `ignore` says more than the entry missing it.
                        continue;
                    }
                    match (glob, selectors) {
                        (Some(glob), Some(selectors)) => self.path_ignore(glob, selectors, &mut out),
                        (None, _) if !table.contains_key("path") => self.error(
                            range_of(entry),
                            "a `per-path-ignores` entry needs `path` (a glob) and `ignore` (rule selectors)".to_owned(),
                        ),
                        (_, None) if !table.contains_key("ignore") => self.error(
                            range_of(entry),
                            "a `per-path-ignores` entry needs `ignore` (rule selectors) besides `path`".to_owned(),
                        ),
                        _ => {}
                    }
                }
            }
            other => self.error(
                range_of(value),
                format!(
                    "`per-path-ignores` must be a table of globs to rule lists or an array of tables, not {}",
                    type_name(other)
                ),
            ),
        }
        out
    }

    fn path_ignore(&mut self, glob: Spanned<String>, selectors: Vec<Spanned<String>>, out: &mut Vec<PathIgnore>) {
        let range = glob.range;
        match PathIgnore::new(glob, selectors) {
            Ok(ignore) => out.push(ignore),
            Err(message) => self.error(range, message),
        }
    }

    fn rules(&mut self, value: &TomlSpanned<DeValue<'_>>, config: &mut Config) {
        let Some(table) = self.table("rules", value) else { return };
        for (key, options) in table {
            let selector = Spanned::new(key.get_ref().to_string(), range_of(key));
            let DeValue::Table(_) = options.get_ref() else {
                let message = format!(
                    "`rules.{}` must be a table of the rule's options, not {}",
                    selector.value,
                    type_name(options.get_ref())
                );
                self.error(range_of(options), message);
                continue;
            };
            match toml::Table::deserialize(options.clone().into_deserializer()) {
                Ok(table) => {
                    config.rule_options.insert(selector.value.clone(), table);
                    config.rule_option_selectors.push(selector);
                }
                Err(err) => {
                    let range = err.span().map_or(selector.range, |s| TextRange::from_usize(s.start, s.end));
                    self.error(range, format!("invalid options for `{}`: {}", selector.value, err.message()));
                }
            }
        }
    }
}
