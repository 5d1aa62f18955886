//! plimsoll: a static linter for Dockerfiles and Docker Compose files.
//!
//! The library API that the CLI and the language server both use. The pipeline is
//! `parse -> analyse -> report`; see `README.md` and the `lints/` catalog.
//!
//! ```
//! let source = plimsoll::SourceFile::new("Dockerfile", "FROM alpine:3.22\nRUN echo hi\n".to_owned());
//! let diagnostics = plimsoll::lint_dockerfile(&source);
//! // PLD203 missing-user: the final stage sets no USER, so the image runs as root.
//! assert_eq!(diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), ["PLD203"]);
//! ```

pub mod baseline;
pub mod cli;
pub mod compose;
pub mod config;
pub mod diagnostic;
pub mod dockerfile;
pub mod duration;
pub mod image;
pub mod lsp;
pub mod pages;
pub mod paths;
pub mod render;
pub mod rules;
#[cfg(test)]
mod shared_data;
pub mod shell;
pub mod source;
pub mod suppress;
pub mod workspace;

pub use diagnostic::{Applicability, Diagnostic, Edit, Elsewhere, Fix, Label, Severity};
pub use source::{ColumnEncoding, LineCol, LineIndex, SourceFile, Spanned, TextRange};

/// Lints one Dockerfile with the default rules: syntax errors and warnings, then rule findings, sorted by
/// position.
pub fn lint_dockerfile(source: &SourceFile) -> Vec<Diagnostic> {
    lint_dockerfile_with(source, &rules::Selection::default(), &rules::Settings::default())
}

/// Lints one Dockerfile with the rules `selection` picks.
pub fn lint_dockerfile_with(
    source: &SourceFile,
    selection: &rules::Selection,
    settings: &rules::Settings,
) -> Vec<Diagnostic> {
    let mut file = dockerfile::parse(&source.text);
    let ctx = rules::DockerfileContext::new(&file, source, settings);
    let findings = rules::check_dockerfile(&ctx, selection);
    let mut diagnostics = std::mem::take(&mut file.diagnostics);
    diagnostics.extend(findings);
    suppress::apply(&file, &mut diagnostics);
    if let Some(&first) = source.invalid_utf8.first() {
        let count = source.invalid_utf8.len();
        let message = if count == 1 {
            "the file is not valid UTF-8 here; it was read with a replacement character".to_owned()
        } else {
            format!(
                "the file is not valid UTF-8 ({count} places, the first here); it was read with replacement characters"
            )
        };
        let range = TextRange::new(first, first + char::REPLACEMENT_CHARACTER.len_utf8() as u32);
        diagnostics.push(
            Diagnostic::new(dockerfile::syntax::INVALID_UTF8, Severity::Warning, range, message)
                .with_help("save the file as UTF-8"),
        );
    }
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    diagnostics
}

/// The findings in one file.
#[derive(Clone, Debug)]
pub struct FileReport {
    pub source: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads a Compose project and types it: the project (files, merged tree, every diagnostic of loading,
/// schema, values and project checks) and its model, when the project has a top-level mapping.
pub fn load_compose_project(
    options: &compose::project::LoadOptions,
    fs: &dyn compose::project::FileSource,
) -> (compose::project::Project, Option<compose::model::ComposeModel>) {
    let mut project = compose::project::load(options, fs);
    let model = project.root.as_ref().map(|root| compose::model::build(root, &mut project.diagnostics));
    // Files chosen one by one (not a folder's default files) may be parts of a larger project.
    let checks = compose::checks::check(&project, model.as_ref(), fs, !options.files.is_empty());
    project.diagnostics.extend(checks);
    (project, model)
}

/// Lints a Compose project (its files merged, interpolated, with `include` and `extends` followed) with the
/// default rules: one report for each file the project read, including files it reached through `extends` and
/// `include`.
pub fn lint_compose_project(
    options: &compose::project::LoadOptions,
    fs: &dyn compose::project::FileSource,
) -> Vec<FileReport> {
    lint_compose_project_with(options, fs, &rules::Selection::default(), &rules::Settings::default())
}

/// Lints a Compose project with the rules `selection` picks, following each service's `build:` into the
/// Dockerfile it builds for the cross-file rules (the Dockerfiles themselves are linted on their own).
pub fn lint_compose_project_with(
    options: &compose::project::LoadOptions,
    fs: &dyn compose::project::FileSource,
    selection: &rules::Selection,
    settings: &rules::Settings,
) -> Vec<FileReport> {
    let (mut project, model) = load_compose_project(options, fs);
    // Loader codes that depend on context a linter may not see are switched like rules: the selection drops
    // them, and they go with the rules' findings so that pragmas silence them too.
    let (switchable, fixed): (Vec<_>, Vec<_>) = std::mem::take(&mut project.diagnostics)
        .into_iter()
        .partition(|(_, d)| compose::checks::find_switchable(d.code).is_some());
    project.diagnostics = fixed;
    let mut findings = Vec::new();
    let mut link_reports = Vec::new();
    if let Some(model) = &model {
        let builds = compose::builds::link(&project, model, fs);
        link_reports = rules::project::build_link_reports(&project, &builds);
        let ctx = rules::ComposeContext { project: &project, model, settings, builds: &builds };
        findings = rules::check_compose(&ctx, selection);
    }
    // The builds that cannot be followed (PLX001, PLX002) are switchable too.
    let switchable = switchable
        .into_iter()
        .chain(link_reports)
        .filter(|(_, d)| compose::checks::find_switchable(d.code).is_some_and(|meta| selection.is_enabled(meta)));
    let mut reports: Vec<FileReport> = project
        .files
        .iter()
        .map(|f| FileReport { source: SourceFile::new(f.path.clone(), f.text.clone()), diagnostics: Vec::new() })
        .collect();
    let mut by_file: Vec<Vec<Diagnostic>> = vec![Vec::new(); reports.len()];
    for (file, diagnostic) in findings.into_iter().chain(switchable) {
        if let Some(list) = by_file.get_mut(file.0 as usize) {
            list.push(diagnostic);
        }
    }
    for ((report, mut found), file) in reports.iter_mut().zip(by_file).zip(&project.files) {
        if !file.is_env_file {
            suppress::apply_compose(&file.text, &mut found);
        }
        report.diagnostics = found;
    }
    for (file, diagnostic) in project.diagnostics {
        if let Some(report) = reports.get_mut(file.0 as usize) {
            report.diagnostics.push(diagnostic);
        }
    }
    for report in &mut reports {
        report.diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    }
    reports
}

/// The kebab-case name of a diagnostic code, or `""` when unknown.
pub fn code_name(code: &str) -> &'static str {
    if let Some(rule) = rules::find(code) {
        return rule.meta.name;
    }
    dockerfile::syntax::CODES.iter().chain(compose::CODES).find(|(c, _)| *c == code).map_or("", |(_, n)| n)
}
