//! A YAML span tree for Compose files, built from `saphyr-parser` events.
//!
//! [`parse`] never fails: it returns every document it could read, the comments, and diagnostics
//! ([`PLC001`](super::YAML_SYNTAX_ERROR) syntax, [`PLC002`](super::DUPLICATE_KEY) duplicate key,
//! [`PLC003`](super::YAML_LIMIT_EXCEEDED) limits). Every node carries the byte range of its text.
//!
//! What the tree resolves, so that later layers do not have to:
//! * **Aliases** are replaced by a copy of the anchored node. The copy keeps the ranges of the definition
//!   (findings point at the text to change) and records the `*alias` in [`Node::via_alias`].
//! * **Merge keys** (`<<: *base`, `<<: [*a, *b]`, `<<: {..}`) are applied as the YAML merge-key spec says:
//!   keys written in the mapping win, and an earlier mapping in a `<<` list wins over a later one. Merged
//!   entries keep their own ranges and record the `<<` in [`Entry::via_merge`].
//! * **Limits**: nesting deeper than [`MAX_DEPTH`] and alias expansion past a node budget (see
//!   [`ALIAS_EXPANSION_FLOOR`]) stop with a diagnostic, so alias bombs and deep nesting cost milliseconds.
//!
//! What it keeps as written: tags (`!reset`, `!override`, any other), scalar text and style. The typed
//! readings ([`Node::as_bool`], [`Node::as_int`], [`Node::as_float`], [`Node::is_null`]) follow Compose's
//! YAML libraries rather than the letter of YAML 1.2; see each method.

mod build;
mod comments;
pub(crate) mod scalar;
mod text;

#[cfg(test)]
mod tests;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Spanned, TextRange};

/// Collections nested deeper than this are not built: the inner content becomes [`NodeKind::Omitted`].
pub const MAX_DEPTH: usize = 512;

/// Alias expansion may create this many nodes, or ten times the number of nodes written in the file if
/// that is more. Past the budget, aliases stay unexpanded ([`NodeKind::Alias`]).
pub const ALIAS_EXPANSION_FLOOR: usize = 100_000;

/// Parses YAML text (one or more documents) into span trees. Never fails and never panics.
pub fn parse(text: &str) -> YamlFile {
    build::build(text)
}

/// Everything read from one YAML file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlFile {
    /// The documents in order. A document cut short by a syntax error is included with what was read
    /// before the error ([`Document::complete`] is `false`); nothing after the error is read.
    pub documents: Vec<Document>,
    /// Comments in source order. The value is the text after `#` up to the end of the line (without a
    /// trailing `\r`); the range covers the `#` and that text. `#` inside quoted or block scalars is not a
    /// comment. After a syntax error only whole-line comments are reported, since the text there is not
    /// understood.
    pub comments: Vec<Spanned<String>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl YamlFile {
    /// Whether any diagnostic is an error (the file would not load in Compose).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// One YAML document (a file holds several when they are separated by `---`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The top node. An empty document has an empty plain scalar (null) as its root.
    pub root: Node,
    /// From the `---` marker (or the root's first character) to the end of the root (or the `...` marker).
    pub range: TextRange,
    /// `false` when a syntax error stopped reading inside this document.
    pub complete: bool,
}

/// How a node is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// A plain (unquoted) scalar; also used for [`NodeKind::Alias`] and [`NodeKind::Omitted`].
    Plain,
    /// `'text'`
    SingleQuoted,
    /// `"text"`
    DoubleQuoted,
    /// `|` block scalar.
    Literal,
    /// `>` block scalar.
    Folded,
    /// An indented mapping or a `- ` list.
    Block,
    /// `{...}` or `[...]` (also a single `key: value` pair written inside `[...]`).
    Flow,
}

impl Style {
    /// Quoted scalars are always strings: never null, bool or a number.
    pub fn is_quoted(self) -> bool {
        matches!(self, Style::SingleQuoted | Style::DoubleQuoted)
    }

    /// `|` or `>` block scalars.
    pub fn is_block_scalar(self) -> bool {
        matches!(self, Style::Literal | Style::Folded)
    }
}

/// What a node holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A scalar's value: quotes removed, escapes decoded, lines folded, as YAML defines it.
    /// The text exactly as written is `&source[node.range]`.
    Scalar(String),
    Sequence(Vec<Node>),
    /// Entries in source order, with merge keys already applied. Duplicate keys stay (both entries are
    /// here); [`Node::get`] returns the last, which is the one that counts.
    Mapping(Vec<Entry>),
    /// An alias that was not expanded: expansion would pass a limit, or the anchor is unknown or contains
    /// the alias. A diagnostic says which. `target` is the range of the anchored node when it is known.
    Alias {
        name: String,
        target: Option<TextRange>,
    },
    /// Content nested deeper than [`MAX_DEPTH`], left out; a `PLC003` diagnostic reports it.
    Omitted,
}

/// One `key: value` pair of a mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
    /// For an entry merged in through a merge key: the range of that `<<` key in this mapping.
    pub via_merge: Option<TextRange>,
}

impl Entry {
    /// The key's text when the key is a scalar.
    pub fn key_str(&self) -> Option<&str> {
        self.key.as_str()
    }
}

