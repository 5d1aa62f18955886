//! Builds the span tree from saphyr's event stream, with an explicit stack (no recursion over the input).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

use super::text::{self, CharOffsets, Insertion, Properties};
use super::{ALIAS_EXPANSION_FLOOR, Document, Entry, MAX_DEPTH, Node, NodeKind, Style, YamlFile, comments};
use crate::compose::{DUPLICATE_KEY, YAML_LIMIT_EXCEEDED, YAML_SYNTAX_ERROR};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{TextRange, to_u32};

pub(super) fn build(text: &str) -> YamlFile {
    let mut insertions: Vec<Insertion> = Vec::new();
    loop {
        let patched: Cow<'_, str> = if insertions.is_empty() {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(text::apply_insertions(text, &insertions))
        };
        let mut builder = Builder::new(text, &patched, &insertions);
        let may_fix = insertions.len() < MAX_FLOW_INDENT_FIXES;
        match run(&mut builder, &patched, may_fix) {
            Some(fix) => {
                match insertions.iter_mut().find(|insertion| insertion.at == fix.at) {
                    Some(existing) => existing.spaces += fix.spaces,
                    None => insertions.push(fix),
                }
                insertions.sort_unstable();
            }
            None => return builder.finish(),
        }
    }
}

/// How many lines inside flow collections may be re-indented (each costs one more parse).
///
/// saphyr wants the lines of a flow collection (`[...]`, `{...}`) indented deeper than the block mapping
/// around it, as YAML 1.2 says. go-yaml and goccy/go-yaml, and so Compose, accept any indentation there,
/// and real files rely on it (a closing `]` in the column of its key). When saphyr stops on such a line,
/// the line is indented in a copy of the text and the copy is parsed again; offsets are mapped back.
const MAX_FLOW_INDENT_FIXES: usize = 32;

/// Feeds saphyr's events to the builder. Returns a re-indentation to try when saphyr refused the
/// indentation of a line inside a flow collection and `may_fix`; otherwise the builder has recorded
/// whatever error stopped it.
fn run(builder: &mut Builder<'_>, patched: &str, may_fix: bool) -> Option<Insertion> {
    let mut parser = Parser::new_from_str(patched);
    // saphyr emits a bounded number of events per character; this cap only guards against a parser bug
    // that would loop forever.
    let max_events = patched.len().saturating_mul(16).saturating_add(64);
    let mut events = 0usize;
    loop {
        // saphyr-parser has a few `unwrap`s and `unreachable!`s on internal invariants; a broken invariant
        // must cost one file's diagnostics, not the whole run.
        let next = catch_unwind(AssertUnwindSafe(|| parser.next_event()));
        match next {
            Ok(Some(Ok((event, span)))) => {
                events += 1;
                if events > max_events {
                    builder.internal_failure();
                    return None;
                }
                let end_of_stream = matches!(event, Event::StreamEnd);
                builder.event(event, span);
                if end_of_stream {
                    return None;
                }
            }
            Ok(Some(Err(error))) => {
                if may_fix && let Some(fix) = builder.flow_indentation_fix(patched, &error) {
                    return Some(fix);
                }
                builder.syntax_error(&error);
                return None;
            }
            Ok(None) => return None,
            Err(_) => {
                builder.internal_failure();
                return None;
            }
        }
    }
}

/// A collection being read.
struct Frame {
    /// Where the collection's content starts (after its properties).
    start: u32,
    /// The end of the last child, where it appears in this document.
    last_end: u32,
    /// Written in flow style: in brackets, or a `key: value` pair inside `[...]`.
    flow: bool,
    /// Opened by `[` or `{`, so it ends at the closing bracket.
    bracketed: bool,
    anchor_id: usize,
    props: Properties,
    /// Nodes in this collection and below, counting itself.
    count: usize,
    /// Levels of nodes from this collection down, counting itself.
    height: usize,
    body: Body,
}

enum Body {
    Sequence(Vec<Node>),
    Mapping {
        entries: Vec<Entry>,
        /// A key read whose value has not come yet.
        pending_key: Option<Node>,
        /// Where each scalar key was first seen, to report duplicates.
        first_keys: HashMap<String, TextRange>,
    },
}

