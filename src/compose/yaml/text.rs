//! Reading the source text around saphyr's events: character indices to byte offsets, node properties
//! (`&anchor`, `!tag`), and block scalar headers, none of which saphyr's events report in bytes.

use crate::source::{Spanned, TextRange, to_u32};

/// Converts saphyr's character indices into byte offsets.
///
/// Pure ASCII text needs no table. Otherwise a byte offset is kept for every [`STRIDE`]th character and the
/// rest is walked, which costs 4 bytes per 64 characters instead of 4 per character.
///
/// saphyr may read a patched copy of the text (see [`Insertion`]); offsets in the copy are mapped back to
/// the original text.
pub(super) struct CharOffsets<'t> {
    text: &'t str,
    ascii: bool,
    checkpoints: Vec<u32>,
    insertions: &'t [Insertion],
}

/// Spaces added at the start of a line of the original text before saphyr reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Insertion {
    /// Byte offset of a line start in the original text.
    pub(super) at: u32,
    pub(super) spaces: u32,
}

/// The text with the insertions (sorted by `at`) applied.
pub(super) fn apply_insertions(text: &str, insertions: &[Insertion]) -> String {
    let extra: usize = insertions.iter().map(|i| i.spaces as usize).sum();
    let mut patched = String::with_capacity(text.len() + extra);
    let mut copied = 0;
    for insertion in insertions {
        let at = (insertion.at as usize).clamp(copied, text.len());
        patched.push_str(text.get(copied..at).unwrap_or_default());
        patched.extend(std::iter::repeat_n(' ', insertion.spaces as usize));
        copied = at;
    }
    patched.push_str(text.get(copied..).unwrap_or_default());
    patched
}

/// Maps a byte offset in the patched text back to the original text (inserted spaces map to their line
/// start).
pub(super) fn original_offset(insertions: &[Insertion], patched: u32) -> u32 {
    let mut shift = 0;
    for insertion in insertions {
        let start = insertion.at + shift;
        if patched < start {
            break;
        }
        if patched < start + insertion.spaces {
            return insertion.at;
        }
        shift += insertion.spaces;
    }
    patched - shift
}

const STRIDE: usize = 64;

impl<'t> CharOffsets<'t> {
    /// `text` is what saphyr reads; `insertions` made it from the original.
    pub(super) fn new(text: &'t str, insertions: &'t [Insertion]) -> Self {
        let ascii = text.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            text.char_indices().step_by(STRIDE).map(|(byte, _)| to_u32(byte)).collect()
        };
        CharOffsets { text, ascii, checkpoints, insertions }
    }

    /// The byte offset in the original text of the character at `index`; the end of the text for indices
    /// past it.
    pub(super) fn byte(&self, index: usize) -> u32 {
        original_offset(self.insertions, self.patched_byte(index))
    }

    pub(super) fn insertions(&self) -> &[Insertion] {
        self.insertions
    }

    /// The byte offset in the text saphyr reads.
    pub(super) fn patched_byte(&self, index: usize) -> u32 {
        let len = self.text.len();
        if self.ascii {
            return to_u32(index.min(len));
        }
        let Some(&checkpoint) = self.checkpoints.get(index / STRIDE) else {
            return to_u32(len);
        };
        let checkpoint = checkpoint as usize;
        let rest = self.text.get(checkpoint..).unwrap_or_default();
        let byte = rest.char_indices().nth(index % STRIDE).map_or(len, |(offset, _)| checkpoint + offset);
        to_u32(byte)
    }
}

/// The properties written before a node's content.
#[derive(Default)]
pub(super) struct Properties {
    /// The anchor's name without `&`, with the range of `&name`.
    pub(super) anchor: Option<Spanned<String>>,
    /// The tag as written, with its range.
    pub(super) tag: Option<Spanned<String>>,
    /// Where the content starts: after the properties and the spaces, line breaks and comments after them.
    pub(super) content_start: u32,
}

