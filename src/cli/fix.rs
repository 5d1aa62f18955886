//! `check --fix` and `--diff`: apply fixes to a file's text, re-lint, repeat; show the change as a unified diff.

use std::collections::BTreeMap;

use crate::compose::project::{FileSource, Overlay};
use crate::diagnostic::{Applicability, Applied, Diagnostic, Fix, apply_fixes};
use crate::{FileReport, SourceFile};

/// At most this many lint-and-fix passes per file, in case fixes keep making new work for each other.
const MAX_PASSES: usize = 10;

/// Lines of context around each change in a diff.
const CONTEXT: usize = 3;

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct FixMode {
    pub unsafe_fixes: bool,
}

impl FixMode {
    pub fn allows(self, fix: &Fix) -> bool {
        fix.applicability == Applicability::Safe || self.unsafe_fixes
    }
}

/// What fixing did to a file: the text it had, and how many fixes it took.
pub(super) struct Change {
    pub original: String,
    pub fixed: usize,
}

/// Applies the fixes `mode` allows to `source`, whose findings are `diagnostics`, re-linting the new text with
/// `relint` after each pass, until no fix applies (at most [`MAX_PASSES`] passes). Gives the fixed file with its
/// remaining findings. A file that was not valid UTF-8 is left alone: writing its decoded text back would replace
/// the bytes that were not.
pub(super) fn fix_file(
    source: SourceFile,
    diagnostics: Vec<Diagnostic>,
    mode: FixMode,
    relint: impl Fn(&SourceFile) -> Vec<Diagnostic>,
) -> (FileReport, Change) {
    let mut change = Change { original: source.text.clone(), fixed: 0 };
    let mut report = FileReport { source, diagnostics };
    for _ in 0..MAX_PASSES {
        let Some(applied) = apply_allowed(&report, mode) else { break };
        change.fixed += applied.applied;
        report.source = SourceFile::new(report.source.path.clone(), applied.text);
        report.diagnostics = relint(&report.source);
    }
    (report, change)
}

/// The file's text with the fixes `mode` allows applied, or `None` when none applies (or the file was not valid
/// UTF-8: writing its decoded text back would replace the bytes that were not).
fn apply_allowed(report: &FileReport, mode: FixMode) -> Option<Applied> {
    if !report.source.invalid_utf8.is_empty() {
        return None;
    }
    let fixes: Vec<&Fix> =
        report.diagnostics.iter().filter_map(|d| d.fix.as_ref()).filter(|f| mode.allows(f)).collect();
    let applied = apply_fixes(&report.source.text, &fixes);
    (applied.applied > 0 && applied.text != report.source.text).then_some(applied)
}

/// Fixes a Compose project: every file's allowed fixes are applied to an in-memory copy over `fs`, and the whole
/// project is re-linted with `lint` (a value in one file can change findings in another), until no fix applies
/// (at most [`MAX_PASSES`] passes). Gives each file with its remaining findings and what fixing did to it.
pub(super) fn fix_project(
    fs: &dyn FileSource,
    mode: FixMode,
    lint: impl Fn(&dyn FileSource) -> Vec<FileReport>,
) -> Vec<(FileReport, Change)> {
    let mut overlay = Overlay { base: fs, files: BTreeMap::new() };
    let mut reports = lint(&overlay);
    let mut changes: BTreeMap<std::path::PathBuf, Change> =
        reports.iter().map(|r| (r.source.path.clone(), Change { original: r.source.text.clone(), fixed: 0 })).collect();
    for _ in 0..MAX_PASSES {
        let mut any = false;
        for report in &reports {
            let Some(applied) = apply_allowed(report, mode) else { continue };
            any = true;
            if let Some(change) = changes.get_mut(&report.source.path) {
                change.fixed += applied.applied;
            }
            overlay.insert(&report.source.path, applied.text);
        }
        if !any {
            break;
        }
        reports = lint(&overlay);
    }
    reports
        .into_iter()
        .map(|r| {
            let change =
                changes.remove(&r.source.path).unwrap_or_else(|| Change { original: r.source.text.clone(), fixed: 0 });
            (r, change)
        })
        .collect()
}