/// A completed anchored node, kept for the aliases that follow.
struct Anchored {
    node: Node,
    count: usize,
    height: usize,
}

/// Events being skipped below [`MAX_DEPTH`].
struct Skip {
    depth: usize,
    start: u32,
    end: u32,
}

struct OpenDocument {
    /// The range of an explicit `---`.
    marker: Option<TextRange>,
}

struct Builder<'t> {
    text: &'t str,
    offsets: CharOffsets<'t>,
    documents: Vec<Document>,
    diagnostics: Vec<Diagnostic>,
    /// Content ranges of every scalar read from the text, for the comment scan.
    scalar_content: Vec<TextRange>,
    document: Option<OpenDocument>,
    stack: Vec<Frame>,
    root: Option<Node>,
    anchors: HashMap<usize, Anchored>,
    /// Anchors defined inside skipped content: aliases to them stay unexpanded without a second diagnostic.
    skipped_anchors: HashSet<usize>,
    skip: Option<Skip>,
    /// The furthest end of any event so far (block scalars search their header from here).
    last_event_end: u32,
    /// Nodes read from the text, and nodes created by alias expansion.
    source_nodes: usize,
    expanded_nodes: usize,
    expansion_stopped: bool,
    depth_reported: bool,
    error_at: Option<u32>,
}

impl<'t> Builder<'t> {
    /// `text` is the original; saphyr reads `patched`, made from it by `insertions`.
    fn new(text: &'t str, patched: &'t str, insertions: &'t [Insertion]) -> Self {
        Builder {
            text,
            offsets: CharOffsets::new(patched, insertions),
            documents: Vec::new(),
            diagnostics: Vec::new(),
            scalar_content: Vec::new(),
            document: None,
            stack: Vec::new(),
            root: None,
            anchors: HashMap::new(),
            skipped_anchors: HashSet::new(),
            skip: None,
            last_event_end: 0,
            source_nodes: 0,
            expanded_nodes: 0,
            expansion_stopped: false,
            depth_reported: false,
            error_at: None,
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span) {
        let start = self.offsets.byte(span.start.index());
        let end = self.offsets.byte(span.end.index()).max(start);
        if self.skip.is_some() {
            self.skip_event(&event, start, end);
        } else {
            match event {
                Event::Nothing | Event::StreamStart | Event::StreamEnd => {}
                Event::DocumentStart(explicit) => self.start_document(explicit, start, end),
                Event::DocumentEnd => self.end_document(start, end),
                Event::Alias(id) => self.alias(id, TextRange::new(start, end)),
                Event::Scalar(value, style, anchor_id, tag) => {
                    self.scalar(value.into_owned(), style, anchor_id, tag.is_some(), start, end);
                }
                Event::SequenceStart(anchor_id, tag) => {
                    self.start_collection(false, anchor_id, tag.is_some(), start, end);
                }
                Event::MappingStart(anchor_id, tag) => {
                    self.start_collection(true, anchor_id, tag.is_some(), start, end);
                }
                Event::SequenceEnd | Event::MappingEnd => self.end_collection(end),
            }
        }
        self.last_event_end = self.last_event_end.max(end);
    }

    fn start_document(&mut self, explicit: bool, start: u32, end: u32) {
        // Anchors belong to one document.
        self.anchors.clear();
        self.skipped_anchors.clear();
        let marker = explicit.then(|| TextRange::new(start, end));
        self.document = Some(OpenDocument { marker });
    }

    fn end_document(&mut self, start: u32, end: u32) {
        let explicit_end = self.text.get(start as usize..end as usize) == Some("...");
        self.close_document(true, explicit_end.then_some(end));
    }

    /// Closes what is still open (only after an error) and records the document if it has a root.
    fn close_document(&mut self, complete: bool, explicit_end: Option<u32>) {
        if let Some(skip) = self.skip.take() {
            self.push(omitted(TextRange::new(skip.start, skip.end.max(skip.start))), 1, 1);
        }
        while let Some(frame) = self.stack.pop() {
            let end = frame.last_end;
            let (node, count, height) = self.finish_frame(frame, end);
            self.push(node, count, height);
        }
        let document = self.document.take();
        let Some(root) = self.root.take() else { return };
        let root_range = root.use_range();
        let start = document.and_then(|d| d.marker).map_or(root_range.start, |marker| marker.start);
        let end = explicit_end.unwrap_or(root_range.end).max(start);
        self.documents.push(Document { root, range: TextRange::new(start, end), complete });
    }

    fn scalar(&mut self, value: String, style: ScalarStyle, anchor_id: usize, tagged: bool, start: u32, end: u32) {
        let props = self.properties(anchor_id, tagged, start, end);
        let (range, style) = match style {
            ScalarStyle::Plain if value.is_empty() => (self.empty_scalar_range(&props, start, end), Style::Plain),
            ScalarStyle::Literal | ScalarStyle::Folded => {
                let has_props = props.anchor.is_some() || props.tag.is_some();
                let search_from = if has_props { props.content_start } else { self.last_event_end.min(start) };
                let block = text::block_scalar(self.text, search_from, end);
                self.scalar_content.push(block.content);
                let style = if style == ScalarStyle::Literal { Style::Literal } else { Style::Folded };
                (block.range, style)
            }
            ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                let start = props.content_start.min(end);
                let end =
                    if style == ScalarStyle::Plain { end } else { text::quoted_scalar_end(self.text, start, end) };
                let range = TextRange::new(start, end.max(start));
                self.scalar_content.push(range);
                let style = match style {
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    _ => Style::Plain,
                };
                (range, style)
            }
        };
        self.source_nodes += 1;
        let node =
            Node { kind: NodeKind::Scalar(value), range, style, tag: props.tag, anchor: props.anchor, via_alias: None };
        if anchor_id > 0 {
            self.anchors.insert(anchor_id, Anchored { node: node.clone(), count: 1, height: 1 });
        }
        self.push(node, 1, 1);
    }

