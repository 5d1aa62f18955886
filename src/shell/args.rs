//! Flags and operands of a command's arguments.

use super::Word;
use crate::source::TextRange;

pub(crate) fn basename(path: &str) -> Option<&str> {
    let base = path.rsplit('/').next().unwrap_or(path);
    (!base.is_empty()).then_some(base)
}

fn long_name(long: &str) -> &str {
    long.strip_prefix("--").unwrap_or(long)
}

/// A short-option bundle (`-fsSL`), not `-` or `--…`: its leading letters and digits (`-t=x` is `t`).
fn bundle(arg: &str) -> Option<&str> {
    let rest = arg.strip_prefix('-')?;
    if rest.starts_with('-') {
        return None;
    }
    let end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

pub(crate) fn has_flag(args: &[Word], short: Option<char>, long: &str) -> bool {
    let long = long_name(long);
    for arg in args {
        let a = arg.value_or_text();
        if a == "--" {
            break;
        }
        if let Some(name) = a.strip_prefix("--") {
            if !long.is_empty() && name.split('=').next() == Some(long) {
                return true;
            }
        } else if let (Some(s), Some(b)) = (short, bundle(a))
            && b.contains(s)
        {
            return true;
        }
    }
    false
}

/// A word for the part of `word` from byte `at` of its text, located exactly when the text before is plain.
fn tail(word: &Word, text_at: usize, value: Option<String>) -> Word {
    let text = word.text.get(text_at..).unwrap_or_default().to_owned();
    let plain = word.value.as_deref() == Some(word.text.as_str());
    let range = if plain && word.range.len() as usize == word.text.len() {
        TextRange::new(word.range.start + crate::source::to_u32(text_at), word.range.end)
    } else {
        word.range
    };
    Word { text, value, range }
}

pub(crate) fn flag_value(args: &[Word], short: Option<char>, long: &str) -> Option<Word> {
    let long = long_name(long);
    let mut found = None;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let a = arg.value_or_text();
        if a == "--" {
            break;
        }
        if let Some(name) = a.strip_prefix("--") {
            if !long.is_empty() {
                if name == long {
                    found = args.get(i + 1).cloned();
                    i += 1;
                } else if let Some(v) = name.strip_prefix(long).and_then(|r| r.strip_prefix('=')) {
                    let at = arg.text.find('=').map_or(0, |p| p + 1);
                    found = Some(tail(arg, at, arg.value.as_ref().map(|_| v.to_owned())));
                }
            }
        } else if let (Some(s), Some(b)) = (short, bundle(a))
            && let Some(p) = b.find(s)
        {
            let rest = a.get(1 + p + s.len_utf8()..).unwrap_or_default();
            if rest.is_empty() {
                found = args.get(i + 1).cloned();
                i += 1;
            } else {
                let at = 1 + p + s.len_utf8();
                found = Some(tail(arg, at, arg.value.as_ref().map(|_| rest.to_owned())));
            }
        }
        i += 1;
    }
    found
}

pub(crate) fn positional<'a>(args: &'a [Word], with_values: &'a [&'a str]) -> impl Iterator<Item = &'a Word> {
    let mut options = true;
    let mut skip = false;
    args.iter().filter(move |arg| {
        let a = arg.value_or_text();
        if skip {
            skip = false;
            return false;
        }
        if !options {
            return true;
        }
        if a == "--" {
            options = false;
            return false;
        }
        if a.starts_with('-') && a != "-" {
            skip = with_values.contains(&a);
            return false;
        }
        true
    })
}
