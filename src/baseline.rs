//! Baselines: the findings a repository had when it adopted plimsoll, recorded so that `check --baseline` (and
//! the language server) report only new ones.
//!
//! A finding is recorded by the fingerprint SARIF gives as `partialFingerprints["plimsoll/v1"]`
//! ([`crate::render::fingerprints_at`]): its code, its file's path, the flagged line's text and its occurrence among
//! the same code on lines with the same text. Line numbers are not part of it, so lines added or removed elsewhere
//! in the file keep a finding known. Paths are written relative to the baseline file's folder, so a baseline works
//! from any checkout and any working directory; a file outside that folder is recorded by its absolute path.
//!
//! The file is a small versioned JSON document, sorted by path, line, code and fingerprint:
//!
//! ```json
//! { "version": 1, "tool": "plimsoll",
//!   "findings": [{ "path": "app/Dockerfile", "code": "PLD203", "fingerprint": "…", "line": 1, "message": "…" }] }
//! ```
//!
//! `line` and `message` are there for the reader; matching uses the path, the code and the fingerprint.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};

use crate::FileReport;
use crate::render::{self, RenderContext};
use crate::source::ColumnEncoding;

/// The baseline file name the documentation suggests (`check --write-baseline plimsoll-baseline.json`).
pub const DEFAULT_FILE_NAME: &str = "plimsoll-baseline.json";

/// The format version this plimsoll writes and reads.
pub const VERSION: u32 = 1;

const TOOL: &str = "plimsoll";

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The file, relative to the baseline's folder, with `/` separators.
    pub path: String,
    pub code: String,
    pub fingerprint: String,
    /// Where the finding was when it was recorded (informational).
    #[serde(default)]
    pub line: u32,
    /// The finding's message when it was recorded (informational).
    #[serde(default)]
    pub message: String,
}

/// A baseline: its entries, and the folder their paths are relative to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    /// An absolute folder.
    pub root: PathBuf,
    pub entries: Vec<Entry>,
}

/// What filtering with a baseline did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filtered {
    /// Findings the baseline knew, taken out of the reports.
    pub left_out: usize,
    /// Entries for files among the reports that matched no finding: fixed, or changed beyond recognition.
    pub unmatched: Vec<Entry>,
    /// Entries for files that were not among the reports (not linted in this run).
    pub elsewhere: Vec<Entry>,
}

/// The document as it is written and read.
#[derive(Serialize, Deserialize)]
struct Document {
    #[serde(deserialize_with = "version")]
    version: u32,
    #[serde(deserialize_with = "tool")]
    tool: String,
    findings: Vec<Entry>,
}

fn version<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let found = u32::deserialize(d)?;
    if found != VERSION {
        return Err(serde::de::Error::custom(format!(
            "baseline version {found} is not one this plimsoll reads (version {VERSION}): write it again with \
             --write-baseline"
        )));
    }
    Ok(found)
}

fn tool<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let found = String::deserialize(d)?;
    if found != TOOL {
        return Err(serde::de::Error::custom(format!("this is a baseline of `{found}`, not of `{TOOL}`")));
    }
    Ok(found)
}