    /// Where an empty plain scalar (`key:`, `- `, `!reset`) sits: after its properties, after the `:` or
    /// `-` it follows, or after the `---` of an empty document.
    fn empty_scalar_range(&self, props: &Properties, start: u32, end: u32) -> TextRange {
        if props.anchor.is_some() || props.tag.is_some() {
            return TextRange::empty(props.content_start.min(end));
        }
        let Some(frame) = self.stack.last() else {
            let after_marker = self.document.as_ref().and_then(|d| d.marker).map(|marker| marker.end);
            return TextRange::empty(after_marker.unwrap_or(start));
        };
        let key_position = matches!(&frame.body, Body::Mapping { pending_key: None, .. });
        let after_indicator = !key_position && matches!(self.text.as_bytes().get(start as usize), Some(b':' | b'-'));
        TextRange::empty(if after_indicator { start + 1 } else { start })
    }

    fn properties(&self, anchor_id: usize, tagged: bool, start: u32, end: u32) -> Properties {
        if anchor_id > 0 || tagged {
            text::scan_properties(self.text, start, end)
        } else {
            Properties { content_start: start, ..Properties::default() }
        }
    }

    fn start_collection(&mut self, mapping: bool, anchor_id: usize, tagged: bool, start: u32, end: u32) {
        if self.stack.len() >= MAX_DEPTH {
            self.start_skip(anchor_id, start);
            return;
        }
        let props = self.properties(anchor_id, tagged, start, end);
        let content_start = props.content_start;
        let open = if mapping { b'{' } else { b'[' };
        let bracketed = self.text.as_bytes().get(content_start as usize) == Some(&open);
        let inside_flow = self.stack.last().is_some_and(|parent| parent.flow);
        let body = if mapping {
            Body::Mapping { entries: Vec::new(), pending_key: None, first_keys: HashMap::new() }
        } else {
            Body::Sequence(Vec::new())
        };
        self.source_nodes += 1;
        self.stack.push(Frame {
            start: content_start,
            last_end: content_start,
            flow: bracketed || inside_flow,
            bracketed,
            anchor_id,
            props,
            count: 1,
            height: 1,
            body,
        });
    }

