//! Builds a [`Script`] from a tree-sitter-bash tree.

use std::cell::RefCell;
use std::collections::HashMap;

use tree_sitter::{Node, Parser, Tree};

use super::literal::literal;
use super::map::{NestedMap, OffsetMap};
use super::{MAX_NESTING, NestedScript, Pipeline, Redirect, Script, SimpleCommand, Word, wrappers};
use crate::source::TextRange;

/// At most this many trees are kept by a thread's parse cache; when it is full it starts again empty.
const CACHE_CAPACITY: usize = 8192;

thread_local! {
    /// Script text -> its tree, on threads that asked for it ([`cache_parses_on_this_thread`]).
    static CACHE: RefCell<Option<HashMap<String, Tree>>> = const { RefCell::new(None) };
}

/// Keeps the tree of every script this thread parses, by its text, so that linting the same file again after a
/// small edit (the language server, on each keystroke) parses only the scripts that changed. Ranges are not
/// cached: the tree is walked again with the new offsets. `plimsoll check` turns it on for its workers, since the
/// Dockerfiles of one repository often share scripts.
pub fn cache_parses_on_this_thread() {
    CACHE.with(|cache| cache.borrow_mut().get_or_insert_with(HashMap::new).clear());
}

/// The tree of `text`: from the thread's cache when it holds it, else parsed (and cached when caching is on).
fn tree_of(text: &str) -> Option<Tree> {
    let cached = CACHE.with(|cache| cache.borrow().as_ref().map(|c| c.get(text).cloned()));
    if let Some(Some(tree)) = cached {
        return Some(tree);
    }
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_bash::LANGUAGE.into()).ok()?;
    let tree = parser.parse(text, None)?;
    if cached.is_some() {
        CACHE.with(|cache| {
            if let Some(cache) = cache.borrow_mut().as_mut() {
                if cache.len() >= CACHE_CAPACITY {
                    cache.clear();
                }
                cache.insert(text.to_owned(), tree.clone());
            }
        });
    }
    Some(tree)
}

pub(crate) fn parse(text: &str, map: &dyn OffsetMap, depth: usize) -> Script {
    let mut script = Script { range: map.range(0, text.len()), ..Script::default() };
    let Some(tree) = tree_of(text) else { return script };
    let mut builder = Builder {
        src: text,
        map,
        depth,
        script: &mut script,
        command_of_node: HashMap::new(),
        pending_redirects: HashMap::new(),
        pipelines: Vec::new(),
    };
    builder.walk(tree.root_node());
    builder.finish();
    script
}

struct Builder<'s> {
    src: &'s str,
    map: &'s dyn OffsetMap,
    depth: usize,
    script: &'s mut Script,
    /// tree-sitter node id of each `command` node -> index in `script.commands`.
    command_of_node: HashMap<usize, usize>,
    /// Redirections written after a command (`cmd > f`), by the command's node id.
    pending_redirects: HashMap<usize, (Vec<Redirect>, TextRange)>,
    /// Each pipeline's range and, per stage, the node id of its simple command.
    pipelines: Vec<(TextRange, Vec<Option<usize>>)>,
}

/// A node id for a pipeline stage that is a simple command.
fn stage_command(node: Node<'_>) -> Option<usize> {
    let mut node = node;
    // `! a | b` and `a > f | b` wrap the command.
    for _ in 0..4 {
        match node.kind() {
            "command" => return Some(node.id()),
            "redirected_statement" => node = node.child_by_field_name("body")?,
            "negated_command" => node = node.named_child(0)?,
            _ => return None,
        }
    }
    None
}

