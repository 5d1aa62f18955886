//! Comments, which saphyr's parser does not report, recovered from the text.
//!
//! A `#` starts a comment at the start of a line or after a blank, unless it is inside a scalar: the
//! builder hands over the ranges of every scalar's content, and those are skipped.

use crate::source::{Spanned, TextRange};

/// The comments of `text`. `scalars` must be sorted and non-overlapping. From `understood_until` on (the
/// position of a syntax error) nothing is known about scalars, so only whole-line comments count there.
pub(super) fn scan(text: &str, scalars: &[TextRange], understood_until: usize) -> Vec<Spanned<String>> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut next_scalar = 0;
    let mut pos = 0;
    while let Some(found) = memchr::memchr(b'#', bytes.get(pos..).unwrap_or_default()) {
        let hash = pos + found;
        pos = hash + 1;
        while scalars.get(next_scalar).is_some_and(|r| r.end as usize <= hash) {
            next_scalar += 1;
        }
        if scalars.get(next_scalar).is_some_and(|r| r.start as usize <= hash) {
            continue;
        }
        let starts_comment = match hash.checked_sub(1).map(|i| bytes[i]) {
            None | Some(b' ' | b'\t' | b'\r' | b'\n') => true,
            // A `#` right after a byte order mark at the start of the file.
            Some(_) => text.get(..hash) == Some("\u{feff}"),
        };
        if !starts_comment || (hash >= understood_until && !first_on_line(bytes, hash)) {
            continue;
        }
        let line_end = memchr::memchr(b'\n', &bytes[hash..]).map_or(bytes.len(), |p| hash + p);
        let end = if line_end > hash && bytes[line_end - 1] == b'\r' { line_end - 1 } else { line_end };
        let value = text.get(hash + 1..end).unwrap_or_default().to_owned();
        comments.push(Spanned::new(value, TextRange::from_usize(hash, end)));
        pos = line_end;
    }
    comments
}

/// Whether only blanks stand between the start of the line and `at`.
fn first_on_line(bytes: &[u8], at: usize) -> bool {
    let blanks = bytes[..at].iter().rev().take_while(|&&b| b == b' ' || b == b'\t').count();
    at == blanks || bytes[at - blanks - 1] == b'\n'
}