    fn end_collection(&mut self, end: u32) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let end = if frame.bracketed { end } else { frame.last_end };
        let (node, count, height) = self.finish_frame(frame, end);
        self.push(node, count, height);
    }

    /// Turns a frame into its node (applying merge keys) and registers its anchor.
    fn finish_frame(&mut self, frame: Frame, end: u32) -> (Node, usize, usize) {
        let kind = match frame.body {
            Body::Sequence(items) => NodeKind::Sequence(items),
            Body::Mapping { entries, .. } => NodeKind::Mapping(self.apply_merge_keys(entries)),
        };
        let node = Node {
            kind,
            range: TextRange::new(frame.start, end.max(frame.start)),
            style: if frame.flow { Style::Flow } else { Style::Block },
            tag: frame.props.tag,
            anchor: frame.props.anchor,
            via_alias: None,
        };
        if frame.anchor_id > 0 {
            let anchored = Anchored { node: node.clone(), count: frame.count, height: frame.height };
            self.anchors.insert(frame.anchor_id, anchored);
        }
        (node, frame.count, frame.height)
    }

    /// Adds a completed node to the collection being read, or makes it the document's root.
    fn push(&mut self, node: Node, count: usize, height: usize) {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        frame.last_end = frame.last_end.max(node.use_range().end);
        frame.count = frame.count.saturating_add(count);
        frame.height = frame.height.max(height + 1);
        match &mut frame.body {
            Body::Sequence(items) => items.push(node),
            Body::Mapping { entries, pending_key, first_keys } => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => {
                    if let Some(name) = key.as_str() {
                        if let Some(&first) = first_keys.get(name) {
                            self.diagnostics.push(duplicate_key(name, key.use_range(), first));
                        } else {
                            first_keys.insert(name.to_owned(), key.use_range());
                        }
                    }
                    entries.push(Entry { key, value: node, via_merge: None });
                }
            },
        }
    }

    fn alias(&mut self, id: usize, range: TextRange) {
        let name = self.text.get(range.as_usize()).unwrap_or_default().trim_start_matches('*').to_owned();
        let Some(anchored) = self.anchors.get(&id) else {
            self.unknown_alias(id, name, range);
            return;
        };
        let (count, height) = (anchored.count, anchored.height);
        let target = anchored.node.range;
        let budget = ALIAS_EXPANSION_FLOOR.max(self.source_nodes.saturating_mul(10));
        let too_deep = self.stack.len() + height > MAX_DEPTH + 1;
        let too_many = self.expansion_stopped || self.expanded_nodes.saturating_add(count) > budget;
        if too_deep || too_many {
            if !self.expansion_stopped {
                self.expansion_stopped = true;
                let message = if too_deep {
                    format!("expanding alias `*{name}` here would nest deeper than {MAX_DEPTH} levels")
                } else {
                    format!("aliases expand to more than {budget} nodes (an \"alias bomb\"?)")
                };
                let diagnostic = Diagnostic::new(YAML_LIMIT_EXCEEDED, Severity::Error, range, message)
                    .with_label(target, "anchored here")
                    .with_help("this alias and every later one in the file are left unexpanded");
                self.diagnostics.push(diagnostic);
            }
            self.push(Node::unexpanded(name, range, Some(target)), 1, 1);
            return;
        }
        let mut copy = anchored.node.clone();
        self.expanded_nodes += count;
        mark_via_alias(&mut copy, range);
        self.push(copy, count, height);
    }

    fn unknown_alias(&mut self, id: usize, name: String, range: TextRange) {
        if self.skipped_anchors.contains(&id) {
            self.push(Node::unexpanded(name, range, None), 1, 1);
            return;
        }
        let open = self.stack.iter().find(|frame| frame.anchor_id == id);
        let target = open.map(|frame| TextRange::new(frame.start, frame.last_end.max(frame.start)));
        let diagnostic = match open {
            Some(frame) => {
                let defined = frame.props.anchor.as_ref().map_or(target.unwrap_or(range), |a| a.range);
                Diagnostic::new(
                    YAML_SYNTAX_ERROR,
                    Severity::Error,
                    range,
                    format!("alias `*{name}` is inside the node it refers to"),
                )
                .with_label(defined, "anchored here")
                .with_help("a node cannot contain itself; Compose refuses recursive aliases")
            }
            None => Diagnostic::new(
                YAML_SYNTAX_ERROR,
                Severity::Error,
                range,
                format!("alias `*{name}` refers to an anchor of another document"),
            )
            .with_help("anchors only reach to the end of their document (`---`)"),
        };
        self.diagnostics.push(diagnostic);
        self.push(Node::unexpanded(name, range, target), 1, 1);
    }

    /// Applies merge keys (`<<`) to a mapping's entries: keys written in the mapping win over merged ones,
    /// and an earlier source wins over a later one. Merged entries go where their `<<` was.
    fn apply_merge_keys(&mut self, entries: Vec<Entry>) -> Vec<Entry> {
        if !entries.iter().any(|entry| is_merge_key(&entry.key)) {
            return entries;
        }
        let written: HashSet<String> = entries
            .iter()
            .filter(|entry| !is_merge_key(&entry.key))
            .filter_map(|entry| entry.key.as_str().map(str::to_owned))
            .collect();
        let mut merged: HashSet<String> = HashSet::new();
        let mut result = Vec::with_capacity(entries.len());
        for entry in entries {
            if !is_merge_key(&entry.key) {
                result.push(entry);
                continue;
            }
            let merge_key = entry.key.use_range();
            let sources = match entry.value.kind {
                NodeKind::Sequence(items) => items,
                kind => vec![Node { kind, ..entry.value }],
            };
            for source in sources {
                match source.kind {
                    NodeKind::Mapping(source_entries) => {
                        for mut source_entry in source_entries {
                            if let Some(key) = source_entry.key.as_str()
                                && (written.contains(key) || !merged.insert(key.to_owned()))
                            {
                                continue;
                            }
                            source_entry.via_merge = Some(merge_key);
                            result.push(source_entry);
                        }
                    }
                    // Already reported where the alias was left unexpanded.
                    NodeKind::Alias { .. } | NodeKind::Omitted => {}
                    NodeKind::Scalar(_) | NodeKind::Sequence(_) => {
                        let found = source.type_name();
                        let diagnostic = Diagnostic::new(
                            YAML_SYNTAX_ERROR,
                            Severity::Error,
                            source.use_range(),
                            format!("a merge key `<<` takes a mapping or a list of mappings, not a {found}"),
                        )
                        .with_label(merge_key, "merge key")
                        .with_help("merge an anchored mapping (`<<: *name`) or a list of them (`<<: [*a, *b]`)");
                        self.diagnostics.push(diagnostic);
                    }
                }
            }
        }
        result
    }

    fn start_skip(&mut self, anchor_id: usize, start: u32) {
        if !self.depth_reported {
            self.depth_reported = true;
            let range = text::char_range_at(self.text, start);
            let diagnostic = Diagnostic::new(
                YAML_LIMIT_EXCEEDED,
                Severity::Error,
                range,
                format!("collections nest deeper than {MAX_DEPTH} levels"),
            )
            .with_help("the content below this level is not read");
            self.diagnostics.push(diagnostic);
        }
        if anchor_id > 0 {
            self.skipped_anchors.insert(anchor_id);
        }
        self.skip = Some(Skip { depth: 1, start, end: start });
    }

    fn skip_event(&mut self, event: &Event<'_>, start: u32, end: u32) {
        let Some(skip) = &mut self.skip else { return };
        // Block collections end with an empty span at the next token; only real text extends the range.
        if end > start {
            skip.end = skip.end.max(end);
        }
        match event {
            Event::SequenceStart(anchor_id, _) | Event::MappingStart(anchor_id, _) => {
                skip.depth += 1;
                if *anchor_id > 0 {
                    self.skipped_anchors.insert(*anchor_id);
                }
            }
            Event::Scalar(_, _, anchor_id, _) => {
                // Keeps the comment scan out of skipped strings (the span may also cover a trailing comment,
                // which is then missed: acceptable in content nested this deep).
                self.scalar_content.push(TextRange::new(start, end));
                if *anchor_id > 0 {
                    self.skipped_anchors.insert(*anchor_id);
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                skip.depth -= 1;
                if skip.depth == 0 {
                    let range = TextRange::new(skip.start, skip.end.max(skip.start));
                    self.skip = None;
                    self.push(omitted(range), 1, 1);
                }
            }
            _ => {}
        }
    }

    /// When saphyr refuses the indentation of a line inside a flow collection, the spaces that would make it
    /// acceptable: one column deeper than the line where the innermost open flow collection starts, or one
    /// more than now if that was not enough.
    fn flow_indentation_fix(&self, patched: &str, error: &ScanError) -> Option<Insertion> {
        if !matches!(error.info(), "invalid indentation" | "invalid indentation in flow construct") {
            return None;
        }
        let flow_start = self.stack.iter().rev().find(|frame| frame.flow)?.start as usize;
        let bytes = patched.as_bytes();
        let at = self.offsets.patched_byte(error.marker().index()) as usize;
        let line_start = memchr::memrchr(b'\n', bytes.get(..at)?).map_or(0, |p| p + 1);
        let indent = bytes[line_start..at].iter().take_while(|&&b| b == b' ').count();
        let original_line_start = text::original_offset(self.offsets.insertions(), to_u32(line_start));
        // Only the first token of a line below the collection's start can be indented away from trouble.
        if line_start + indent != at || original_line_start as usize <= flow_start {
            return None;
        }
        let original = self.text.as_bytes();
        let flow_line = memchr::memrchr(b'\n', &original[..flow_start]).map_or(0, |p| p + 1);
        let flow_indent = original[flow_line..].iter().take_while(|&&b| b == b' ').count();
        let wanted = (flow_indent + 1).max(indent + 1);
        Some(Insertion { at: original_line_start, spaces: to_u32(wanted - indent) })
    }

    fn syntax_error(&mut self, error: &ScanError) {
        let at = self.offsets.byte(error.marker().index());
        let (code, message, help) = describe_scan_error(error.info());
        let range = text::char_range_at(self.text, at);
        let mut diagnostic = Diagnostic::new(code, Severity::Error, range, message);
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.diagnostics.push(diagnostic);
        self.error_at = Some(at);
        self.close_document(false, None);
    }

    fn internal_failure(&mut self) {
        let at = self.last_event_end;
        let message = "the YAML parser stopped unexpectedly here (a bug in plimsoll or saphyr-parser)";
        let diagnostic =
            Diagnostic::new(YAML_SYNTAX_ERROR, Severity::Error, text::char_range_at(self.text, at), message)
                .with_help("please report this file; the rest of it is not checked");
        self.diagnostics.push(diagnostic);
        self.error_at = Some(at);
        self.close_document(false, None);
    }

    fn finish(mut self) -> YamlFile {
        if self.document.is_some() || self.root.is_some() || !self.stack.is_empty() {
            self.close_document(false, None);
        }
        self.scalar_content.retain(|range| !range.is_empty());
        self.scalar_content.sort_unstable();
        let understood_until = self.error_at.map_or(self.text.len(), |at| at as usize);
        let comments = comments::scan(self.text, &self.scalar_content, understood_until);
        YamlFile { documents: self.documents, comments, diagnostics: self.diagnostics }
    }
}

