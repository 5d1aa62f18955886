//! Any bytes through the Dockerfile lexer, parser, stage resolution, BuildKit dump and word expansion.
//! Checks that nothing panics and that every range lies inside the text on character boundaries.

#![no_main]

use libfuzzer_sys::fuzz_target;
use plimsoll::dockerfile::{self, Args, Instruction, expand};

fuzz_target!(|data: &[u8]| {
    let source = plimsoll::SourceFile::from_bytes("Dockerfile", data);
    let text = &source.text;
    let file = dockerfile::parse(text);
    let _ = dockerfile::buildkit::dump(&file);
    let check = |r: plimsoll::TextRange| {
        assert!(r.start <= r.end && r.end as usize <= text.len(), "range {r:?} outside {} bytes", text.len());
        assert!(text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize), "range {r:?}");
        let _ = source.line_col(r.start);
    };
    for d in &file.diagnostics {
        check(d.range);
        d.labels.iter().for_each(|l| check(l.range));
    }
    fn walk(i: &Instruction, check: &dyn Fn(plimsoll::TextRange)) {
        check(i.range);
        check(i.keyword.range);
        check(i.args_range);
        for f in &i.flags {
            check(f.range);
            check(f.name.range);
        }
        for h in &i.heredocs {
            check(h.marker);
            check(h.body_range);
        }
        if let Args::Onbuild(Some(inner)) = &i.args {
            walk(inner, check);
        }
    }
    for i in &file.instructions {
        walk(i, &check);
    }
    for index in 0..file.instructions.len().min(64) {
        let _ = dockerfile::stages::scope_at(&file, index);
    }
    // Expansion on its own, with both escape characters and a small environment.
    let env: std::collections::BTreeMap<String, String> =
        [("A", "alpha"), ("EMPTY", ""), ("P", "a*b?c")].into_iter().map(|(k, v)| (k.into(), v.into())).collect();
    for escape in ['\\', '`'] {
        let lexer = expand::Lexer::new(escape);
        let _ = lexer.expand_word(text, &env);
        let _ = lexer.expand_words(text, &env);
    }
});
