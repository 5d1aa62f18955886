//! plimsoll's configuration: `plimsoll.toml` (or `.plimsoll.toml`), or an imported `.hadolint.yaml`.
//!
//! # `plimsoll.toml`
//!
//! ```toml
//! extend = "../org/plimsoll.toml"   # start from another configuration (a path from this file's folder)
//! select = ["PLD", "PLC1"]          # default: every rule that is not opt-in
//! extend-select = ["PLD605"]        # add opt-in rules to the selection
//! ignore = ["PLD201", "root-user"]  # turn rules off
//! fail-on = "warning"               # error | warning | info | never: the lowest severity that fails the run
//! trusted-registries = ["docker.io", "registry.corp.example/*", "*.gcr.io"]
//!
//! [severity]                        # per-rule severity: error | warning | info
//! PLD101 = "error"
//!
//! [[per-path-ignores]]              # rules to turn off for some files
//! path = "legacy/**"
//! ignore = ["PLD201"]
//!
//! [rules.PLD101]                    # options of one rule, read by that rule
//! allow = ["scratch"]
//! ```
//!
//! `extend` names a configuration this one builds on, as ruff's `extend` does: an organisation sets its policy
//! (trusted registries, severities, `fail-on`) once, and each repository's file adds to it. The extended file may
//! itself extend another. This file's `select` and `fail-on` replace the extended ones when given; `extend-select`,
//! `ignore`, `severity`, `trusted-registries`, `per-path-ignores` (each glob relative to its own file's folder) add
//! to them, later files winning for severities; `[rules.X]` tables replace the extended file's table for that rule.
//! A missing file or a cycle is an error at the `extend` value.
//!
//! `per-path-ignores` may also be written as a table from glob to selectors:
//! `[per-path-ignores]` then `"legacy/**" = ["PLD201"]`.
//!
//! A **selector** names rules: a code (`PLD201`), a kebab-case name (`root-user`), a code prefix (`PLD2`, `PLD`,
//! `PLC`) or a category name; an imported hadolint file uses hadolint codes (`DL3002`). Selectors are kept as
//! written, with their position, and checked against the rule registry later by [`Config::validate`].
//!
//! Path globs are relative to the folder of the config file. `*` and `?` stay within one path component and `**`
//! crosses folders. As in `.gitignore`, a glob without `/` matches a file or folder name at any depth
//! (`Dockerfile.*`, `legacy`); a glob with `/` matches the path from the config's folder (`legacy/**`).
//!
//! Unknown keys, values of the wrong type, unknown severities and invalid globs are errors that point at the
//! offending text ([`ConfigError`] prints `path:line:col: message`).
//!
//! # Discovery
//!
//! [`discover`] walks up from a folder. The nearest `plimsoll.toml` (or `.plimsoll.toml`; `plimsoll.toml` wins
//! when a folder has both) is used alone: configs are not merged. When there is none up to the root, the nearest
//! `.hadolint.yaml` (or `.hadolint.yml`) is imported.
//!
//! hadolint itself reads only `$PWD/.hadolint.yaml` and files in the user's config and home folders, so its result
//! depends on where it is started. Walking up from the linted file finds the project's file from any working
//! directory, from an editor, and in a monorepo where each project keeps its own; a file in the home folder is
//! still found for projects under it.
//!
//! # Imported `.hadolint.yaml`
//!
//! | hadolint key         | plimsoll                                                                      |
//! |----------------------|-------------------------------------------------------------------------------|
//! | `ignored`            | `ignore`                                                                      |
//! | `trustedRegistries`  | `trusted-registries` (a string or a list)                                     |
//! | `override`           | `severity`: `error`, `warning`, `info` lists; `style` becomes `info`           |
//! | `failure-threshold`  | `fail-on`: `error`, `warning`, `info`; `style` becomes `info`, `ignore` and `none` become `never` |
//!
//! Accepted and ignored (they are about hadolint's own output and options, which plimsoll sets on its command
//! line or does not have): `format`, `formats`, `label-schema`, `strict-labels`, `disable-ignore-pragma`,
//! `no-color`, `no-fail`, `verbose`. Any other key is an error, since hadolint would silently ignore a misspelt
//! key such as `ignore:` and leave the user wondering why nothing changed. An empty file is an empty config
//! (hadolint refuses it, which helps nobody).

mod hadolint;
mod plimsoll_toml;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use crate::diagnostic::Severity;
use crate::source::{LineIndex, Spanned, TextRange};

pub use hadolint::parse_hadolint;
pub use plimsoll_toml::parse_toml;

/// Config file names, nearest folder first, in the order they are tried within one folder.
pub const PLIMSOLL_FILE_NAMES: [&str; 2] = ["plimsoll.toml", ".plimsoll.toml"];
/// hadolint config file names that are imported when no plimsoll config is found.
pub const HADOLINT_FILE_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

