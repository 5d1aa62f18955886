//! Output formats, one file each, all reading the same plain diagnostics: `human` builds miette reports for a
//! terminal; the others are for machines (CI annotations, code scanning, review bots). What they share lives
//! here: the [`RenderContext`], paths relative to the root, positions in a chosen column encoding, the rule
//! catalog with the parser codes, and the stable fingerprints.

pub mod checkstyle;
pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;
pub mod security;

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::rules::Category;
use crate::source::{ColumnEncoding, LineCol, LineIndex, TextRange};
use crate::{FileReport, SourceFile};

/// Where the project lives, for links from machine formats to rule pages.
pub const REPOSITORY_URL: &str = "https://github.com/plimsoll-lint/plimsoll";

/// The output formats of `plimsoll check --format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A report per finding with the source underlined, then a summary.
    #[default]
    Human,
    /// One line per finding: `path:line:col: CODE [name] message` (for terminals, hooks and grep).
    Concise,
    /// plimsoll's own versioned JSON schema (the README's "JSON output" section describes it).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// Checkstyle XML, for reviewdog and Jenkins.
    Checkstyle,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// JUnit XML: a test suite per file, a failing test case per finding.
    Junit,
    /// reviewdog's diagnostic format (rdjson).
    Rdjson,
}

impl Format {
    /// Renders a machine format; `None` for `human`, which the CLI renders itself (colour, summary).
    pub fn render(self, reports: &[FileReport], ctx: &RenderContext) -> Option<String> {
        Some(match self {
            Format::Human => return None,
            Format::Concise => concise::render(reports, ctx),
            Format::Json => json::render(reports, ctx),
            Format::Sarif => sarif::render(reports, ctx),
            Format::Github => github::render(reports, ctx),
            Format::Checkstyle => checkstyle::render(reports, ctx),
            Format::Gitlab => gitlab::render(reports, ctx),
            Format::Junit => junit::render(reports, ctx),
            Format::Rdjson => rdjson::render(reports, ctx),
        })
    }
}

/// What the formats need besides the findings.
#[derive(Clone, Debug)]
pub struct RenderContext {
    /// Files linted, with or without findings.
    pub files_checked: usize,
    /// Paths are written relative to this folder when they are inside it (the current directory for the CLI).
    pub root: PathBuf,
    pub tool_name: &'static str,
    pub tool_version: &'static str,
}

impl RenderContext {
    pub fn new(files_checked: usize, root: impl Into<PathBuf>) -> Self {
        RenderContext {
            files_checked,
            root: root.into(),
            tool_name: env!("CARGO_PKG_NAME"),
            tool_version: env!("CARGO_PKG_VERSION"),
        }
    }

    /// `path` relative to the root when it is inside it, with `/` separators and no `./`.
    pub fn relative_path(&self, path: &Path) -> String {
        let path = if path.is_absolute() { path.strip_prefix(&self.root).unwrap_or(path) } else { path };
        let parts: Vec<String> = path
            .components()
            .filter(|c| !matches!(c, Component::CurDir))
            .map(|c| match c {
                Component::RootDir => String::new(),
                other => other.as_os_str().to_string_lossy().into_owned(),
            })
            .collect();
        if parts.first().is_some_and(String::is_empty) { format!("/{}", parts[1..].join("/")) } else { parts.join("/") }
    }

    /// Where a range of `file` is, its columns counted in `encoding`.
    pub fn place(&self, file: &SourceFile, range: TextRange, encoding: ColumnEncoding) -> Place {
        let at = |offset| file.line_index.line_col(&file.text, offset, encoding);
        Place { file: self.relative_path(&file.path), start: at(range.start), end: at(range.end) }
    }

    /// Where a label of a finding in `file` is. A label in another file is converted to `encoding` when that file
    /// is among `reports`; otherwise its columns stay UTF-8 bytes (the same for ASCII lines).
    pub fn label_place(
        &self,
        reports: &[FileReport],
        file: &SourceFile,
        label: &Label,
        encoding: ColumnEncoding,
    ) -> Place {
        let Some(elsewhere) = &label.elsewhere else {
            return self.place(file, label.range, encoding);
        };
        let other = reports.iter().find(|r| r.source.path == elsewhere.path).map(|r| &r.source);
        let convert = |pos: LineCol| match other {
            Some(o) => {
                let offset = o.line_index.offset(&o.text, pos, ColumnEncoding::Utf8);
                o.line_index.line_col(&o.text, offset, encoding)
            }
            None => pos,
        };
        Place {
            file: self.relative_path(&elsewhere.path),
            start: convert(elsewhere.start),
            end: convert(elsewhere.end),
        }
    }
}

/// The address of a code's page in the repository, at this release's tag: the page as it was in this release says
/// what this binary does (`main` may have moved on).
pub fn page_address(code: &str, name: &str) -> String {
    format!("{REPOSITORY_URL}/blob/v{}/lints/{code}-{name}.md", env!("CARGO_PKG_VERSION"))
}

/// The page address of a code (a rule's, a loader's or a parser's), `None` for a code without a page.
pub fn page_url(code: &str) -> Option<String> {
    crate::rules::find_page(code).filter(|m| m.code == code && !m.page.is_empty()).map(|m| page_address(m.code, m.name))
}

/// A range as a file and 1-based start and end positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub start: LineCol,
    pub end: LineCol,
}

/// A code the formats can describe: a rule, or a syntax / loading problem reported by a parser.
#[derive(Clone, Debug)]
pub struct CodeInfo {
    pub code: &'static str,
    pub name: &'static str,
    /// One line: what it flags.
    pub summary: String,
    pub severity: Option<Severity>,
    /// `None` for parser codes.
    pub category: Option<Category>,
    /// The code's page (Markdown), empty for a code without one.
    pub page: &'static str,
}

