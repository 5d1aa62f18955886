//! The located value tree every Compose stage works on: a YAML document turned into plain values, each
//! knowing the file and byte range of its text and how it reached its place (an alias, a merge key, an
//! `extends`, an `include`, an interpolated variable). Interpolation, merging and the typed model all read
//! and write this tree, so a finding always points at the text a person must change.

use serde::Serialize;

use super::yaml::{self, NodeKind, Style};
use crate::source::TextRange;

/// Which file of a project a range is in: an index into the project's file list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FileId(pub u32);

/// A range in one file of the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Place {
    pub file: FileId,
    pub range: TextRange,
}

/// How a value reached the place where it is used, besides being written there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Via {
    /// Copied through `*alias` (at `at`) from the anchored definition.
    Alias { at: Place },
    /// Merged into a mapping through a `<<` merge key (at `at`).
    MergeKey { at: Place },
    /// Inherited through a service's `extends:` (at `at`).
    Extends { at: Place },
    /// Brought in by a top-level `include:` entry (at `at`).
    Include { at: Place },
    /// The text held `${variable}` (or `$variable`); `value` is what it was replaced with, `None` when the
    /// variable was unset.
    Interpolation { variable: String, value: Option<String> },
    /// The text held `${variable}` (or `$variable`, at `at`) with the variable unset: Compose put an empty
    /// string there, at byte `offset` of the value (the value is what Compose uses; rules decide whether it
    /// can be judged).
    Unset { variable: String, at: Place, offset: usize },
}

/// Where a value came from: the text that defines it, and the ways it travelled, in the order they happened
/// (the first entry is the closest to the definition).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub place: Place,
    pub via: Vec<Via>,
}

impl Origin {
    pub fn new(file: FileId, range: TextRange) -> Self {
        Origin { place: Place { file, range }, via: Vec::new() }
    }

    /// The place where the value is used in the end: the outermost alias, merge key, extends or include,
    /// or the definition itself.
    pub fn use_place(&self) -> Place {
        self.via
            .iter()
            .rev()
            .find_map(|v| match v {
                Via::Alias { at } | Via::MergeKey { at } | Via::Extends { at } | Via::Include { at } => Some(*at),
                Via::Interpolation { .. } | Via::Unset { .. } => None,
            })
            .unwrap_or(self.place)
    }

    /// Whether an unset variable was replaced by an empty string somewhere in this value.
    pub fn has_unset(&self) -> bool {
        self.via.iter().any(|v| matches!(v, Via::Unset { .. }))
    }

    /// The unset variables replaced by an empty string in this value: name, place of the reference, offset in
    /// the value.
    pub fn unset(&self) -> impl Iterator<Item = (&str, Place, usize)> {
        self.via.iter().filter_map(|v| match v {
            Via::Unset { variable, at, offset } => Some((variable.as_str(), *at, *offset)),
            _ => None,
        })
    }

    /// This origin without the unset variables outside `part` (byte offsets of the value, both ends included):
    /// for a finding about one field of a short syntax (`${IP}:${PORT}:80`'s address).
    pub fn unset_only_in(&self, part: std::ops::RangeInclusive<usize>) -> Origin {
        let mut origin = self.clone();
        origin.via.retain(|v| !matches!(v, Via::Unset { offset, .. } if !part.contains(offset)));
        origin
    }

    pub fn with(mut self, via: Via) -> Self {
        self.via.push(via);
        self
    }
}

/// A scalar: its text as YAML reads it, and whether it was quoted or a block scalar (then it is always a
/// string, never a bool, number or null).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scalar {
    pub text: String,
    pub quoted: bool,
}

/// One `key: value` of a mapping, in source order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MapEntry {
    pub key: String,
    pub key_origin: Origin,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum ValueKind {
    Scalar(Scalar),
    Seq(Vec<Value>),
    Map(Vec<MapEntry>),
}

/// A value of a Compose file with its origin and its tag (`!reset`, `!override`, or another as written).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Value {
    pub kind: ValueKind,
    pub origin: Origin,
    pub tag: Option<String>,
}

