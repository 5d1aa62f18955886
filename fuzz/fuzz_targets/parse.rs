//! Any bytes through the Dockerfile lexer, parser, stage resolution, BuildKit dump, word expansion, and every
//! rule with its fixes.
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
    // Every rule, opt-in ones too, and their fixes.
    let selection = plimsoll::rules::Selection {
        extend_select: plimsoll::rules::all().iter().map(|r| r.meta.code.to_owned()).collect(),
        ..Default::default()
    };
    let settings = plimsoll::rules::Settings { trusted_registries: vec!["docker.io/library/*".into()] };
    let findings = plimsoll::lint_dockerfile_with(&source, &selection, &settings);
    for d in &findings {
        check(d.range);
        d.labels.iter().for_each(|l| check(l.range));
        d.fix.iter().flat_map(|f| &f.edits).for_each(|e| check(e.range));
    }
    let fixes: Vec<&plimsoll::Fix> = findings.iter().filter_map(|d| d.fix.as_ref()).collect();
    let _ = plimsoll::diagnostic::apply_fixes(text, &fixes);
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
