//! Maps from script offsets to file offsets.

use crate::dockerfile::LogicalLine;
use crate::source::{TextRange, to_u32};

/// Where the bytes of a script are in the file.
pub(crate) trait OffsetMap {
    /// File offset of script offset `i`, taken as the start of a range.
    fn start(&self, i: usize) -> u32;
    /// File offset of script offset `i`, taken as the end of a range (`i > 0`): the end of the byte before it.
    fn end(&self, i: usize) -> u32;

    fn range(&self, start: usize, end: usize) -> TextRange {
        let s = self.start(start);
        if end <= start {
            return TextRange::empty(s);
        }
        TextRange::new(s, self.end(end).max(s))
    }
}

/// A caller's function, used for starts; an end is one past the byte before it.
pub(crate) struct FnMap<'a>(pub &'a dyn Fn(usize) -> u32);

impl OffsetMap for FnMap<'_> {
    fn start(&self, i: usize) -> u32 {
        (self.0)(i)
    }
    fn end(&self, i: usize) -> u32 {
        match i.checked_sub(1) {
            Some(before) => (self.0)(before).saturating_add(1),
            None => (self.0)(0),
        }
    }
}

/// Pieces of text each contiguous in some other map or in the file: `(script start, piece)`, sorted.
pub(crate) struct PieceMap<'a> {
    pub pieces: Vec<(usize, Piece<'a>)>,
}

pub(crate) enum Piece<'a> {
    /// Continues in the logical line at this logical offset.
    Line(&'a LogicalLine, usize),
    /// Continues in the file at this offset, up to (at most) the second.
    File(u32, u32),
}

impl PieceMap<'_> {
    fn locate(&self, i: usize, end: bool) -> u32 {
        let k = if end {
            self.pieces.partition_point(|&(s, _)| s < i)
        } else {
            self.pieces.partition_point(|&(s, _)| s <= i)
        };
        let Some((s, piece)) = k.checked_sub(1).and_then(|k| self.pieces.get(k)) else {
            return match self.pieces.first() {
                Some((_, Piece::Line(line, at))) => line.to_source(*at),
                Some((_, Piece::File(at, _))) => *at,
                None => 0,
            };
        };
        let d = i - s;
        match piece {
            Piece::Line(line, at) if end => line.to_source_end(at + d),
            Piece::Line(line, at) => line.to_source(at + d),
            Piece::File(at, max) => at.saturating_add(to_u32(d)).min(*max),
        }
    }
}

impl OffsetMap for PieceMap<'_> {
    fn start(&self, i: usize) -> u32 {
        self.locate(i, false)
    }
    fn end(&self, i: usize) -> u32 {
        self.locate(i, true)
    }
}

/// Every offset maps to one range (a JSON string literal with escapes).
pub(crate) struct WholeMap(pub TextRange);

impl OffsetMap for WholeMap {
    fn start(&self, _: usize) -> u32 {
        self.0.start
    }
    fn end(&self, _: usize) -> u32 {
        self.0.end
    }
}

/// A string value inside a parent script: `offsets[i]` is the parent offset of value byte `i`, and
/// `offsets[len]` the parent offset just after the value.
pub(crate) struct NestedMap<'a> {
    pub outer: &'a dyn OffsetMap,
    pub offsets: super::literal::Offsets,
}

impl OffsetMap for NestedMap<'_> {
    fn start(&self, i: usize) -> u32 {
        match self.offsets.get(i).or(self.offsets.last()) {
            Some(&(s, _)) => self.outer.start(s),
            None => self.outer.start(0),
        }
    }
    fn end(&self, i: usize) -> u32 {
        match i.checked_sub(1).and_then(|b| self.offsets.get(b)) {
            Some(&(_, e)) => self.outer.end(e),
            None => self.start(i),
        }
    }
}