impl Value {
    /// Converts a YAML node of file `file`. Aliases and merge keys become [`Via`] entries; unexpanded aliases
    /// and omitted content (already reported by the YAML layer) become null scalars.
    pub fn from_yaml(node: &yaml::Node, file: FileId) -> Value {
        let mut origin = Origin::new(file, node.range);
        if let Some(at) = node.via_alias {
            origin.via.push(Via::Alias { at: Place { file, range: at } });
        }
        let kind = match &node.kind {
            NodeKind::Scalar(text) => ValueKind::Scalar(Scalar {
                text: if node.is_null() { String::new() } else { text.clone() },
                quoted: node.style != Style::Plain
                    || matches!(node.tag_name(), Some("!!str" | "!<tag:yaml.org,2002:str>")),
            }),
            NodeKind::Sequence(items) => ValueKind::Seq(items.iter().map(|n| Value::from_yaml(n, file)).collect()),
            NodeKind::Mapping(entries) => {
                let mut out: Vec<MapEntry> = Vec::with_capacity(entries.len());
                for entry in entries {
                    let Some(key) = entry.key.as_str() else { continue };
                    let mut value = Value::from_yaml(&entry.value, file);
                    let mut key_origin = Origin::new(file, entry.key.range);
                    if let Some(at) = entry.key.via_alias {
                        key_origin.via.push(Via::Alias { at: Place { file, range: at } });
                    }
                    if let Some(at) = entry.via_merge {
                        let via = Via::MergeKey { at: Place { file, range: at } };
                        key_origin.via.push(via.clone());
                        value.add_via(&via);
                    }
                    // A duplicated key: the later entry wins (the YAML layer reported it).
                    out.retain(|e| e.key != key);
                    out.push(MapEntry { key: key.to_owned(), key_origin, value });
                }
                ValueKind::Map(out)
            }
            NodeKind::Alias { .. } | NodeKind::Omitted => {
                ValueKind::Scalar(Scalar { text: String::new(), quoted: false })
            }
        };
        Value { kind, origin, tag: node.tag.as_ref().map(|t| t.value.clone()) }
    }