impl CodeInfo {
    /// The rule page's address in the repository at this version's tag, for codes that have a page.
    pub fn url(&self) -> Option<String> {
        (!self.page.is_empty()).then(|| page_address(self.code, self.name))
    }
}

/// Every code a finding can carry: the rules in catalog order, then the Dockerfile and Compose parser codes.
pub fn codes() -> Vec<CodeInfo> {
    let rules = crate::rules::all().iter().map(|r| CodeInfo {
        code: r.meta.code,
        name: r.meta.name,
        summary: r.meta.summary.to_owned(),
        severity: Some(r.meta.severity),
        category: Some(r.meta.category()),
        page: r.meta.page,
    });
    let parser = |what: &'static str| {
        move |&(code, name): &(&'static str, &'static str)| {
            let meta = crate::rules::find_page(code).filter(|m| m.code == code);
            CodeInfo {
                code,
                name,
                summary: format!("{what}: {}", meta.map_or_else(|| name.replace('-', " "), |m| m.summary.to_owned())),
                severity: None,
                category: None,
                page: meta.map_or("", |m| m.page),
            }
        }
    };
    let dockerfile = crate::dockerfile::syntax::CODES.iter().map(parser("Dockerfile syntax"));
    let compose = crate::compose::CODES.iter().map(parser("Compose project"));
    rules.chain(dockerfile).chain(compose).collect()
}

/// Stable fingerprints of a file's findings, in the order of `report.diagnostics`: FNV-1a 64 (hex) of the code, the
/// relative path, the flagged line's text trimmed, and the index of the finding among the file's findings with the
/// same code on a line with the same text. Line numbers are left out, so adding lines above a finding keeps it.
pub fn fingerprints(report: &FileReport, ctx: &RenderContext) -> Vec<String> {
    fingerprints_at(report, &ctx.relative_path(&report.source.path))
}

/// [`fingerprints`] with the file's path as the caller writes it (a baseline writes paths relative to its own
/// folder, which need not be the current directory).
pub fn fingerprints_at(report: &FileReport, path: &str) -> Vec<String> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let line = flagged_line(&report.source.text, &report.source.line_index, d);
            let occurrence = seen.iter().filter(|&&(c, l)| c == d.code && l == line).count();
            seen.push((d.code, line));
            let key = format!("{}\0{path}\0{line}\0{occurrence}", d.code);
            format!("{:016x}", fnv1a64(key.as_bytes()))
        })
        .collect()
}

/// The trimmed text of the line where a finding starts.
fn flagged_line<'t>(text: &'t str, index: &LineIndex, d: &Diagnostic) -> &'t str {
    let line = index.line_of(d.range.start.min(text.len() as u32));
    let (start, end) = (index.line_start(line) as usize, index.line_start(line + 1) as usize);
    text.get(start..end).unwrap_or_default().trim()
}

/// FNV-1a, 64 bits: tiny, stable across platforms and releases (unlike `std`'s hasher).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Escapes text for XML content and attribute values; drops characters XML 1.0 cannot hold.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A finding's title: `CODE name`, or the code alone when it has no name.
pub fn title(code: &str) -> String {
    match crate::code_name(code) {
        "" => code.to_owned(),
        name => format!("{code} {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_reference_values() {
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn paths_are_relative_to_the_root_with_slashes() {
        let ctx = RenderContext::new(0, "/work/project");
        assert_eq!(ctx.relative_path(Path::new("/work/project/app/Dockerfile")), "app/Dockerfile");
        assert_eq!(ctx.relative_path(Path::new("./app/Dockerfile")), "app/Dockerfile");
        assert_eq!(ctx.relative_path(Path::new("/elsewhere/Dockerfile")), "/elsewhere/Dockerfile");
    }

    #[test]
    fn labels_in_other_files_are_counted_in_that_files_text() {
        use crate::diagnostic::Elsewhere;
        let dockerfile = SourceFile::new("/p/Dockerfile", "# é!\nFROM x\n".to_owned());
        let compose = SourceFile::new("/p/compose.yaml", "services: {}\n".to_owned());
        // `é` spans UTF-8 byte columns 3 to 5 (exclusive), character columns 3 to 4.
        let elsewhere = Elsewhere {
            path: "/p/Dockerfile".into(),
            start: LineCol { line: 1, column: 3 },
            end: LineCol { line: 1, column: 5 },
        };
        let label = Label { range: TextRange::new(0, 1), message: "here".to_owned(), elsewhere: Some(elsewhere) };
        let ctx = RenderContext::new(2, "/p");
        let reports = [
            FileReport { source: dockerfile, diagnostics: Vec::new() },
            FileReport { source: compose.clone(), diagnostics: Vec::new() },
        ];
        let place = ctx.label_place(&reports, &compose, &label, ColumnEncoding::Utf32);
        assert_eq!((place.file.as_str(), place.start.column, place.end.column), ("Dockerfile", 3, 4));
        // Without the other file's text the byte columns are kept.
        let alone = ctx.label_place(&reports[1..], &compose, &label, ColumnEncoding::Utf32);
        assert_eq!((alone.start.column, alone.end.column), (3, 5));
    }

    #[test]
    fn xml_escape_covers_markup_and_control_characters() {
        assert_eq!(xml_escape("a<b>&\"'\n\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;&#10;");
    }

    #[test]
    fn every_code_is_described_once() {
        let codes = codes();
        for (i, c) in codes.iter().enumerate() {
            assert!(codes[..i].iter().all(|o| o.code != c.code), "{} twice", c.code);
        }
    }
}
