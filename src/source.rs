//! Source text, byte ranges and line/column conversion.
//!
//! Every node and diagnostic carries a [`TextRange`] of byte offsets into one file. Lines and columns are
//! computed only at the edges (CLI output, LSP) through a [`LineIndex`].

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A half-open range `start..end` of byte offsets into one file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: u32, end: u32) -> Self {
        debug_assert!(start <= end, "range {start}..{end} is reversed");
        TextRange { start, end }
    }

    /// Builds a range from `usize` offsets; files larger than 4 GiB are refused before parsing.
    pub fn from_usize(start: usize, end: usize) -> Self {
        TextRange::new(to_u32(start), to_u32(end))
    }

    pub fn empty(at: u32) -> Self {
        TextRange { start: at, end: at }
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn as_usize(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<TextRange> for miette::SourceSpan {
    fn from(r: TextRange) -> Self {
        miette::SourceSpan::new((r.start as usize).into(), r.len() as usize)
    }
}

/// Largest input we accept; offsets are `u32`.
pub const MAX_FILE_SIZE: usize = u32::MAX as usize;

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A value together with the range of source text it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    pub range: TextRange,
}

impl<T> Spanned<T> {
    pub fn new(value: T, range: TextRange) -> Self {
        Spanned { value, range }
    }
}

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColumnEncoding {
    /// Bytes of UTF-8 (the CLI's columns, and LSP when the client negotiates `utf-8`).
    #[default]
    Utf8,
    /// UTF-16 code units (LSP's default).
    Utf16,
    /// Unicode scalar values (SARIF's `unicodeCodePoints`).
    Utf32,
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Offsets of line starts in one text, for turning byte offsets into lines and columns and back.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line; `line_starts[0] == 0`.
    line_starts: Vec<u32>,
    /// Whether the text is pure ASCII (then every encoding counts bytes).
    ascii: bool,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| to_u32(i + 1)));
        LineIndex { line_starts, ascii: text.is_ascii(), len: to_u32(text.len()) }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line that holds `offset` (an offset at the end of the text belongs to the last line).
    pub fn line_of(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset of the start of 0-based `line`, or the end of the text past the last line.
    pub fn line_start(&self, line: usize) -> u32 {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// 1-based line and column of `offset` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, offset: u32, encoding: ColumnEncoding) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let column = if self.ascii {
            offset - start
        } else {
            let prefix = text.get(start as usize..offset as usize).unwrap_or_default();
            match encoding {
                ColumnEncoding::Utf8 => offset - start,
                ColumnEncoding::Utf16 => to_u32(prefix.encode_utf16().count()),
                ColumnEncoding::Utf32 => to_u32(prefix.chars().count()),
            }
        };
        LineCol { line: to_u32(line + 1), column: column + 1 }
    }

    /// Byte offset of a 1-based line and column; positions past a line's end clamp to it.
    pub fn offset(&self, text: &str, pos: LineCol, encoding: ColumnEncoding) -> u32 {
        let line = (pos.line.max(1) - 1) as usize;
        if line >= self.line_starts.len() {
            return self.len;
        }
        let start = self.line_starts[line];
        let end = self.line_start(line + 1);
        let line_text = text.get(start as usize..end as usize).unwrap_or_default();
        let wanted = pos.column.max(1) - 1;
        let mut units = 0u32;
        for (i, ch) in line_text.char_indices() {
            if units >= wanted || ch == '\n' {
                return start + to_u32(i);
            }
            units += match encoding {
                ColumnEncoding::Utf8 => ch.len_utf8() as u32,
                ColumnEncoding::Utf16 => ch.len_utf16() as u32,
                ColumnEncoding::Utf32 => 1,
            };
        }
        end
    }
}

/// One file's text as plimsoll reads it.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub line_index: LineIndex,
    /// Byte offsets (in `text`) where the original bytes were not valid UTF-8 and were replaced by U+FFFD.
    pub invalid_utf8: Vec<u32>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let line_index = LineIndex::new(&text);
        SourceFile { path: path.into(), text, line_index, invalid_utf8: Vec::new() }
    }

    /// Decodes bytes, replacing invalid UTF-8 lossily and remembering where.
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: &[u8]) -> Self {
        let (text, invalid_utf8) = decode_lossy(bytes);
        let line_index = LineIndex::new(&text);
        SourceFile { path: path.into(), text, line_index, invalid_utf8 }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn line_col(&self, offset: u32) -> LineCol {
        self.line_index.line_col(&self.text, offset, ColumnEncoding::Utf8)
    }
}

/// Decodes `bytes` as UTF-8, replacing each invalid sequence with U+FFFD, and returns the offsets in the
/// decoded text where replacements were made.
pub fn decode_lossy(bytes: &[u8]) -> (String, Vec<u32>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), Vec::new()),
        Err(_) => {
            let mut text = String::with_capacity(bytes.len() + 16);
            let mut invalid = Vec::new();
            for chunk in bytes.utf8_chunks() {
                text.push_str(chunk.valid());
                if !chunk.invalid().is_empty() {
                    invalid.push(to_u32(text.len()));
                    text.push(char::REPLACEMENT_CHARACTER);
                }
            }
            (text, invalid)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_ascii_and_unicode() {
        let text = "FROM a\nRUN é😀x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0, ColumnEncoding::Utf8), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 7, ColumnEncoding::Utf8), LineCol { line: 2, column: 1 });
        let x = text.find('x').unwrap() as u32;
        assert_eq!(idx.line_col(text, x, ColumnEncoding::Utf8).column, 11);
        assert_eq!(idx.line_col(text, x, ColumnEncoding::Utf16).column, 8);
        assert_eq!(idx.line_col(text, x, ColumnEncoding::Utf32).column, 7);
        for enc in [ColumnEncoding::Utf8, ColumnEncoding::Utf16, ColumnEncoding::Utf32] {
            let lc = idx.line_col(text, x, enc);
            assert_eq!(idx.offset(text, lc, enc), x);
        }
        // end of text is on the last (empty) line
        assert_eq!(idx.line_col(text, text.len() as u32, ColumnEncoding::Utf8), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn lossy_decoding_records_offsets() {
        let (text, invalid) = decode_lossy(b"ab\xffcd\xfe\xfe");
        assert_eq!(text, "ab\u{fffd}cd\u{fffd}\u{fffd}");
        assert_eq!(invalid, vec![2, 7, 10]);
    }
}