    /// Records one more way this value and everything inside it travelled.
    pub fn add_via(&mut self, via: &Via) {
        self.origin.via.push(via.clone());
        match &mut self.kind {
            ValueKind::Scalar(_) => {}
            ValueKind::Seq(items) => items.iter_mut().for_each(|v| v.add_via(via)),
            ValueKind::Map(entries) => entries.iter_mut().for_each(|e| {
                e.key_origin.via.push(via.clone());
                e.value.add_via(via);
            }),
        }
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tag.as_deref() == Some(tag)
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            ValueKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// A scalar's text (any scalar: `true` and `8080` too).
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    pub fn as_seq(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[MapEntry]> {
        match &self.kind {
            ValueKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.get_entry(key).map(|e| &e.value)
    }

    pub fn get_entry(&self, key: &str) -> Option<&MapEntry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match &mut self.kind {
            ValueKind::Map(entries) => entries.iter_mut().find(|e| e.key == key).map(|e| &mut e.value),
            _ => None,
        }
    }

    fn plain(&self) -> Option<&str> {
        self.as_scalar().filter(|s| !s.quoted).map(|s| s.text.as_str())
    }

    /// An unquoted empty scalar, `~` or `null` (these were turned into empty text). A scalar that interpolation
    /// changed is never null: Compose interpolates strings, and converts them to booleans or numbers by path.
    pub fn is_null(&self) -> bool {
        !self.is_interpolated() && self.plain().is_some_and(|t| t.is_empty() || yaml::scalar::is_null(t))
    }

    /// Whether a variable was substituted into this value.
    pub fn is_interpolated(&self) -> bool {
        self.origin.via.iter().any(|v| matches!(v, Via::Interpolation { .. }))
    }

    /// A scalar's text with each unset variable written back where Compose put an empty string (as `${NAME}`,
    /// which holds no `:` or `/`): what a short syntax is read from when the Compose value cannot be read, so
    /// that the fields around the variable stay where they are. `None` when no variable was unset.
    pub fn with_unset_written(&self) -> Option<String> {
        let text = self.as_str()?;
        let mut unset: Vec<(&str, usize)> = self.origin.unset().map(|(name, _, offset)| (name, offset)).collect();
        if unset.is_empty() {
            return None;
        }
        unset.sort_by_key(|(_, offset)| *offset);
        let mut out = String::with_capacity(text.len() + 8 * unset.len());
        let mut from = 0;
        for (name, offset) in unset {
            let piece = text.get(from..offset)?;
            out.push_str(piece);
            out.push_str("${");
            out.push_str(name);
            out.push('}');
            from = offset;
        }
        out.push_str(text.get(from..)?);
        Some(out)
    }

    /// An unquoted boolean, read as Compose reads it (`true`/`false` in three spellings; `yes` is a string).
    pub fn as_bool(&self) -> Option<bool> {
        self.plain().and_then(yaml::scalar::parse_bool)
    }

    /// An unquoted integer, read as Compose reads it (a leading zero means octal).
    pub fn as_int(&self) -> Option<i64> {
        self.plain().and_then(yaml::scalar::parse_int)
    }

    /// An unquoted number.
    pub fn as_float(&self) -> Option<f64> {
        self.plain().and_then(yaml::scalar::parse_float)
    }

    /// A word for messages: `null`, `boolean`, `integer`, `number`, `string`, `sequence` or `mapping`.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            ValueKind::Scalar(_) if self.is_null() => "null",
            ValueKind::Scalar(_) if self.as_bool().is_some() => "boolean",
            ValueKind::Scalar(_) if self.as_int().is_some() => "integer",
            ValueKind::Scalar(_) if self.as_float().is_some() => "number",
            ValueKind::Scalar(_) => "string",
            ValueKind::Seq(_) => "sequence",
            ValueKind::Map(_) => "mapping",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Value {
        let file = yaml::parse(text);
        Value::from_yaml(&file.documents[0].root, FileId(0))
    }

    #[test]
    fn origins_through_anchor_and_merge_key() {
        let text = "x-base: &base\n  privileged: true\nservices:\n  web:\n    <<: *base\n    image: nginx\n";
        let root = load(text);
        let web = root.get("services").and_then(|s| s.get("web")).expect("web");
        let privileged = web.get("privileged").expect("privileged");
        assert_eq!(privileged.as_bool(), Some(true));
        assert_eq!(&text[privileged.origin.place.range.as_usize()], "true");
        let used = privileged.origin.use_place().range;
        assert_eq!(&text[used.as_usize()], "<<");
        assert!(matches!(privileged.origin.via[0], Via::Alias { .. }), "{:?}", privileged.origin.via);
    }

    #[test]
    fn scalars_keep_quoting_and_nulls_read_as_null() {
        let root = load("a: 'true'\nb: true\nc: ~\nd:\ne: 0644\nf: \"\"\n");
        assert_eq!(root.get("a").and_then(Value::as_bool), None);
        assert_eq!(root.get("b").and_then(Value::as_bool), Some(true));
        assert!(root.get("c").is_some_and(Value::is_null));
        assert!(root.get("d").is_some_and(Value::is_null));
        assert_eq!(root.get("e").and_then(Value::as_int), Some(0o644));
        assert!(!root.get("f").is_some_and(Value::is_null));
        assert_eq!(root.get("f").map(Value::type_name), Some("string"));
    }

    #[test]
    fn unset_variables_are_written_back_and_filtered_by_part() {
        let mut value = load("v: '/a:/b:'\n").get("v").cloned().expect("v");
        let at = Place { file: FileId(0), range: TextRange::new(3, 12) };
        value.origin.via.push(Via::Unset { variable: "RO".into(), at, offset: 6 });
        value.origin.via.push(Via::Unset { variable: "ROOT".into(), at, offset: 0 });
        assert_eq!(value.with_unset_written().as_deref(), Some("${ROOT}/a:/b:${RO}"));
        assert!(value.origin.has_unset());
        let names = |o: &Origin| o.unset().map(|(n, _, _)| n.to_owned()).collect::<Vec<_>>();
        assert_eq!(names(&value.origin.unset_only_in(0..=2)), ["ROOT"]);
        assert_eq!(names(&value.origin.unset_only_in(3..=6)), ["RO"]);
        // An offset past the text (a value changed since) gives nothing rather than a wrong text.
        value.origin.via.push(Via::Unset { variable: "X".into(), at, offset: 99 });
        assert_eq!(value.with_unset_written(), None);
        assert_eq!(load("v: x\n").get("v").and_then(Value::with_unset_written), None);
    }

    #[test]
    fn tags_are_kept() {
        let root = load("ports: !reset []\nenvironment: !override\n  A: 1\n");
        assert!(root.get("ports").is_some_and(|v| v.has_tag("!reset")));
        assert!(root.get("environment").is_some_and(|v| v.has_tag("!override")));
    }
}