/// The lowest severity that makes a run fail. The default, `Info`, fails on any finding (as hadolint does).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FailOn {
    Error,
    Warning,
    #[default]
    Info,
    /// Never fail on findings.
    Never,
}

impl FailOn {
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::Never => "never",
        }
    }

    /// Whether a finding of this severity fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

/// Which format a config was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConfigKind {
    /// `plimsoll.toml` or `.plimsoll.toml`.
    Plimsoll,
    /// An imported `.hadolint.yaml` or `.hadolint.yml`.
    Hadolint,
}

/// Where a config came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigSource {
    pub path: PathBuf,
    pub kind: ConfigKind,
}

/// Rules to turn off for the files that a glob matches.
#[derive(Clone, Debug)]
pub struct PathIgnore {
    /// The glob as written, relative to the config file's folder.
    pub glob: Spanned<String>,
    pub selectors: Vec<Spanned<String>>,
    matcher: GlobMatcher,
    /// The glob has no `/`: it matches a name at any depth.
    name_only: bool,
}

impl PathIgnore {
    /// Compiles `glob`; the error message says what is wrong with it.
    fn new(glob: Spanned<String>, selectors: Vec<Spanned<String>>) -> Result<Self, String> {
        let trimmed = glob.value.strip_prefix("./").unwrap_or(&glob.value);
        let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
        if trimmed.is_empty() {
            return Err("the path glob is empty".to_owned());
        }
        let matcher = GlobBuilder::new(trimmed)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|err| format!("invalid glob `{}`: {}", glob.value, err.kind()))?
            .compile_matcher();
        let name_only = !trimmed.contains('/');
        Ok(PathIgnore { glob, selectors, matcher, name_only })
    }

    /// Whether the glob matches a path given relative to the config's folder, as `/`-separated components.
    fn matches(&self, components: &[&str]) -> bool {
        if self.name_only {
            components.iter().any(|name| self.matcher.is_match(name))
        } else {
            // A glob that names a folder (`legacy/old`) covers everything inside it.
            (1..=components.len()).any(|n| self.matcher.is_match(components[..n].join("/")))
        }
    }
}

/// plimsoll's configuration, from one file.
#[derive(Clone, Debug)]
pub struct Config {
    /// The rules to run; `None` means every rule that is not opt-in.
    pub select: Option<Vec<Spanned<String>>>,
    /// Rules added to the selection (opt-in rules).
    pub extend_select: Vec<Spanned<String>>,
    pub ignore: Vec<Spanned<String>>,
    /// Per-rule severity, in file order (a later entry for the same selector wins).
    pub severity: Vec<(Spanned<String>, Spanned<Severity>)>,
    pub fail_on: Option<FailOn>,
    /// Registry globs (`docker.io`, `*.gcr.io`, `registry.corp.example/*`).
    pub trusted_registries: Vec<Spanned<String>>,
    pub per_path_ignores: Vec<PathIgnore>,
    /// Options of each rule, by the selector written in `[rules.<selector>]`.
    pub rule_options: BTreeMap<String, toml::Table>,
    /// The `<selector>` of each `[rules.<selector>]`, with its position, for [`Config::validate`].
    pub rule_option_selectors: Vec<Spanned<String>>,
    pub source: ConfigSource,
    /// `extend = "…"` as written: the configuration this one builds on.
    pub extend: Option<Spanned<String>>,
    /// That configuration, loaded (with what it extends in turn).
    pub extended: Option<Box<Config>>,
    /// The config file's text, to turn ranges into lines and columns.
    text: String,
}

impl Config {
    fn empty(path: &Path, kind: ConfigKind, text: &str) -> Self {
        Config {
            select: None,
            extend_select: Vec::new(),
            ignore: Vec::new(),
            severity: Vec::new(),
            fail_on: None,
            trusted_registries: Vec::new(),
            per_path_ignores: Vec::new(),
            rule_options: BTreeMap::new(),
            rule_option_selectors: Vec::new(),
            source: ConfigSource { path: path.to_owned(), kind },
            extend: None,
            extended: None,
            text: text.to_owned(),
        }
    }

    /// The folder that path globs are relative to.
    pub fn base_dir(&self) -> &Path {
        self.source.path.parent().unwrap_or(Path::new(""))
    }