/// The simple command at the end of a list or pipeline (the one a trailing redirection applies to).
fn last_command(node: Node<'_>) -> Option<Node<'_>> {
    let mut node = node;
    for _ in 0..64 {
        match node.kind() {
            "command" => return Some(node),
            "list" | "pipeline" => {
                let last = u32::try_from(node.named_child_count().checked_sub(1)?).ok()?;
                node = node.named_child(last)?;
            }
            "redirected_statement" => node = node.child_by_field_name("body")?,
            _ => return None,
        }
    }
    None
}

impl Builder<'_> {
    fn range(&self, node: Node<'_>) -> TextRange {
        self.map.range(node.start_byte(), node.end_byte())
    }

    fn text(&self, node: Node<'_>) -> &str {
        self.src.get(node.byte_range()).unwrap_or_default()
    }

    fn word(&self, node: Node<'_>) -> Word {
        Word { text: self.text(node).to_owned(), value: literal(node, self.src, None), range: self.range(node) }
    }

    /// Pre-order, with an explicit stack: deeply nested input must not overflow the call stack.
    fn walk(&mut self, root: Node<'_>) {
        // (node, whether its parent is a command that already took its assignments)
        let mut stack = vec![(root, false)];
        let mut children = Vec::new();
        while let Some((node, in_command)) = stack.pop() {
            if node.is_missing() {
                self.script.errors.push(TextRange::empty(self.map.start(node.start_byte())));
                continue;
            }
            if node.is_error() {
                self.script.errors.push(self.range(node));
            }
            let kind = node.kind();
            match kind {
                "command" => self.command(node),
                "declaration_command" | "unset_command" => self.declaration(node),
                "variable_assignment" if !in_command => self.assignments(node),
                "variable_assignments" if !in_command => self.assignments(node),
                "redirected_statement" => self.redirected(node),
                "pipeline" => {
                    let mut cursor = node.walk();
                    let stages =
                        node.named_children(&mut cursor).filter(|c| c.kind() != "comment").map(stage_command).collect();
                    self.pipelines.push((self.range(node), stages));
                }
                _ => {}
            }
            let owns_assignments =
                matches!(kind, "command" | "declaration_command" | "variable_assignments" | "unset_command")
                    || (kind == "variable_assignment" && !in_command);
            let mut cursor = node.walk();
            children.clear();
            children.extend(node.children(&mut cursor));
            stack.extend(children.iter().rev().map(|&c| (c, owns_assignments)));
        }
    }

    fn finish(&mut self) {
        for (range, stages) in std::mem::take(&mut self.pipelines) {
            let commands = stages.iter().flatten().filter_map(|id| self.command_of_node.get(id).copied()).collect();
            self.script.pipelines.push(Pipeline { commands, stages: stages.len(), range });
        }
    }

    fn push(&mut self, node: Node<'_>, command: SimpleCommand, arg_nodes: &[Node<'_>]) {
        let index = self.script.commands.len();
        self.command_of_node.insert(node.id(), index);
        let nested = if self.depth < MAX_NESTING {
            wrappers::script_arg(&command).and_then(|k| arg_nodes.get(k).copied())
        } else {
            None
        };
        self.script.commands.push(command);
        if let Some(arg) = nested {
            let mut offsets = Vec::new();
            if let Some(value) = literal(arg, self.src, Some(&mut offsets)) {
                let map = NestedMap { outer: self.map, offsets };
                let script = parse(&value, &map, self.depth + 1);
                self.script.nested.push(NestedScript { command: index, script });
            }
        }
    }

    fn command(&mut self, node: Node<'_>) {
        let mut command = SimpleCommand::empty(self.range(node));
        let mut arg_nodes = Vec::new();
        let mut cursor = node.walk();
        if cursor.goto_first_child() {
            loop {
                let child = cursor.node();
                match (cursor.field_name(), child.kind()) {
                    (Some("name"), _) => {
                        let invented =
                            child.named_child(0).is_none_or(|w| w.is_missing()) || child.byte_range().is_empty();
                        if !invented {
                            command.name = Some(self.word(child));
                        }
                    }
                    (Some("argument"), _) => {
                        command.args.push(self.word(child));
                        arg_nodes.push(child);
                    }
                    (_, "variable_assignment") => command.env.push(self.assignment(child)),
                    (_, "file_redirect" | "heredoc_redirect" | "herestring_redirect") => {
                        command.redirects.push(self.redirect(child));
                    }
                    _ => {}
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        if let Some((redirects, range)) = self.pending_redirects.remove(&node.id()) {
            command.redirects.extend(redirects);
            command.range = command.range.cover(range);
        }
        self.push(node, command, &arg_nodes);
    }

    /// `export A=1 B`, `declare -x C`, `unset D`: the keyword is the name, the rest are arguments.
    fn declaration(&mut self, node: Node<'_>) {
        let mut command = SimpleCommand::empty(self.range(node));
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if !child.is_named() && command.name.is_none() {
                let text = self.text(child).to_owned();
                command.name = Some(Word { value: Some(text.clone()), text, range: self.range(child) });
            } else if child.is_named() && child.kind() != "comment" {
                command.args.push(self.word(child));
            }
        }
        self.push(node, command, &[]);
    }

    /// `FOO=bar` alone (or several): a command without a name.
    fn assignments(&mut self, node: Node<'_>) {
        let env = if node.kind() == "variable_assignment" {
            vec![self.assignment(node)]
        } else {
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> =
                node.named_children(&mut cursor).filter(|c| c.kind() == "variable_assignment").collect();
            children.into_iter().map(|c| self.assignment(c)).collect()
        };
        let command =
            SimpleCommand { name: None, args: Vec::new(), env, redirects: Vec::new(), range: self.range(node) };
        self.push(node, command, &[]);
    }

    fn assignment(&self, node: Node<'_>) -> (Word, Word) {
        let name = match node.child_by_field_name("name") {
            Some(n) => {
                let text = self.text(n).to_owned();
                Word { value: Some(text.clone()), text, range: self.range(n) }
            }
            None => {
                Word { text: String::new(), value: None, range: TextRange::empty(self.map.start(node.start_byte())) }
            }
        };
        let value = match node.child_by_field_name("value") {
            Some(v) => self.word(v),
            None => Word {
                text: String::new(),
                value: Some(String::new()),
                range: TextRange::empty(self.map.end(node.end_byte())),
            },
        };
        (name, value)
    }

    fn redirect(&self, node: Node<'_>) -> Redirect {
        let mut fd = None;
        let mut op = String::new();
        let mut target = None;
        let mut end = node.start_byte();
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            match child.kind() {
                "file_descriptor" => fd = self.text(child).parse().ok(),
                "heredoc_start" if target.is_none() => {
                    let text = self.text(child).to_owned();
                    let value: String = text.chars().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect();
                    target = Some(Word { text, value: Some(value), range: self.range(child) });
                    end = child.end_byte();
                }
                "heredoc_body" | "heredoc_end" | "heredoc_content" => {}
                _ if !child.is_named() && op.is_empty() => {
                    op = self.text(child).to_owned();
                    end = child.end_byte();
                }
                _ if child.is_named() && target.is_none() && !child.is_missing() && !op.is_empty() => {
                    target = Some(self.word(child));
                    end = child.end_byte();
                }
                _ => {}
            }
            if node.kind() == "heredoc_redirect" && target.is_some() {
                break;
            }
        }
        let range =
            if node.kind() == "heredoc_redirect" { self.map.range(node.start_byte(), end) } else { self.range(node) };
        Redirect { fd, op, target, range }
    }

    /// `cmd > f 2>&1`: the redirections go to the command (or to a nameless command when there is none).
    fn redirected(&mut self, node: Node<'_>) {
        let mut redirects = Vec::new();
        let mut cursor = node.walk();
        if cursor.goto_first_child() {
            loop {
                if cursor.field_name() == Some("redirect") {
                    redirects.push(self.redirect(cursor.node()));
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        match node.child_by_field_name("body") {
            Some(body) => {
                // `a && b > f` comes as a redirected list: the redirection belongs to its last command.
                if let Some(command) = last_command(body) {
                    let range = redirects.iter().fold(self.range(command), |r, x| r.cover(x.range));
                    self.pending_redirects
                        .entry(command.id())
                        .or_insert_with(|| (Vec::new(), range))
                        .0
                        .extend(redirects);
                }
            }
            None => {
                let range = redirects
                    .iter()
                    .fold(None, |r: Option<TextRange>, x| Some(r.map_or(x.range, |r| r.cover(x.range))));
                let command = SimpleCommand {
                    name: None,
                    args: Vec::new(),
                    env: Vec::new(),
                    redirects,
                    range: range.unwrap_or_else(|| self.range(node)),
                };
                self.push(node, command, &[]);
            }
        }
    }
}

impl SimpleCommand {
    /// A command with nothing in it yet, over `range`.
    fn empty(range: TextRange) -> Self {
        SimpleCommand { name: None, args: Vec::new(), env: Vec::new(), redirects: Vec::new(), range }
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    /// Script byte `i` is at `base + i` in the file.
    struct Shift(u32);

    impl OffsetMap for Shift {
        fn start(&self, i: usize) -> u32 {
            self.0 + i as u32
        }
        fn end(&self, i: usize) -> u32 {
            self.0 + i as u32
        }
    }

    #[test]
    fn a_cached_tree_is_walked_with_the_new_offsets() {
        cache_parses_on_this_thread();
        let first = parse("curl -k https://x | sh", &Shift(10), 0);
        let again = parse("curl -k https://x | sh", &Shift(50), 0);
        assert_eq!(CACHE.with(|c| c.borrow().as_ref().map(HashMap::len)), Some(1));
        assert_eq!(first.commands.len(), again.commands.len());
        assert_eq!(again.range.start, first.range.start + 40);
        assert_eq!(again.commands[0].range.start, first.commands[0].range.start + 40);
        CACHE.with(|c| *c.borrow_mut() = None);
    }
}