/// Reads `&anchor` and `!tag` (in either order) at `start`, within `start..limit`.
pub(super) fn scan_properties(text: &str, start: u32, limit: u32) -> Properties {
    let bytes = text.as_bytes();
    let limit = (limit as usize).min(bytes.len());
    let mut props = Properties { content_start: start, ..Properties::default() };
    let mut i = start as usize;
    while i < limit {
        let end = match bytes[i] {
            b'&' if props.anchor.is_none() => {
                let end = token_end(bytes, i + 1, limit);
                let name = text.get(i + 1..end).unwrap_or_default().to_owned();
                props.anchor = Some(Spanned::new(name, TextRange::from_usize(i, end)));
                end
            }
            b'!' if props.tag.is_none() => {
                let end = if bytes.get(i + 1) == Some(&b'<') {
                    // A verbatim tag `!<...>` ends at its `>`.
                    bytes[i..limit].iter().position(|&b| b == b'>').map_or(limit, |p| i + p + 1)
                } else {
                    token_end(bytes, i + 1, limit)
                };
                let tag = text.get(i..end).unwrap_or_default().to_owned();
                props.tag = Some(Spanned::new(tag, TextRange::from_usize(i, end)));
                end
            }
            _ => break,
        };
        props.content_start = to_u32(end);
        i = skip_separation(bytes, end, limit);
    }
    if props.anchor.is_some() || props.tag.is_some() {
        props.content_start = to_u32(i.min(limit));
    }
    props
}

/// The end of an anchor name or tag: the next blank, line break or flow indicator.
fn token_end(bytes: &[u8], from: usize, limit: usize) -> usize {
    bytes[from.min(limit)..limit]
        .iter()
        .position(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'))
        .map_or(limit, |p| from + p)
}

/// Skips blanks, line breaks and comments from `i`, stopping at `limit`.
fn skip_separation(bytes: &[u8], mut i: usize, limit: usize) -> usize {
    while i < limit {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\r' | b'\n') => {
                i = memchr::memchr(b'\n', &bytes[i..limit]).map_or(limit, |p| i + p);
            }
            _ => break,
        }
    }
    i
}

/// The end of a quoted scalar starting at `start` (its closing quote included). saphyr's span runs on over
/// the blanks and comment after the closing quote.
pub(super) fn quoted_scalar_end(text: &str, start: u32, limit: u32) -> u32 {
    let bytes = text.as_bytes();
    let limit = (limit as usize).min(bytes.len());
    let start = start as usize;
    let Some(&quote) = bytes.get(start).filter(|&&b| b == b'"' || b == b'\'') else {
        return to_u32(trim_blank_end(bytes, start, limit));
    };
    let mut i = start + 1;
    while i < limit {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return to_u32(i + 1),
            _ => i += 1,
        }
    }
    to_u32(trim_blank_end(bytes, start, limit))
}

/// Where a block scalar is written.
pub(super) struct BlockScalar {
    /// From the `|` or `>` to the last non-blank character of the content (or the end of the header when
    /// the content is empty).
    pub(super) range: TextRange,
    /// The content lines, which hold no comments; empty when there is no content.
    pub(super) content: TextRange,
}

/// Finds the block scalar whose content saphyr reports ending at `content_end`, looking for its `|` or `>`
/// from `search_from` (saphyr's span starts at the content, or at the properties before the indicator).
pub(super) fn block_scalar(text: &str, search_from: u32, content_end: u32) -> BlockScalar {
    let bytes = text.as_bytes();
    let end = (content_end as usize).min(bytes.len());
    let from = (search_from as usize).min(end);
    let Some(indicator) = find_block_indicator(bytes, from, end) else {
        let range = TextRange::from_usize(from, trim_blank_end(bytes, from, end));
        return BlockScalar { range, content: range };
    };
    let header_end =
        indicator + 1 + bytes[indicator + 1..end].iter().take_while(|b| matches!(b, b'-' | b'+' | b'0'..=b'9')).count();
    let content_start = memchr::memchr(b'\n', &bytes[header_end..end]).map_or(end, |p| header_end + p + 1);
    let trimmed = trim_blank_end(bytes, header_end, end);
    if trimmed < content_start {
        let header = TextRange::from_usize(indicator, header_end);
        return BlockScalar { range: header, content: TextRange::empty(header.end) };
    }
    BlockScalar {
        range: TextRange::from_usize(indicator, trimmed),
        content: TextRange::from_usize(content_start, trimmed),
    }
}