impl Node {
    fn unexpanded(name: String, range: TextRange, target: Option<TextRange>) -> Node {
        Node {
            kind: NodeKind::Alias { name, target },
            range,
            style: Style::Plain,
            tag: None,
            anchor: None,
            via_alias: None,
        }
    }
}

fn omitted(range: TextRange) -> Node {
    Node { kind: NodeKind::Omitted, range, style: Style::Plain, tag: None, anchor: None, via_alias: None }
}

/// A plain `<<` (or one tagged `!!merge`) is a merge key; a quoted `"<<"` is an ordinary key.
fn is_merge_key(key: &Node) -> bool {
    key.style == Style::Plain
        && key.as_str() == Some("<<")
        && matches!(key.tag_name(), None | Some("!!merge" | "!<tag:yaml.org,2002:merge>"))
}

/// Records `alias` on every node of a copy, without recursion.
fn mark_via_alias(node: &mut Node, alias: TextRange) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        node.via_alias = Some(alias);
        match &mut node.kind {
            NodeKind::Sequence(items) => stack.extend(items.iter_mut()),
            NodeKind::Mapping(entries) => {
                for entry in entries {
                    stack.push(&mut entry.key);
                    stack.push(&mut entry.value);
                }
            }
            NodeKind::Scalar(_) | NodeKind::Alias { .. } | NodeKind::Omitted => {}
        }
    }
}

