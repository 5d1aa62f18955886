//! The literal value of a word node, with the script offset of each value byte.

use tree_sitter::Node;

/// Script offsets where each value byte starts and ends as written (`\"` is two bytes for one).
pub(crate) type Offsets = Vec<(usize, usize)>;

/// The unquoted value of a word node when it is a literal; `offsets` (if given) receives where each value byte
/// is written, then an empty span just after the value.
pub(crate) fn literal(node: Node<'_>, src: &str, mut offsets: Option<&mut Offsets>) -> Option<String> {
    let mut out = String::new();
    push_literal(node, src, &mut out, &mut offsets)?;
    if let Some(o) = offsets {
        let end = o.last().map_or(node.end_byte(), |&(_, e)| e);
        o.push((end, end));
    }
    Some(out)
}

fn push_literal(node: Node<'_>, src: &str, out: &mut String, offsets: &mut Option<&mut Offsets>) -> Option<()> {
    let (start, end) = (node.start_byte(), node.end_byte());
    let text = src.get(start..end)?;
    match node.kind() {
        "word" | "number" if is_brace_expansion(text) => None,
        "word" | "number" => unquoted(text, start, out, offsets),
        "variable_assignment" => {
            let name = node.child_by_field_name("name")?;
            push_plain(src.get(name.byte_range())?, name.start_byte(), out, offsets);
            let value = node.child_by_field_name("value");
            let eq = value.map_or(end, |v| v.start_byte());
            push_plain(src.get(name.end_byte()..eq)?, name.end_byte(), out, offsets);
            match value {
                Some(v) => push_literal(v, src, out, offsets),
                None => Some(()),
            }
        }
        "raw_string" => {
            let inner = text.strip_prefix('\'')?;
            let inner = inner.strip_suffix('\'').unwrap_or(inner);
            push_plain(inner, start + 1, out, offsets);
            Some(())
        }
        "string" => {
            let mut cursor = node.walk();
            if node.named_children(&mut cursor).any(|c| c.kind() != "string_content") {
                return None;
            }
            let inner = text.strip_prefix('"')?;
            let inner = inner.strip_suffix('"').unwrap_or(inner);
            double_quoted(inner, start + 1, out, offsets);
            Some(())
        }
        "ansi_c_string" => {
            let inner = text.strip_prefix("$'")?;
            let inner = inner.strip_suffix('\'').unwrap_or(inner);
            ansi_c(inner, start + 2, out, offsets)
        }
        "concatenation" => {
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            // `{a,b}` comes as the words `{`, `a,b`, `}`: a brace expansion (`-I{}` is not).
            if is_brace_expansion(text) {
                return None;
            }
            for child in children {
                push_literal(child, src, out, offsets)?;
            }
            Some(())
        }
        "command_name" => {
            let mut cursor = node.walk();
            let child = node.named_children(&mut cursor).next()?;
            push_literal(child, src, out, offsets)
        }
        _ => None,
    }
}

fn push_plain(text: &str, start: usize, out: &mut String, offsets: &mut Option<&mut Offsets>) {
    out.push_str(text);
    if let Some(o) = offsets {
        o.extend((start..start + text.len()).map(|p| (p, p + 1)));
    }
}

/// Pushes `c`, written at `from..to` (one byte of it, or an escape for the whole of it).
fn push_char(c: char, from: usize, to: usize, out: &mut String, offsets: &mut Option<&mut Offsets>) {
    out.push(c);
    if let Some(o) = offsets {
        let len = c.len_utf8();
        if to - from == len {
            o.extend((from..to).map(|p| (p, p + 1)));
        } else {
            o.extend((0..len).map(|_| (from, to)));
        }
    }
}

/// An unquoted word: backslash escapes removed; globs, tilde and braces make it unknown.
fn unquoted(text: &str, start: usize, out: &mut String, offsets: &mut Option<&mut Offsets>) -> Option<()> {
    if text.starts_with('~') && out.is_empty() {
        return None;
    }
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, '\n')) | None => {}
                Some((j, e)) => push_char(e, start + i, start + j + e.len_utf8(), out, offsets),
            },
            '*' | '?' | '[' => return None,
            _ => push_char(c, start + i, start + i + c.len_utf8(), out, offsets),
        }
    }
    Some(())
}

/// Inside `"…"` a backslash escapes only `$`, `` ` ``, `"`, `\` and a newline.
fn double_quoted(text: &str, start: usize, out: &mut String, offsets: &mut Option<&mut Offsets>) {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\'
            && let Some(&(j, e)) = chars.peek()
            && matches!(e, '$' | '`' | '"' | '\\' | '\n')
        {
            chars.next();
            if e != '\n' {
                push_char(e, start + i, start + j + e.len_utf8(), out, offsets);
            }
            continue;
        }
        push_char(c, start + i, start + i + c.len_utf8(), out, offsets);
    }
}

/// `$'…'`: the common escapes; anything rarer makes the value unknown.
fn ansi_c(text: &str, start: usize, out: &mut String, offsets: &mut Option<&mut Offsets>) -> Option<()> {
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            push_char(c, start + i, start + i + c.len_utf8(), out, offsets);
            continue;
        }
        let (j, e) = chars.next()?;
        let decoded = match e {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            '\\' | '\'' | '"' | '?' => e,
            _ => return None,
        };
        push_char(decoded, start + i, start + j + e.len_utf8(), out, offsets);
    }
    Some(())
}

/// `{a,b}` or `{1..3}` (roughly: a brace with a comma or `..` after it and a closing brace).
fn is_brace_expansion(text: &str) -> bool {
    text.find('{').is_some_and(|open| {
        let after = &text[open..];
        after.contains('}') && (after.contains(',') || after.contains(".."))
    })
}