/// The first `|` or `>` in `from..end`, passing over what may stand between the previous token and a block
/// scalar: blanks, line breaks, comments and the indicators `-`, `:`, `?`.
fn find_block_indicator(bytes: &[u8], from: usize, end: usize) -> Option<usize> {
    let mut i = from;
    while i < end {
        match bytes[i] {
            b'|' | b'>' => return Some(i),
            b' ' | b'\t' | b'\r' | b'\n' | b'-' | b':' | b'?' => i += 1,
            b'#' => i = memchr::memchr(b'\n', &bytes[i..end]).map_or(end, |p| i + p),
            _ => return None,
        }
    }
    None
}

/// `end` moved back over blanks and line breaks, not before `floor`.
fn trim_blank_end(bytes: &[u8], floor: usize, mut end: usize) -> usize {
    while end > floor && matches!(bytes[end - 1], b' ' | b'\t' | b'\r' | b'\n') {
        end -= 1;
    }
    end
}

/// The range of the character at `offset`, or an empty range there at a line break or the end.
pub(super) fn char_range_at(text: &str, offset: u32) -> TextRange {
    match text.get(offset as usize..).and_then(|rest| rest.chars().next()) {
        Some(c) if c != '\n' && c != '\r' => TextRange::new(offset, offset + c.len_utf8() as u32),
        _ => TextRange::empty(offset),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_match_char_indices() {
        let text = "é:\u{feff}😀 ".repeat(100) + "tail";
        let offsets = CharOffsets::new(&text, &[]);
        for (index, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(offsets.byte(index) as usize, byte, "char {index}");
        }
        let chars = text.chars().count();
        assert_eq!(offsets.byte(chars) as usize, text.len());
        assert_eq!(offsets.byte(chars + 1000) as usize, text.len());
        let ascii = CharOffsets::new("abc", &[]);
        assert_eq!((ascii.byte(2), ascii.byte(9)), (2, 3));
    }

    #[test]
    fn insertions_map_back_to_the_original() {
        let text = "a: [\nb,\n]\n";
        let insertions = [Insertion { at: 5, spaces: 2 }, Insertion { at: 8, spaces: 1 }];
        let patched = apply_insertions(text, &insertions);
        assert_eq!(patched, "a: [\n  b,\n ]\n");
        let offsets = CharOffsets::new(&patched, &insertions);
        let mapped: Vec<u32> = (0..patched.len()).map(|i| offsets.byte(i)).collect();
        assert_eq!(mapped, [0, 1, 2, 3, 4, 5, 5, 5, 6, 7, 8, 8, 9]);
    }

    #[test]
    fn quoted_scalar_ends() {
        let text = r#""a\"b" # c"#;
        assert_eq!(&text[..quoted_scalar_end(text, 0, text.len() as u32) as usize], r#""a\"b""#);
        let text = "'it''s'  ";
        assert_eq!(quoted_scalar_end(text, 0, text.len() as u32), 7);
    }

    #[test]
    fn properties_in_either_order() {
        let text = "&a !t value";
        let props = scan_properties(text, 0, text.len() as u32);
        let anchor = props.anchor.unwrap();
        assert_eq!((anchor.value.as_str(), anchor.range), ("a", TextRange::new(0, 2)));
        let tag = props.tag.unwrap();
        assert_eq!((tag.value.as_str(), tag.range), ("!t", TextRange::new(3, 5)));
        assert_eq!(props.content_start, 6);

        let text = "!<tag:x> &név # comment\n  [1]";
        let props = scan_properties(text, 0, text.len() as u32);
        assert_eq!(props.tag.unwrap().value, "!<tag:x>");
        assert_eq!(props.anchor.unwrap().value, "név");
        assert_eq!(&text[props.content_start as usize..], "[1]");
    }

    #[test]
    fn block_scalar_headers() {
        let text = "a: |-  # header\n  line\n\nb: 1";
        let block = block_scalar(text, 1, 23);
        assert_eq!(&text[block.range.as_usize()], "|-  # header\n  line");
        assert_eq!(&text[block.content.as_usize()], "  line");
        let empty = "a: >\nb: 1";
        let block = block_scalar(empty, 1, 5);
        assert_eq!(&empty[block.range.as_usize()], ">");
        assert!(block.content.is_empty());
    }
}
