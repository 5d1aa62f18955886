//! What applies to one linted file: its configuration (the nearest `plimsoll.toml` or `.hadolint.yaml`, or
//! `--config`) merged with the command line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{CheckArgs, FailOnArg};
use crate::config::{self, Config, FailOn};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{self, Selection, Settings};

/// The rules, settings and thresholds for one file.
#[derive(Debug, Default)]
pub(crate) struct FileSettings {
    pub selection: Selection,
    pub settings: Settings,
    /// Severity overrides: a selector and the severity its rules report at (later entries win).
    pub severities: Vec<(String, Severity)>,
    pub fail_on: FailOn,
}

impl FileSettings {
    /// Applies severity overrides to rule findings and switchable loader codes (parser diagnostics keep theirs).
    pub fn apply_severities(&self, diagnostics: &mut [Diagnostic]) {
        for d in diagnostics {
            let Some(meta) = rules::find_meta(d.code) else { continue };
            if let Some((_, severity)) = self.severities.iter().rev().find(|(s, _)| rules::selector_matches(s, meta)) {
                d.severity = *severity;
            }
        }
    }
}

/// The settings the language server applies to the file at `path`: the configuration found as `check` finds it
/// (or `config` when the editor names one), with the editor's rule selection standing in for the command line.
pub(crate) fn for_editor(path: &Path, config: Option<PathBuf>, selection: &Selection) -> Result<FileSettings, String> {
    let args = CheckArgs {
        config,
        select: selection.select.clone(),
        extend_select: selection.extend_select.clone(),
        ignore: selection.ignore.clone(),
        ..CheckArgs::default()
    };
    Resolver::new(&args)?.for_file(path)
}

/// Finds and caches configurations per folder.
pub(super) struct Resolver<'a> {
    args: &'a CheckArgs,
    fixed: Option<Arc<Config>>,
    by_dir: HashMap<PathBuf, Option<Arc<Config>>>,
}

impl<'a> Resolver<'a> {
    /// Reads `--config` if given. Errors are one line naming the file and position.
    pub fn new(args: &'a CheckArgs) -> Result<Self, String> {
        let fixed = match &args.config {
            Some(path) => Some(Arc::new(load_checked(config::load_file(path))?)),
            None => None,
        };
        Ok(Resolver { args, fixed, by_dir: HashMap::new() })
    }

    fn config_for(&mut self, path: &Path) -> Result<Option<Arc<Config>>, String> {
        if self.args.no_config {
            return Ok(None);
        }
        if let Some(fixed) = &self.fixed {
            return Ok(Some(fixed.clone()));
        }
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        if let Some(found) = self.by_dir.get(&dir) {
            return Ok(found.clone());
        }
        let found = match config::discover(&dir) {
            Ok(Some(c)) => Some(Arc::new(load_checked(Ok(c))?)),
            Ok(None) => None,
            Err(e) => return Err(e.to_string()),
        };
        self.by_dir.insert(dir, found.clone());
        Ok(found)
    }

    /// The settings for the file at `path`.
    pub fn for_file(&mut self, path: &Path) -> Result<FileSettings, String> {
        let config = self.config_for(path)?;
        let strings = |list: &[crate::Spanned<String>]| list.iter().map(|s| s.value.clone()).collect::<Vec<_>>();
        let args = self.args;
        let mut out = FileSettings::default();
        out.selection.select = args.select.clone().or_else(|| config.as_ref()?.select.as_deref().map(strings));
        if let Some(c) = &config {
            out.selection.extend_select = strings(&c.extend_select);
            out.selection.ignore = strings(&c.ignore);
            out.selection.ignore.extend(c.ignored_selectors_for(path).map(|s| s.value.clone()));
            out.severities = c.severity.iter().map(|(s, sev)| (s.value.clone(), sev.value)).collect();
            out.settings = c.rule_settings();
            out.fail_on = c.fail_on.unwrap_or(FailOn::Info);
        } else {
            out.fail_on = FailOn::Info;
        }
        out.selection.extend_select.extend(args.extend_select.iter().cloned());
        out.selection.ignore.extend(args.ignore.iter().cloned());
        if let Some(f) = args.fail_on {
            out.fail_on = match f {
                FailOnArg::Error => FailOn::Error,
                FailOnArg::Warning => FailOn::Warning,
                FailOnArg::Info => FailOn::Info,
                FailOnArg::Never => FailOn::Never,
            };
        }
        Ok(out)
    }
}

/// A configuration whose selectors all name rules; otherwise its first bad selector as an error.
fn load_checked(config: Result<Config, config::ConfigError>) -> Result<Config, String> {
    let config = config.map_err(|e| e.to_string())?;
    match config.validate(&rules::is_known_selector).into_iter().next() {
        Some(e) => Err(format!("{e} (`plimsoll rules` lists the rules)")),
        None => Ok(config),
    }
}