fn duplicate_key(name: &str, at: TextRange, first: TextRange) -> Diagnostic {
    Diagnostic::new(DUPLICATE_KEY, Severity::Warning, at, format!("duplicate key `{name}`: this later value wins"))
        .with_label(first, "first defined here")
        .with_help("remove one of the two; `docker compose` refuses files with duplicate keys")
}

/// saphyr's error message made readable: the code, the message and a hint where one helps.
fn describe_scan_error(info: &str) -> (&'static str, String, Option<&'static str>) {
    const INDENTATION: &str = "check the indentation: the keys of one mapping, and the `- ` items of one list, \
                               start in the same column";
    let (message, help): (String, Option<&'static str>) = match info {
        "recursion limit exceeded" => {
            let message = "flow collections (`[...]`, `{...}`) nest deeper than 255 levels".to_owned();
            return (YAML_LIMIT_EXCEEDED, message, Some("the rest of the file is not read"));
        }
        "mapping values are not allowed in this context" => (
            "a `: ` is not allowed here".to_owned(),
            Some("check the indentation of this line, or quote a value that contains `: `"),
        ),
        "while parsing a block mapping, did not find expected key" => {
            ("expected a `key:` at this indentation".to_owned(), Some(INDENTATION))
        }
        "while parsing a block collection, did not find expected '-' indicator" => {
            ("expected a `- ` list item at this indentation".to_owned(), Some(INDENTATION))
        }
        "invalid indentation" | "invalid indentation in flow construct" => (info.to_owned(), Some(INDENTATION)),
        "invalid indentation in quoted scalar" => (
            "this quoted string runs on to a line that is not indented: is its closing quote missing?".to_owned(),
            Some("close the quote, or indent the lines that continue the string"),
        ),
        "while parsing node, found unknown anchor" => (
            "this alias refers to an anchor that is not defined".to_owned(),
            Some("define `&name` before the first `*name` in the same document"),
        ),
        "while scanning a quoted scalar, found unexpected end of stream" => {
            ("this quoted string is never closed".to_owned(), Some("add the closing quote"))
        }
        "while parsing a quoted scalar, found unknown escape character" => (
            "unknown escape sequence in a double-quoted string".to_owned(),
            Some("use single quotes, or write a backslash as `\\\\`"),
        ),
        "while scanning a plain scalar, found a tab"
        | "tab cannot be used as indentation"
        | "tabs disallowed in this context"
        | "tabs disallowed within this context (block indentation)" => {
            ("a tab character is not allowed here".to_owned(), Some("indent YAML with spaces, not tabs"))
        }
        "while parsing a flow sequence, expected ',' or ']'" => ("expected `,` or `]` in this list".to_owned(), None),
        "while parsing a flow mapping, did not find expected ',' or '}'" => {
            ("expected `,` or `}` in this mapping".to_owned(), None)
        }
        _ => match info.strip_prefix("while ").and_then(|rest| rest.split_once(", ")) {
            Some((context, problem)) => (format!("{problem} (while {context})"), None),
            None => (info.to_owned(), None),
        },
    };
    (YAML_SYNTAX_ERROR, format!("invalid YAML: {message}"), help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_errors_read_well() {
        let (code, message, help) = describe_scan_error("mapping values are not allowed in this context");
        assert_eq!(code, YAML_SYNTAX_ERROR);
        assert_eq!(message, "invalid YAML: a `: ` is not allowed here");
        assert!(help.is_some());
        let (_, message, _) = describe_scan_error("while scanning an anchor or alias, did not find expected x");
        assert_eq!(message, "invalid YAML: did not find expected x (while scanning an anchor or alias)");
        assert_eq!(describe_scan_error("recursion limit exceeded").0, YAML_LIMIT_EXCEEDED);
    }
}