    /// Every selector in the config, with its position: `select`, `extend-select`, `ignore`, `severity` keys,
    /// per-path ignores and `[rules.<selector>]`.
    pub fn selectors(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore)
            .chain(self.severity.iter().map(|(selector, _)| selector))
            .chain(self.per_path_ignores.iter().flat_map(|p| &p.selectors))
            .chain(&self.rule_option_selectors)
    }

    /// The files this configuration is made of: the one it extends (and so on) first, this one last.
    pub fn layers(&self) -> Vec<&Config> {
        let mut layers = vec![self];
        while let Some(parent) = layers.last().and_then(|c| c.extended.as_deref()) {
            layers.push(parent);
        }
        layers.reverse();
        layers
    }

    /// The rules to run, from the nearest layer that says (`None`: every rule that is not opt-in).
    pub fn effective_select(&self) -> Option<&[Spanned<String>]> {
        self.layers().into_iter().rev().find_map(|c| c.select.as_deref())
    }

    /// `extend-select` of every layer.
    pub fn effective_extend_select(&self) -> Vec<&Spanned<String>> {
        self.layers().into_iter().flat_map(|c| &c.extend_select).collect()
    }

    /// `ignore` of every layer.
    pub fn effective_ignore(&self) -> Vec<&Spanned<String>> {
        self.layers().into_iter().flat_map(|c| &c.ignore).collect()
    }

    /// Severity overrides of every layer, the extended files' first (later entries win).
    pub fn effective_severity(&self) -> Vec<&(Spanned<String>, Spanned<Severity>)> {
        self.layers().into_iter().flat_map(|c| &c.severity).collect()
    }

    /// `fail-on` from the nearest layer that sets it.
    pub fn effective_fail_on(&self) -> Option<FailOn> {
        self.layers().into_iter().rev().find_map(|c| c.fail_on)
    }

    /// One error for each selector that `known` does not accept, with its position (in the file it is written
    /// in), the extended files' first, each in file order.
    pub fn validate(&self, known: &dyn Fn(&str) -> bool) -> Vec<ConfigError> {
        let mut errors = self.extended.as_ref().map(|parent| parent.validate(known)).unwrap_or_default();
        errors.extend(self.validate_own(known));
        errors
    }

    fn validate_own(&self, known: &dyn Fn(&str) -> bool) -> Vec<ConfigError> {
        let mut errors: Vec<ConfigError> = self
            .selectors()
            .filter(|selector| !known(&selector.value))
            .map(|selector| {
                let message = crate::rules::unknown_selector_message(&selector.value);
                ConfigError::at(&self.source.path, &self.text, selector.range, message)
            })
            .collect();
        errors.sort_by_key(|e| e.range.map(|r| r.start));
        errors
    }

    /// The per-path ignores whose glob matches `path` (absolute, or relative to the working directory).
    pub fn path_ignores_for(&self, path: &Path) -> impl Iterator<Item = &PathIgnore> {
        let relative = relative_components(self.base_dir(), path);
        self.per_path_ignores.iter().filter(move |ignore| {
            relative.as_ref().is_some_and(|components| ignore.matches(&components_str(components)))
        })
    }

    /// The selectors turned off for `path` by the per-path ignores of every layer (each layer's globs relative to
    /// its own file's folder).
    pub fn ignored_selectors_for(&self, path: &Path) -> Vec<&Spanned<String>> {
        self.layers().into_iter().flat_map(|c| c.path_ignores_for(path)).flat_map(|ignore| &ignore.selectors).collect()
    }

    /// Whether a rule is turned off for `path` by a per-path ignore: `selector_matches` says whether a selector
    /// names the rule (the rule registry knows codes, names, prefixes and categories).
    pub fn is_path_ignored(&self, path: &Path, selector_matches: &dyn Fn(&str) -> bool) -> bool {
        self.ignored_selectors_for(path).into_iter().any(|selector| selector_matches(&selector.value))
    }

    /// What the rules read from this configuration ([`crate::rules::Settings`]).
    pub fn rule_settings(&self) -> crate::rules::Settings {
        let layers = self.layers();
        let trusted = layers.iter().flat_map(|c| &c.trusted_registries).map(|s| s.value.clone()).collect();
        crate::rules::Settings { trusted_registries: trusted }
    }

    /// The options of a rule, written under `[rules.<code>]` or `[rules.<name>]` (the code's table first), in the
    /// nearest layer that has a table for it.
    pub fn options_for(&self, code: &str, name: &str) -> Option<&toml::Table> {
        self.layers().into_iter().rev().find_map(|c| c.rule_options.get(code).or_else(|| c.rule_options.get(name)))
    }
}

/// The components of `path` relative to `base`, or `None` when `path` is outside `base`.
fn relative_components(base: &Path, path: &Path) -> Option<Vec<String>> {
    let base = std::path::absolute(base).ok()?;
    let path = std::path::absolute(path).ok()?;
    let base = crate::paths::clean(&base);
    let path = crate::paths::clean(&path);
    let rest = path.strip_prefix(&base).ok()?;
    Some(rest.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect())
}

