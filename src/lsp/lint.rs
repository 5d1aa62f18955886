//! Linting open documents with the same pipeline as `check`: a Dockerfile alone, a Compose file as its project,
//! with the editor's unsaved buffers standing in for the files on disk.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::baseline::Baseline;
use crate::cli::settings::FileSettings;
use crate::compose::project::{self, FileSource, LoadOptions, Overlay, RealFs};
use crate::{Diagnostic, FileReport, SourceFile};

/// A Dockerfile's findings.
pub fn dockerfile(path: &Path, text: &str, settings: &FileSettings) -> Vec<Diagnostic> {
    let source = SourceFile::new(path, text.to_owned());
    let mut diagnostics = crate::lint_dockerfile_with(&source, &settings.selection, &settings.settings);
    settings.apply_severities(&mut diagnostics);
    diagnostics
}

/// A file's findings without those `baseline` records.
pub fn without_known(baseline: &Baseline, path: &Path, text: &str, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut report = FileReport { source: SourceFile::new(path, text.to_owned()), diagnostics };
    baseline.filter([&mut report]);
    report.diagnostics
}

/// The project a Compose file belongs to, as `check` groups them: a folder's default files (`compose.yaml` and
/// its override) load together; any other Compose file loads on its own.
pub fn project_of(path: &Path, fs: &dyn FileSource) -> LoadOptions {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let defaults = project::find_project_files(&dir, fs);
    let files = if defaults.iter().any(|d| same_path(d, path)) {
        Vec::new()
    } else {
        path.file_name().map(PathBuf::from).into_iter().collect()
    };
    LoadOptions { files, dir, use_process_env: true, ..LoadOptions::default() }
}

/// A Compose project's findings, one report per file it read, and every path it read or looked for.
pub fn compose(
    options: &LoadOptions,
    fs: &dyn FileSource,
    settings: &FileSettings,
) -> (Vec<FileReport>, BTreeSet<PathBuf>) {
    let fs = Recording { inner: fs, seen: RefCell::default() };
    let mut reports = crate::lint_compose_project_with(options, &fs, &settings.selection, &settings.settings);
    for report in &mut reports {
        settings.apply_severities(&mut report.diagnostics);
    }
    (reports, fs.seen.into_inner())
}

/// The disk with the editor's buffers over it.
pub fn overlay(buffers: BTreeMap<PathBuf, String>) -> Overlay<'static> {
    let mut fs = Overlay { base: &RealFs, files: BTreeMap::new() };
    for (path, text) in buffers {
        fs.insert(&path, text);
    }
    fs
}

/// A path without `.` components, for comparing the paths a project read with the paths of changed files.
pub fn normal(path: &Path) -> PathBuf {
    path.components().collect()
}

fn same_path(a: &Path, b: &Path) -> bool {
    normal(a) == normal(b)
}

/// A file source that notes every path asked about.
struct Recording<'a> {
    inner: &'a dyn FileSource,
    seen: RefCell<BTreeSet<PathBuf>>,
}

impl FileSource for Recording<'_> {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        self.seen.borrow_mut().insert(normal(path));
        self.inner.read(path)
    }

    fn exists(&self, path: &Path) -> bool {
        self.seen.borrow_mut().insert(normal(path));
        self.inner.exists(path)
    }
}
