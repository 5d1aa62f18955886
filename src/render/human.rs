//! The human format: a miette report per finding (file:line:col, the source with the span underlined, labels,
//! help), then a summary.

use std::fmt;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::source::SourceFile;

/// A finding seen through miette's `Diagnostic` trait.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    name: &'static str,
    source: &'a NamedSource<Arc<String>>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report").field("diagnostic", self.diagnostic).finish()
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let code = self.diagnostic.code;
        let name = self.name;
        Some(Box::new(if name.is_empty() { code.to_owned() } else { format!("{code} {name}") }))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(None, self.diagnostic.range);
        // Places in other files are written after the report (see `render_file`).
        let others = self
            .diagnostic
            .labels
            .iter()
            .filter(|l| l.elsewhere.is_none())
            .map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), l.range));
        Some(Box::new(std::iter::once(primary).chain(others)))
    }
}

/// Renders the findings of one file. `name_of` gives a code's kebab-case name.
pub fn render_file(
    out: &mut String,
    file: &SourceFile,
    diagnostics: &[Diagnostic],
    color: bool,
    name_of: impl Fn(&str) -> &'static str,
) {
    render(out, file, diagnostics, color, name_of, None);
}

/// Renders the findings of one file as [`render_file`] does, with a `fix:` line after each finding that has a
/// fix: `[fix available]` for a safe one; for an unsafe one `[unsafe fix available]` when `unsafe_fixes` is on,
/// else `[unsafe fix available, --unsafe-fixes]`.
pub fn render_file_with_fixes(
    out: &mut String,
    file: &SourceFile,
    diagnostics: &[Diagnostic],
    color: bool,
    name_of: impl Fn(&str) -> &'static str,
    unsafe_fixes: bool,
) {
    render(out, file, diagnostics, color, name_of, Some(unsafe_fixes));
}

/// `fixes`: whether to write fix lines, and if so whether unsafe fixes are on.
fn render(
    out: &mut String,
    file: &SourceFile,
    diagnostics: &[Diagnostic],
    color: bool,
    name_of: impl Fn(&str) -> &'static str,
    fixes: Option<bool>,
) {
    if diagnostics.is_empty() {
        return;
    }
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_links(false).with_width(100);
    let source = NamedSource::new(file.path.display().to_string(), Arc::new(file.text.clone()));
    for diagnostic in diagnostics {
        let report = Report { diagnostic, name: name_of(diagnostic.code), source: &source };
        if handler.render_report(out, &report).is_err() {
            // Rendering into a String cannot fail; keep a plain line if it ever does.
            let at = file.line_col(diagnostic.range.start);
            out.push_str(&format!(
                "{}:{}:{}: {} {}\n",
                file.path.display(),
                at.line,
                at.column,
                diagnostic.code,
                diagnostic.message
            ));
        }
        for label in &diagnostic.labels {
            if let Some(at) = &label.elsewhere {
                let (line, column) = (at.start.line, at.start.column);
                out.push_str(&format!("  note: {} ({}:{line}:{column})\n", label.message, at.path.display()));
            }
        }
        if let (Some(unsafe_fixes), Some(fix)) = (fixes, &diagnostic.fix) {
            let tag = match fix.applicability {
                Applicability::Safe => "fix available",
                Applicability::Unsafe if unsafe_fixes => "unsafe fix available",
                Applicability::Unsafe => "unsafe fix available, --unsafe-fixes",
            };
            out.push_str(&format!("  fix: {} [{tag}]\n", fix.message));
        }
    }
}

/// The line after the summary when fixes are available but not applied: how many `--fix` would apply, and how
/// many more `--unsafe-fixes` would add. Empty when there are none.
pub fn fixable_summary(fixable: usize, hidden_unsafe: usize) -> String {
    let plural = |n: usize| if n == 1 { "fix" } else { "fixes" };
    match (fixable, hidden_unsafe) {
        (0, 0) => String::new(),
        (0, hidden) => {
            format!("No fixes with `--fix` alone ({hidden} unsafe {} with `--unsafe-fixes`).\n", plural(hidden))
        }
        (n, 0) => format!("{n} {} available with `--fix`.\n", plural(n)),
        (n, hidden) => {
            format!("{n} {} available with `--fix` ({hidden} more with `--unsafe-fixes`).\n", plural(n))
        }
    }
}

/// The line after the summary under `--fix`.
pub fn fixed_summary(fixed: usize, remaining: usize) -> String {
    format!("Fixed {fixed} finding{} ({remaining} remaining).\n", if fixed == 1 { "" } else { "s" })
}

/// The summary line with how long the run took: "… in 3 files (12 ms)."
pub fn with_time(summary: &str, elapsed: std::time::Duration) -> String {
    let ms = elapsed.as_millis();
    let time = if ms < 1000 { format!("{ms} ms") } else { format!("{:.2} s", elapsed.as_secs_f64()) };
    match summary.strip_suffix(".\n") {
        Some(line) => format!("{line} ({time}).\n"),
        None => summary.to_owned(),
    }
}

/// The closing line: counts per severity and files checked.
pub fn summary(errors: usize, warnings: usize, infos: usize, files: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors + warnings + infos == 0 {
        return format!("No problems found in {}.\n", plural(files, "file"));
    }
    format!(
        "Found {}, {} and {} in {}.\n",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(infos, "info"),
        plural(files, "file")
    )
}
