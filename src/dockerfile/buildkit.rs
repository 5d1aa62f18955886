//! The parse tree in BuildKit's `result` format (`Node.Dump()` in moby/buildkit), one instruction per line.
//! The conformance suite compares this output byte for byte.

use super::ast::*;

/// Dumps the instructions as BuildKit's test suite prints them, ending with a newline.
pub fn dump(file: &Dockerfile) -> String {
    let mut out = String::new();
    for instr in &file.instructions {
        out.push('(');
        out.push_str(&dump_node(instr));
        out.push_str(")\n");
    }
    out
}

fn dump_node(instr: &Instruction) -> String {
    let mut s = instr.keyword.value.to_lowercase();
    if !instr.flags.is_empty() {
        s.push_str(" [");
        let flags: Vec<String> = instr.flags.iter().map(|f| go_quote(&f.text)).collect();
        s.push_str(&flags.join(" "));
        s.push(']');
    }
    let mut push = |v: &str| {
        s.push(' ');
        s.push_str(&go_quote(v));
    };
    match &instr.args {
        Args::None => {}
        Args::Words { words } => words.iter().for_each(|w| push(&w.value)),
        Args::Paths { paths, .. } => paths.iter().for_each(|w| push(&w.value)),
        Args::Command { command } => dump_command(command, &mut push),
        Args::KeyValues { pairs } => {
            for p in pairs {
                push(&p.key.value);
                push(&p.value.value);
                push(if p.equals { "=" } else { "" });
            }
        }
        Args::Arg { args } => {
            for a in args {
                match &a.default {
                    Some(d) => push(&format!("{}={}", a.name.value, d.value)),
                    None => push(&a.name.value),
                }
            }
        }
        Args::Text { text } if instr.kind != Kind::Unknown => push(&text.value),
        Args::Text { .. } => {}
        Args::Healthcheck { kind, command } => {
            push(&kind.value);
            if let Some(c) = command {
                dump_command(c, &mut push);
            }
        }
        Args::Onbuild(inner) => {
            if let Some(inner) = inner {
                s.push_str(" (");
                s.push_str(&dump_node(inner));
                s.push(')');
            }
        }
    }
    s.trim().to_owned()
}

fn dump_command(command: &Command, push: &mut impl FnMut(&str)) {
    match command {
        Command::Exec { args, .. } => args.iter().for_each(|a| push(&a.value)),
        Command::Shell { script } => push(&script.value),
    }
}

/// Go's `strconv.Quote`: printable characters as they are, the rest escaped.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII
/// space; not controls, other spaces, format characters, surrogates or private use.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF
        | 0xFFFE | 0xFFFF)
}

#[cfg(test)]
mod tests {
    use super::go_quote;

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\u{0}\u{1b}\n\t"), r#""\x00\x1b\n\t""#);
        assert_eq!(go_quote("♥☃ é"), "\"♥☃ é\"");
        assert_eq!(go_quote("\u{a0}\u{200b}"), r#""\u00a0\u200b""#);
    }
}
