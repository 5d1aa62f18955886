//! File modes as `chmod`, `mkdir -m`, `install -m` and `COPY --chmod` write them.

use crate::shell::{EffectiveCommand, Word};

/// What a mode grants.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Grants {
    /// Write for others, explicitly (octal, or `o`/`a` in a symbolic clause: `+w` alone is masked by umask).
    pub others_write: bool,
    pub sticky: bool,
    pub setuid: bool,
    pub setgid: bool,
}

/// What an octal (`0777`, `4755`) or symbolic (`u=rwx,go+rx`, `a+w`) mode grants; `None` for anything else.
pub(super) fn parse(mode: &str) -> Option<Grants> {
    if !mode.is_empty() && mode.len() <= 5 && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let bits = u32::from_str_radix(mode, 8).ok().filter(|&b| b <= 0o7777)?;
        return Some(Grants {
            others_write: bits & 0o002 != 0,
            sticky: bits & 0o1000 != 0,
            setuid: bits & 0o4000 != 0,
            setgid: bits & 0o2000 != 0,
        });
    }
    let mut grants = Grants::default();
    for clause in mode.split(',') {
        let who_end = clause.find(|c: char| !"ugoa".contains(c)).unwrap_or(clause.len());
        let (who, mut rest) = clause.split_at(who_end);
        if rest.is_empty() {
            return None;
        }
        let all = who.is_empty() || who.contains('a');
        while let Some(op) = rest.chars().next().filter(|c| "+-=".contains(*c)) {
            rest = &rest[1..];
            let end = rest.find(|c: char| "+-=".contains(c)).unwrap_or(rest.len());
            let perms = &rest[..end];
            rest = &rest[end..];
            if !perms.chars().all(|c| "rwxXstugo".contains(c)) {
                return None;
            }
            if op == '-' {
                continue;
            }
            grants.others_write |= perms.contains('w') && (who.contains('o') || who.contains('a'));
            grants.sticky |= perms.contains('t') && (all || who.contains('o'));
            grants.setuid |= perms.contains('s') && (all || who.contains('u'));
            grants.setgid |= perms.contains('s') && (all || who.contains('g'));
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(grants)
}

/// The mode word of a command that sets one: `chmod [options] MODE file…`, `mkdir -m MODE`, `install -m MODE`.
pub(super) fn mode_word(ec: &EffectiveCommand<'_>) -> Option<Word> {
    match ec.program {
        "chmod" => {
            if ec.has_flag(None, "reference") {
                return None;
            }
            let mut after_dashes = false;
            for word in ec.args {
                let text = word.value_or_text();
                if !after_dashes && text == "--" {
                    after_dashes = true;
                    continue;
                }
                if !after_dashes && text.starts_with('-') {
                    continue;
                }
                return word.value.is_some().then(|| word.clone());
            }
            None
        }
        "mkdir" | "install" => ec.flag_value(Some('m'), "mode").filter(|w| w.value.is_some()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn modes() {
        let g = |m: &str| parse(m).map(|g| (g.others_write, g.sticky, g.setuid, g.setgid));
        assert_eq!(g("777"), Some((true, false, false, false)));
        assert_eq!(g("0775"), Some((false, false, false, false)));
        assert_eq!(g("1777"), Some((true, true, false, false)));
        assert_eq!(g("6755"), Some((false, false, true, true)));
        assert_eq!(g("2775"), Some((false, false, false, true)));
        assert_eq!(g("+w"), Some((false, false, false, false)));
        assert_eq!(g("a+rwX"), Some((true, false, false, false)));
        assert_eq!(g("u=rwx,go=rx"), Some((false, false, false, false)));
        assert_eq!(g("go+w"), Some((true, false, false, false)));
        assert_eq!(g("o-w"), Some((false, false, false, false)));
        assert_eq!(g("+s"), Some((false, false, true, true)));
        assert_eq!(g("g+s"), Some((false, false, false, true)));
        assert_eq!(g("o+s"), Some((false, false, false, false)));
        assert_eq!(g("+x"), Some((false, false, false, false)));
        assert_eq!(g("77777"), None);
        assert_eq!(g("x"), None);
        assert_eq!(g("u"), None);
        assert_eq!(g("file.txt"), None);
    }
}