/// A YAML node with the byte range of its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    /// Where the node's own text is: for a scalar its value (quotes included; for a block scalar from the
    /// `|` or `>` to the last non-blank character of the content); for a collection from its first
    /// character (`[`, `{`, `-`, or its first key) to the end of its last item where that item appears (or
    /// to the closing bracket).
    /// Anchors and tags are not included; they have their own ranges. For a copy made through an alias,
    /// this is the range of the anchored definition; see [`Node::use_range`].
    pub range: TextRange,
    pub style: Style,
    /// The tag as written (`!reset`, `!override`, `!!str`, ...), with its range.
    pub tag: Option<Spanned<String>>,
    /// The anchor's name (without `&`) and the range of `&name`. A copy made through an alias keeps the
    /// anchor of the definition.
    pub anchor: Option<Spanned<String>>,
    /// Set on every node of a copy made through an alias: the range of the `*name` that put it here
    /// (the outermost alias, when aliases nest).
    pub via_alias: Option<TextRange>,
}

impl Node {
    /// Where this node appears in the document: the `*alias` for a copy made through an alias, the node's
    /// own range otherwise.
    pub fn use_range(&self) -> TextRange {
        self.via_alias.unwrap_or(self.range)
    }

    /// The value of `key` in a mapping (the last entry, if the key is duplicated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.get_entry(key).map(|entry| &entry.value)
    }

    /// The entry for `key` in a mapping (the last one, if the key is duplicated).
    pub fn get_entry(&self, key: &str) -> Option<&Entry> {
        self.as_mapping()?.iter().rev().find(|entry| entry.key.as_str() == Some(key))
    }

    /// The value of a scalar (any style), as YAML reads it.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(value) => Some(value),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Sequence(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_mapping(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    /// The entries of a mapping whose key is a scalar, with the key's text. Empty for other nodes.
    /// Entries with a collection as key are skipped (Compose does not allow them); see [`Node::as_mapping`].
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.as_mapping().unwrap_or_default().iter().filter_map(|entry| entry.key.as_str().map(|key| (key, entry)))
    }

    pub fn is_scalar(&self) -> bool {
        matches!(self.kind, NodeKind::Scalar(_))
    }

    pub fn is_sequence(&self) -> bool {
        matches!(self.kind, NodeKind::Sequence(_))
    }

    pub fn is_mapping(&self) -> bool {
        matches!(self.kind, NodeKind::Mapping(_))
    }

    /// The tag as written, if any (`!reset`).
    pub fn tag_name(&self) -> Option<&str> {
        self.tag.as_ref().map(|tag| tag.value.as_str())
    }

    /// Whether the node has exactly this tag, as written (`node.has_tag("!override")`).
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tag_name() == Some(tag)
    }

    /// A word for messages: `null`, `boolean`, `integer`, `number`, `string`, `sequence`, `mapping`,
    /// `alias` or `omitted content`.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar(_) if self.is_null() => "null",
            NodeKind::Scalar(_) if self.as_bool().is_some() => "boolean",
            NodeKind::Scalar(_) if self.as_int().is_some() => "integer",
            NodeKind::Scalar(_) if self.as_float().is_some() => "number",
            NodeKind::Scalar(_) => "string",
            NodeKind::Sequence(_) => "sequence",
            NodeKind::Mapping(_) => "mapping",
            NodeKind::Alias { .. } => "alias",
            NodeKind::Omitted => "omitted content",
        }
    }

    /// The text of a scalar that the YAML core schema may read as null, bool or a number: a plain scalar
    /// not tagged `!!str`. Other tags (`!reset`, `!override`) do not change how the value reads.
    fn untyped_text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(value) if self.style == Style::Plain && !self.is_str_tagged() => Some(value),
            _ => None,
        }
    }

    fn is_str_tagged(&self) -> bool {
        matches!(self.tag_name(), Some("!!str" | "!<tag:yaml.org,2002:str>"))
    }

    /// `~`, `null`, `Null`, `NULL` or nothing at all (`key:`), unquoted.
    pub fn is_null(&self) -> bool {
        self.untyped_text().is_some_and(scalar::is_null)
    }

    /// `true`/`True`/`TRUE` or `false`/`False`/`FALSE`, unquoted. As in YAML 1.2 and Compose (compose-go),
    /// `yes`, `no`, `on` and `off` are strings.
    pub fn as_bool(&self) -> Option<bool> {
        self.untyped_text().and_then(scalar::parse_bool)
    }

    /// An unquoted integer as Compose's YAML libraries read it: decimal, `0x` hex, `0o` octal, `0b` binary,
    /// an optional sign, `_` separators ignored. **A leading zero means octal**: `0644` is 420. YAML 1.2's
    /// core schema would read it as decimal 644, but go-yaml v3, goccy/go-yaml (compose-go v2) and
    /// go-yaml v4 all keep YAML 1.1's octal, so `mode: 0644` means what a Unix user expects.
    /// `None` when the text is not an integer or does not fit in an `i64`.
    pub fn as_int(&self) -> Option<i64> {
        self.untyped_text().and_then(scalar::parse_int)
    }

    /// An unquoted number: anything [`Node::as_int`] reads, a decimal float (`1.5`, `.5`, `1e3`, `-2.5E-3`),
    /// `.inf`, `-.inf` or `.nan` (in the core schema's three spellings).
    pub fn as_float(&self) -> Option<f64> {
        self.untyped_text().and_then(scalar::parse_float)
    }
}
