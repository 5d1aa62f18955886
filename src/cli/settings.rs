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
    /// What was wrong in the configuration without making it unusable (a selector that names no rule), one line
    /// each with its place; set by [`for_editor`], which has no terminal to print them on.
    pub warnings: Vec<String>,
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
    let mut resolver = Resolver::new(&args)?;
    let mut found = resolver.for_file(path)?;
    found.warnings = resolver.take_warnings();
    Ok(found)
}

/// Finds and caches configurations per folder.
pub(super) struct Resolver<'a> {
    args: &'a CheckArgs,
    fixed: Option<Arc<Config>>,
    by_dir: HashMap<PathBuf, Option<Arc<Config>>>,
    /// Warnings from the configurations read so far, each configuration's once.
    warnings: Vec<String>,
}

impl<'a> Resolver<'a> {
    /// Reads `--config` if given. Errors are one line naming the file and position.
    pub fn new(args: &'a CheckArgs) -> Result<Self, String> {
        let mut warnings = Vec::new();
        let fixed = match &args.config {
            Some(path) => Some(Arc::new(load_checked(config::load_file(path), &mut warnings)?)),
            None => None,
        };
        Ok(Resolver { args, fixed, by_dir: HashMap::new(), warnings })
    }

    /// The warnings gathered since the last call.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
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
            Ok(Some(c)) => Some(Arc::new(load_checked(Ok(c), &mut self.warnings)?)),
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
        out.selection.select = args.select.clone().or_else(|| config.as_ref()?.effective_select().map(strings));
        if let Some(c) = &config {
            let values = |list: Vec<&crate::Spanned<String>>| list.into_iter().map(|s| s.value.clone()).collect();
            out.selection.extend_select = values(c.effective_extend_select());
            out.selection.ignore = values(c.effective_ignore());
            out.selection.ignore.extend(c.ignored_selectors_for(path).into_iter().map(|s| s.value.clone()));
            out.severities = c.effective_severity().iter().map(|(s, sev)| (s.value.clone(), sev.value)).collect();
            out.settings = c.rule_settings();
            out.fail_on = c.effective_fail_on().unwrap_or(FailOn::Info);
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

/// A configuration, with a warning for each selector that names no rule (it selects nothing; the rest of the
/// configuration applies, as hadolint and dclint take an unknown code).
fn load_checked(config: Result<Config, config::ConfigError>, warnings: &mut Vec<String>) -> Result<Config, String> {
    let config = config.map_err(|e| e.to_string())?;
    warnings.extend(config.validate(&rules::is_known_selector).iter().map(ToString::to_string));
    Ok(config)
}