impl Baseline {
    /// Records every finding of `reports`, paths relative to `root` (an absolute folder, or one relative to the
    /// current directory).
    pub fn record<'a>(reports: impl IntoIterator<Item = &'a FileReport>, root: &Path) -> Baseline {
        let root = absolute(root);
        let mut entries = Vec::new();
        for report in reports {
            let path = relative_to(&root, &report.source.path);
            let source = &report.source;
            for (d, fingerprint) in report.diagnostics.iter().zip(render::fingerprints_at(report, &path)) {
                let line = source.line_index.line_col(&source.text, d.range.start, ColumnEncoding::Utf8).line;
                entries.push(Entry {
                    path: path.clone(),
                    code: d.code.to_owned(),
                    fingerprint,
                    line,
                    message: d.message.clone(),
                });
            }
        }
        let mut baseline = Baseline { root, entries };
        baseline.sort();
        baseline
    }

    fn sort(&mut self) {
        self.entries.sort_by(|a, b| {
            (&a.path, a.line, &a.code, &a.fingerprint, &a.message).cmp(&(
                &b.path,
                b.line,
                &b.code,
                &b.fingerprint,
                &b.message,
            ))
        });
    }

    /// The file's text: pretty JSON, one entry a few lines, ending with a newline.
    pub fn to_json(&self) -> String {
        let doc = Document { version: VERSION, tool: TOOL.to_owned(), findings: self.entries.clone() };
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a baseline's text; its paths are relative to `root`. An error has the line and column (1-based).
    pub fn parse(text: &str, root: &Path) -> Result<Baseline, ParseError> {
        let doc: Document = serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = message.strip_suffix(&suffix).unwrap_or(&message).to_owned();
            ParseError { line: e.line(), column: e.column().max(1), message }
        })?;
        let mut baseline = Baseline { root: absolute(root), entries: doc.findings };
        baseline.sort();
        Ok(baseline)
    }

    /// Reads a baseline file; its paths are relative to its folder. The error is `file:line:col: message`, or
    /// `cannot read file: reason`.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!("cannot read the baseline {}: {}", path.display(), crate::workspace::io_message(&e))
        })?;
        let root = absolute(path).parent().map(Path::to_path_buf).unwrap_or_default();
        Baseline::parse(&text, &root)
            .map_err(|e| format!("{}:{}:{}: invalid baseline: {}", path.display(), e.line, e.column, e.message))
    }

    /// Takes the findings the baseline knows out of `reports`. Each entry stands for one finding.
    pub fn filter<'a>(&self, reports: impl IntoIterator<Item = &'a mut FileReport>) -> Filtered {
        let key =
            |path: &str, code: &str, fingerprint: &str| (path.to_owned(), code.to_owned(), fingerprint.to_owned());
        let mut remaining: HashMap<(String, String, String), usize> = HashMap::new();
        for e in &self.entries {
            *remaining.entry(key(&e.path, &e.code, &e.fingerprint)).or_default() += 1;
        }
        let mut left_out = 0;
        let mut seen_paths = Vec::new();
        for report in reports {
            let path = relative_to(&self.root, &report.source.path);
            let fingerprints = render::fingerprints_at(report, &path);
            let known: Vec<bool> = fingerprints
                .iter()
                .zip(&report.diagnostics)
                .map(|(fingerprint, d)| match remaining.get_mut(&key(&path, d.code, fingerprint)) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        true
                    }
                    _ => false,
                })
                .collect();
            let mut known = known.into_iter();
            let before = report.diagnostics.len();
            report.diagnostics.retain(|_| !known.next().unwrap_or(false));
            left_out += before - report.diagnostics.len();
            seen_paths.push(path);
        }
        let mut filtered = Filtered { left_out, ..Filtered::default() };
        for e in &self.entries {
            let Some(n) = remaining.get_mut(&key(&e.path, &e.code, &e.fingerprint)) else {
                continue;
            };
            if *n == 0 {
                continue;
            }
            *n -= 1;
            if seen_paths.contains(&e.path) {
                filtered.unmatched.push(e.clone());
            } else {
                filtered.elsewhere.push(e.clone());
            }
        }
        filtered
    }
}

/// A malformed baseline: what is wrong and where (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// `path` as a baseline under `root` writes it: relative to `root` with `/` separators when inside it, absolute
/// otherwise.
pub fn relative_to(root: &Path, path: &Path) -> String {
    RenderContext::new(0, root).relative_path(&absolute(path))
}