fn components_str(components: &[String]) -> Vec<&str> {
    components.iter().map(String::as_str).collect()
}

/// A config file that cannot be read or is invalid: what is wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
    /// The byte range in the config file, when the error is about some text in it.
    pub range: Option<TextRange>,
    /// 1-based line and column (in bytes) of `range.start`.
    pub line_col: Option<(u32, u32)>,
}

impl ConfigError {
    /// An error about the file as a whole (it cannot be read).
    pub fn whole_file(path: &Path, message: impl Into<String>) -> Self {
        ConfigError { path: path.to_owned(), message: message.into(), range: None, line_col: None }
    }

    /// An error about the text at `range` of `text`.
    pub fn at(path: &Path, text: &str, range: TextRange, message: impl Into<String>) -> Self {
        let position = LineIndex::new(text).line_col(text, range.start, crate::source::ColumnEncoding::Utf8);
        ConfigError {
            path: path.to_owned(),
            message: message.into(),
            range: Some(range),
            line_col: Some((position.line, position.column)),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line_col {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// How many `extend` links a configuration may follow.
pub const MAX_EXTEND_DEPTH: usize = 32;

/// Reads a config file and the files it extends; its format follows from its name (`.yaml`/`.yml`: hadolint,
/// anything else: plimsoll).
pub fn load_file(path: &Path) -> Result<Config, ConfigError> {
    load_extending(path, &mut Vec::new())
}

/// Reads `path`, then what it extends; `chain` holds the files that extend it, to find cycles.
fn load_extending(path: &Path, chain: &mut Vec<PathBuf>) -> Result<Config, ConfigError> {
    let mut config = load_one(path)?;
    let Some(extend) = config.extend.clone() else { return Ok(config) };
    let target = crate::paths::clean(&std::path::absolute(config.base_dir().join(&extend.value)).unwrap_or_default());
    let here = crate::paths::clean(&std::path::absolute(path).unwrap_or_default());
    chain.push(here);
    let error = |message: String| ConfigError::at(path, &config.text, extend.range, message);
    if let Some(at) = chain.iter().position(|p| *p == target) {
        let names: Vec<String> = chain[at..].iter().chain([&target]).map(|p| p.display().to_string()).collect();
        return Err(error(format!("`extend` makes a cycle: {}", names.join(" → "))));
    }
    if chain.len() > MAX_EXTEND_DEPTH {
        return Err(error(format!("`extend` goes more than {MAX_EXTEND_DEPTH} files deep")));
    }
    if !target.is_file() {
        return Err(error(format!("`extend` names `{}`, which is not a file", target.display())));
    }
    let parent = load_extending(&target, chain)?;
    chain.pop();
    config.extended = Some(Box::new(parent));
    Ok(config)
}

/// Reads one config file, without following `extend`.
fn load_one(path: &Path) -> Result<Config, ConfigError> {
    let bytes =
        std::fs::read(path).map_err(|err| ConfigError::whole_file(path, format!("cannot read the config: {err}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| ConfigError::whole_file(path, "the config file is not valid UTF-8; save it as UTF-8"))?;
    if text.len() > crate::source::MAX_FILE_SIZE {
        return Err(ConfigError::whole_file(path, "the config file is too large"));
    }
    let is_yaml = path.extension().is_some_and(|ext| ext == "yaml" || ext == "yml");
    if is_yaml { parse_hadolint(&text, path) } else { parse_toml(&text, path) }
}

/// Finds and reads the config for files in the folder `start` (a file's path is taken as its folder): the nearest
/// `plimsoll.toml`/`.plimsoll.toml` walking up, or else the nearest `.hadolint.yaml`/`.hadolint.yml`.
/// `Ok(None)` when there is neither.
pub fn discover(start: &Path) -> Result<Option<Config>, ConfigError> {
    match find_config_file(start)? {
        Some(path) => load_file(&path).map(Some),
        None => Ok(None),
    }
}

/// The path [`discover`] would read, without reading it.
pub fn find_config_file(start: &Path) -> Result<Option<PathBuf>, ConfigError> {
    let absolute = std::path::absolute(start)
        .map_err(|err| ConfigError::whole_file(start, format!("cannot resolve the folder: {err}")))?;
    let folder =
        if absolute.is_file() { absolute.parent().map(Path::to_path_buf).unwrap_or_default() } else { absolute };
    let folder = crate::paths::clean(&folder);
    for names in [&PLIMSOLL_FILE_NAMES, &HADOLINT_FILE_NAMES] {
        for dir in folder.ancestors() {
            for name in names {
                let candidate = dir.join(name);
                if candidate.is_file() {
                    return Ok(Some(candidate));
                }
            }
        }
    }
    Ok(None)
}

/// `"a", "b" or "c"` for messages.
pub(crate) fn one_of(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}