/// A unified diff of two texts of the file at `path`, empty when they are equal. Line endings are kept as they
/// are, so a change of `\r\n` shows.
pub(super) fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = diff_lines(&a, &b);
    let changes: Vec<usize> = ops.iter().enumerate().filter(|(_, (kind, _))| *kind != ' ').map(|(i, _)| i).collect();
    let mut out = String::new();
    if changes.is_empty() {
        return out;
    }
    out.push_str(&format!("--- {path}\n+++ {path}\n"));
    // The old and new line counts before each operation.
    let mut before = Vec::with_capacity(ops.len() + 1);
    let (mut old_line, mut new_line) = (0, 0);
    for (kind, _) in &ops {
        before.push((old_line, new_line));
        old_line += usize::from(*kind != '+');
        new_line += usize::from(*kind != '-');
    }
    before.push((old_line, new_line));
    let span = |start: usize, len: usize| match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    };
    let mut i = 0;
    while i < changes.len() {
        let mut j = i;
        while j + 1 < changes.len() && changes[j + 1] - changes[j] <= 2 * CONTEXT + 1 {
            j += 1;
        }
        let (start, end) = (changes[i].saturating_sub(CONTEXT), (changes[j] + CONTEXT + 1).min(ops.len()));
        let ((old_start, new_start), (old_end, new_end)) = (before[start], before[end]);
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            span(old_start, old_end - old_start),
            span(new_start, new_end - new_start)
        ));
        for (kind, line) in &ops[start..end] {
            out.push(*kind);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
        i = j + 1;
    }
    out
}

/// The lines of `a` and `b` as a script of kept (`' '`), removed (`'-'`) and added (`'+'`) lines: the common
/// start and end are kept, and the middle is a longest common subsequence when it is small enough to compute
/// cheaply, else removed whole and added whole.
fn diff_lines<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<(char, &'a str)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (mid_a, mid_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<(char, &str)> = a[..prefix].iter().map(|l| (' ', *l)).collect();
    let (n, m) = (mid_a.len(), mid_b.len());
    if n.saturating_mul(m) <= 4_000_000 {
        // lcs[i * (m + 1) + j]: the length of a longest common subsequence of mid_a[i..] and mid_b[j..].
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if mid_a[i] == mid_b[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && mid_a[i] == mid_b[j] {
                ops.push((' ', mid_a[i]));
                (i, j) = (i + 1, j + 1);
            } else if j == m || (i < n && lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                ops.push(('-', mid_a[i]));
                i += 1;
            } else {
                ops.push(('+', mid_b[j]));
                j += 1;
            }
        }
    } else {
        ops.extend(mid_a.iter().map(|l| ('-', *l)));
        ops.extend(mid_b.iter().map(|l| ('+', *l)));
    }
    ops.extend(a[a.len() - suffix..].iter().map(|l| (' ', *l)));
    ops
}

#[cfg(test)]
mod tests {
    use super::unified_diff;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified_diff("Dockerfile", "a\nb\n", "a\nb\n"), "");
        assert_eq!(unified_diff("Dockerfile", "", ""), "");
    }

    #[test]
    fn a_changed_line_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(unified_diff("D", old, new), "--- D\n+++ D\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
    }

    #[test]
    fn far_apart_changes_make_two_hunks_and_near_ones_one() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let far = old.replace("2\n", "two\n").replacen("19\n", "nineteen\n", 1);
        let diff = unified_diff("D", &old, &far);
        assert_eq!(diff.matches("@@ -").count(), 2, "{diff}");
        assert!(diff.contains("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n"), "{diff}");
        let near = old.replacen("5\n", "five\n", 1).replacen("11\n", "eleven\n", 1);
        assert_eq!(unified_diff("D", &old, &near).matches("@@ -").count(), 1);
    }

    #[test]
    fn added_and_removed_lines_and_a_missing_final_newline() {
        assert_eq!(
            unified_diff("D", "a\nb", "a\nc"),
            "--- D\n+++ D\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
        );
        assert_eq!(unified_diff("D", "", "x\n"), "--- D\n+++ D\n@@ -0,0 +1 @@\n+x\n");
        assert_eq!(unified_diff("D", "a\nb\n", "b\n"), "--- D\n+++ D\n@@ -1,2 +1 @@\n-a\n b\n");
    }

    #[test]
    fn line_endings_are_kept() {
        assert_eq!(unified_diff("D", "a -k\r\n", "a\r\n"), "--- D\n+++ D\n@@ -1 +1 @@\n-a -k\r\n+a\r\n");
    }
}