/// `path` made absolute from the current directory, with `.` and `..` taken out without reading the disk (so a
/// file given as `./app/../Dockerfile` and one given as `Dockerfile` are the same).
fn absolute(path: &Path) -> PathBuf {
    let joined =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    crate::paths::clean(&joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    fn report(path: &str, text: &str) -> FileReport {
        let source = SourceFile::new(path, text.to_owned());
        let diagnostics = crate::lint_dockerfile(&source);
        FileReport { source, diagnostics }
    }

    const INSECURE: &str = "FROM alpine:3.22\nRUN curl -k https://example.com/x -o /x\n";

    #[test]
    fn a_recorded_baseline_reads_back_and_leaves_out_every_finding() {
        let first = report("/repo/app/Dockerfile", INSECURE);
        let baseline = Baseline::record([&first], Path::new("/repo"));
        let codes: Vec<(&str, &str, u32)> =
            baseline.entries.iter().map(|e| (e.path.as_str(), e.code.as_str(), e.line)).collect();
        assert_eq!(codes, [("app/Dockerfile", "PLD203", 1), ("app/Dockerfile", "PLD104", 2)]);
        let text = baseline.to_json();
        assert!(text.starts_with("{\n  \"version\": 1,\n  \"tool\": \"plimsoll\",\n  \"findings\": ["), "{text}");
        let read = Baseline::parse(&text, Path::new("/repo")).expect("valid");
        assert_eq!(read, baseline);
        assert_eq!(read.to_json(), text, "writing is stable");

        let mut again = [report("/repo/app/Dockerfile", INSECURE)];
        let filtered = read.filter(&mut again);
        assert_eq!((filtered.left_out, again[0].diagnostics.len()), (2, 0));
        assert!(filtered.unmatched.is_empty() && filtered.elsewhere.is_empty());
    }

    #[test]
    fn lines_added_above_keep_findings_known_and_new_ones_stay() {
        let baseline = Baseline::record([&report("/repo/Dockerfile", INSECURE)], Path::new("/repo"));
        let edited = format!("# a comment\n\n{INSECURE}RUN wget --no-check-certificate https://example.com/y\n");
        let mut reports = [report("/repo/Dockerfile", &edited)];
        let filtered = baseline.filter(&mut reports);
        assert_eq!(filtered.left_out, 2);
        let source = &reports[0].source;
        let left: Vec<(&str, u32)> = reports[0]
            .diagnostics
            .iter()
            .map(|d| (d.code, source.line_index.line_col(&source.text, d.range.start, ColumnEncoding::Utf8).line))
            .collect();
        assert_eq!(left, [("PLD104", 5)], "only the new finding is left");
    }

    #[test]
    fn entries_that_match_nothing_are_unmatched_or_elsewhere() {
        let baseline = Baseline::record(
            [&report("/repo/a/Dockerfile", INSECURE), &report("/repo/b/Dockerfile", INSECURE)],
            Path::new("/repo"),
        );
        let mut reports = [report("/repo/a/Dockerfile", "FROM alpine:3.22\n")];
        let filtered = baseline.filter(&mut reports);
        assert_eq!(filtered.left_out, 1, "PLD203 is still there");
        let unmatched: Vec<&str> = filtered.unmatched.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(unmatched, ["PLD104"]);
        let elsewhere: Vec<&str> = filtered.elsewhere.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(elsewhere, ["b/Dockerfile", "b/Dockerfile"]);
    }

    #[test]
    fn paths_are_relative_to_the_baseline_folder() {
        assert_eq!(relative_to(Path::new("/repo"), Path::new("/repo/./x/../app/Dockerfile")), "app/Dockerfile");
        assert_eq!(relative_to(Path::new("/repo/sub"), Path::new("/repo/Dockerfile")), "/repo/Dockerfile");
        // The same finding seen from another checkout of the repository has the same entry.
        let here = Baseline::record([&report("/one/Dockerfile", INSECURE)], Path::new("/one"));
        let there = Baseline::record([&report("/two/Dockerfile", INSECURE)], Path::new("/two"));
        assert_eq!(here.entries, there.entries);
    }

    #[test]
    fn malformed_baselines_say_where() {
        let root = Path::new("/repo");
        let cases = [
            ("{\"version\": 1,\n  \"tool\": \"plimsoll\",\n  \"findings\": [}\n", 3, 16, "expected value"),
            ("{\"version\": 2, \"tool\": \"plimsoll\", \"findings\": []}", 1, 13, "baseline version 2"),
            ("{\"version\": 1, \"tool\": \"hadolint\", \"findings\": []}", 1, 33, "not of `plimsoll`"),
            (
                "{\"version\": 1, \"tool\": \"plimsoll\", \"findings\": [{\"path\": \"x\"}]}",
                1,
                61,
                "missing field `code`",
            ),
            ("", 1, 1, "EOF"),
        ];
        for (text, line, column, message) in cases {
            let e = Baseline::parse(text, root).expect_err(text);
            assert_eq!((e.line, e.column), (line, column), "{text}: {e:?}");
            assert!(e.message.contains(message), "{text}: {e:?}");
            assert!(!e.message.contains(" at line "), "{e:?}");
        }
    }
}
