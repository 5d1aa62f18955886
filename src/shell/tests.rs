use std::fmt::Write as _;

use super::*;
use crate::dockerfile::{self, Kind};

/// The scripts of the first RUN (or ONBUILD RUN) of `src`.
fn scripts(src: &str) -> Vec<Script> {
    let file = dockerfile::parse(src);
    let Some(run) = file.instructions.iter().find(|i| i.effective().kind == Kind::Run) else {
        panic!("no RUN in {src:?}");
    };
    let scripts = parse_run(run, file.escape);
    for script in &scripts {
        check_ranges(src, script);
    }
    scripts
}

fn at(src: &str, range: TextRange) -> &str {
    src.get(range.as_usize()).unwrap_or_else(|| panic!("range {range:?} is not on char boundaries in {src:?}"))
}

/// Every range is inside the file and on char boundaries, and a one-line word's range holds its text.
fn check_ranges(src: &str, script: &Script) {
    let check_word = |w: &Word, outer: bool| {
        let slice = at(src, w.range);
        // (An exec-form JSON literal with escapes is re-encoded.)
        let same_json = || serde_json::from_str::<String>(slice).ok().is_some_and(|v| Some(v) == w.value);
        if outer && !slice.contains('\n') && !same_json() {
            assert_eq!(slice, w.text, "word range {:?}", w.range);
        }
    };
    for s in script.all() {
        let outer = std::ptr::eq(s, script);
        at(src, s.range);
        for c in &s.commands {
            at(src, c.range);
            c.name.iter().chain(&c.args).for_each(|w| check_word(w, outer));
            for (n, v) in &c.env {
                check_word(n, outer);
                check_word(v, outer);
            }
            for r in &c.redirects {
                at(src, r.range);
                r.target.iter().for_each(|w| check_word(w, outer));
            }
        }
        for p in &s.pipelines {
            at(src, p.range);
        }
        for e in &s.errors {
            at(src, *e);
        }
    }
}

fn word(src: &str, w: &Word) -> String {
    let slice = at(src, w.range);
    match &w.value {
        Some(v) if v == slice => format!("{slice:?}"),
        Some(v) => format!("{slice:?}={v:?}"),
        None => format!("{slice:?}=?"),
    }
}

/// A readable dump: every word as its file slice (and value when it differs; `?` when unknown).
fn dump(src: &str, script: &Script, indent: &str, out: &mut String) {
    let _ = writeln!(out, "{indent}script {:?}", at(src, script.range));
    for (i, c) in script.commands.iter().enumerate() {
        let _ = write!(out, "{indent}  [{i}] {}", c.name.as_ref().map_or("-".to_owned(), |w| word(src, w)));
        for a in &c.args {
            let _ = write!(out, " {}", word(src, a));
        }
        for (n, v) in &c.env {
            let _ = write!(out, " env:{}={}", word(src, n), word(src, v));
        }
        for r in &c.redirects {
            let target = r.target.as_ref().map_or("-".to_owned(), |w| word(src, w));
            let _ = write!(out, " redirect:{}{}{}", r.fd.map_or(String::new(), |f| f.to_string()), r.op, target);
        }
        let _ = writeln!(out, "  @ {:?}", at(src, c.range));
        if let Some(n) = script.nested_of(i) {
            dump(src, n, &format!("{indent}    "), out);
        }
    }
    for p in &script.pipelines {
        let _ = writeln!(out, "{indent}  pipeline {:?} of {} @ {:?}", p.commands, p.stages, at(src, p.range));
    }
    for e in &script.errors {
        let _ = writeln!(out, "{indent}  error {:?} {:?}", e, at(src, *e));
    }
}

fn dump_all(src: &str) -> String {
    let mut out = String::new();
    for s in scripts(src) {
        dump(src, &s, "", &mut out);
        for e in effective_commands(&s) {
            let _ = writeln!(out, "  effective {} via {:?} @ {:?}", e.program, e.via, at(src, e.range));
        }
    }
    out
}

fn first(src: &str) -> Script {
    scripts(src).into_iter().next().unwrap_or_default()
}

fn names(script: &Script) -> Vec<&str> {
    script.commands.iter().map(|c| c.program().unwrap_or("-")).collect()
}

#[test]
fn curl_pipe_sh() {
    let src = "FROM alpine\nRUN curl -fsSL https://x | sh\n";
    let s = first(src);
    assert_eq!(names(&s), ["curl", "sh"]);
    assert_eq!(s.pipelines.len(), 1);
    assert_eq!(s.pipelines[0].commands, [0, 1]);
    assert_eq!(at(src, s.pipelines[0].range), "curl -fsSL https://x | sh");
    let curl = &s.commands[0];
    assert!(curl.has_flag(Some('s'), "silent"));
    assert!(curl.has_flag(Some('L'), ""));
    assert!(!curl.has_flag(Some('k'), "insecure"));
    assert_eq!(curl.positional().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["https://x"]);
    let eff = effective_commands(&s);
    assert!(eff[1].reads_script_from_stdin());
    assert_eq!(eff[1].pipeline().map(|(p, stage)| (p.commands.clone(), stage)), Some((vec![0, 1], 1)));
}

#[test]
fn wget_pipe_bash_with_args() {
    let s = first("FROM alpine\nRUN wget -qO- x | bash -s -- --flag\n");
    assert_eq!(names(&s), ["wget", "bash"]);
    let eff = effective_commands(&s);
    assert!(eff[1].reads_script_from_stdin());
    assert!(!eff[0].reads_script_from_stdin());
    assert_eq!(s.commands[0].flag_value(Some('O'), "output-document").and_then(|w| w.value), Some("-".into()));
    let bash_script = first("FROM alpine\nRUN bash install.sh\n");
    assert!(!effective_commands(&bash_script)[0].reads_script_from_stdin());
}

#[test]
fn lists_subshells_and_substitutions() {
    let src = "FROM a\nRUN apt-get update && apt-get install -y x || echo fail; (cd /tmp && make) ; echo $(uname -m) `id -u`\n";
    let s = first(src);
    assert_eq!(names(&s), ["apt-get", "apt-get", "echo", "cd", "make", "echo", "uname", "id"]);
    let uname = &s.commands[6];
    assert_eq!(at(src, uname.range), "uname -m");
    assert_eq!(s.commands[5].args[0].value, None);
    assert!(s.pipelines.is_empty());
}

#[test]
fn redirects_and_env_prefixes() {
    let src = "FROM a\nRUN DEBIAN_FRONTEND=noninteractive LANG= apt-get install -y x > /dev/null 2>&1 && cat <<< hi\n";
    let s = first(src);
    let apt = &s.commands[0];
    assert_eq!(apt.program(), Some("apt-get"));
    let env: Vec<_> = apt.env.iter().map(|(n, v)| (n.text.as_str(), v.value.as_deref())).collect();
    assert_eq!(env, [("DEBIAN_FRONTEND", Some("noninteractive")), ("LANG", Some(""))]);
    let r: Vec<_> =
        apt.redirects.iter().map(|r| (r.fd, r.op.as_str(), r.target.as_ref().map(|t| t.text.as_str()))).collect();
    assert_eq!(r, [(None, ">", Some("/dev/null")), (Some(2), ">&", Some("1"))]);
    assert_eq!(at(src, apt.range), "DEBIAN_FRONTEND=noninteractive LANG= apt-get install -y x > /dev/null 2>&1");
    assert_eq!(s.commands[1].redirects[0].op, "<<<");
}

#[test]
fn assignments_alone_and_exports() {
    let s = first("FROM a\nRUN X=1 && export PATH=/x:$PATH Y=2\n");
    assert_eq!(s.commands[0].name, None);
    assert_eq!(s.commands[0].env[0].1.value.as_deref(), Some("1"));
    assert_eq!(s.commands[1].program(), Some("export"));
    assert_eq!(s.commands[1].args.len(), 2);
    assert_eq!(s.commands[1].args[1].value.as_deref(), Some("Y=2"));
}

#[test]
fn quoted_words() {
    let src = "FROM a\nRUN echo 'a b' \"a $b\" \"c\\\"d\" x\\ y $'t\\tu' *.txt ~/x {a,b} --opt=\"v w\"\n";
    let s = first(src);
    let values: Vec<_> = s.commands[0].args.iter().map(|w| w.value.as_deref()).collect();
    assert_eq!(
        values,
        [Some("a b"), None, Some("c\"d"), Some("x y"), Some("t\tu"), None, None, None, Some("--opt=v w")]
    );
}

#[test]
fn flags() {
    let s = first(
        "FROM a\nRUN apt-get install --no-install-recommends --allow-unauthenticated=yes -qy -o Dpkg::x=1 -t=bookworm -- -pkg\n",
    );
    let c = &s.commands[0];
    assert!(c.has_flag(None, "--no-install-recommends"));
    assert!(c.has_flag(None, "allow-unauthenticated"));
    assert!(c.has_flag(Some('y'), "yes"));
    assert!(!c.has_flag(Some('p'), "")); // `-pkg` is after `--`
    let v = c.flag_value(None, "allow-unauthenticated");
    assert_eq!(v.as_ref().and_then(|w| w.value.as_deref()), Some("yes"));
    assert_eq!(c.flag_value(Some('o'), "option").and_then(|w| w.value), Some("Dpkg::x=1".into()));
    assert_eq!(c.flag_value(Some('t'), "target-release").and_then(|w| w.value), Some("=bookworm".into()));
    let positional: Vec<_> = c.positional_skipping(&["-o"]).map(|w| w.text.as_str()).collect();
    assert_eq!(positional, ["install", "-pkg"]);
    // The value word of `--allow-unauthenticated=yes` points at `yes`.
    let src = "FROM a\nRUN x --k=yes\n";
    let s = first(src);
    let v = s.commands[0].flag_value(None, "k");
    assert_eq!(v.map(|w| at(src, w.range).to_owned()), Some("yes".into()));
}

#[test]
fn wrappers() {
    let src = "FROM a\nRUN sudo -E -u root apt-get install x && env -i A=1 curl -k y && timeout -s KILL 5 nohup wget z && find . | xargs -n1 -I{} chmod 777 {}\n";
    let s = first(src);
    let eff: Vec<_> = effective_commands(&s).into_iter().map(|e| (e.program, e.via, at(src, e.range))).collect();
    assert_eq!(
        eff,
        [
            ("apt-get", vec!["sudo"], "apt-get install x"),
            ("curl", vec!["env"], "curl -k y"),
            ("wget", vec!["timeout", "nohup"], "wget z"),
            ("find", vec![], "find ."),
            ("chmod", vec!["xargs"], "chmod 777 {}"),
        ]
    );
    let eff = effective_commands(&s);
    assert!(eff[1].has_flag(Some('k'), "insecure"));
    assert_eq!(eff[4].args[0].value.as_deref(), Some("777"));
}

#[test]
fn sh_c_nested_ranges() {
    let src = "FROM a\nRUN sudo sh -c 'curl -s https://x | bash' && bash -ec \"echo \\\"hi\\\" && chmod 777 /y\"\n";
    let s = first(src);
    assert_eq!(s.nested.len(), 2);
    let eff = effective_commands(&s);
    let got: Vec<_> = eff.iter().map(|e| (e.program, e.via.clone(), at(src, e.range))).collect();
    assert_eq!(
        got,
        [
            ("sh", vec!["sudo"], "sh -c 'curl -s https://x | bash'"),
            ("curl", vec!["sudo", "sh"], "curl -s https://x"),
            ("bash", vec!["sudo", "sh"], "bash"),
            ("bash", vec![], "bash -ec \"echo \\\"hi\\\" && chmod 777 /y\""),
            ("echo", vec!["bash"], "echo \\\"hi\\\""),
            ("chmod", vec!["bash"], "chmod 777 /y"),
        ]
    );
    assert!(eff[2].reads_script_from_stdin());
    assert_eq!(eff[2].pipeline().map(|(p, _)| p.commands.clone()), Some(vec![0, 1]));
    // The escaped quote maps to the quote, not the backslash.
    assert_eq!(at(src, eff[4].args[0].range), "\\\"hi\\\"");
    assert_eq!(eff[4].args[0].value.as_deref(), Some("hi"));
}

#[test]
fn sh_c_nesting_is_bounded() {
    let src = "FROM a\nRUN sh -c \"sh -c 'sh -c \\\"sh -c sh\\\"'\"\n";
    let s = first(src);
    let depth = std::iter::successors(Some(&s), |s| s.nested.first().map(|n| &n.script)).count();
    assert!(depth <= MAX_NESTING + 1);
    assert!(depth >= 3, "{depth}");
}

#[test]
fn continuations_map_to_the_right_lines() {
    let src = "FROM a\nRUN apt-get update && \\\n    # a comment\n    apt-get install -y \\\n      curl \\\n      ca-certificates\n";
    let s = first(src);
    let install = &s.commands[1];
    assert_eq!(install.program(), Some("apt-get"));
    let index = crate::source::LineIndex::new(src);
    let lines: Vec<_> = install.args.iter().map(|w| (at(src, w.range), index.line_of(w.range.start))).collect();
    assert_eq!(lines, [("install", 3), ("-y", 3), ("curl", 4), ("ca-certificates", 5)]);
    assert!(at(src, install.range).starts_with("apt-get install"));
    assert!(at(src, install.range).ends_with("ca-certificates"));
    // A word split by a continuation covers both lines.
    let src = "FROM a\nRUN echo ab\\\ncd\n";
    let s = first(src);
    assert_eq!(s.commands[0].args[0].value.as_deref(), Some("abcd"));
    assert_eq!(at(src, s.commands[0].args[0].range), "ab\\\ncd");
}

#[test]
fn heredocs_shell_or_not() {
    let shell = |src: &str| scripts(src).len() - 1;
    assert_eq!(shell("FROM a\nRUN <<EOF\napt-get update\nEOF\n"), 1);
    assert_eq!(shell("FROM a\nRUN <<EOF bash\napt-get update\nEOF\n"), 1);
    assert_eq!(shell("FROM a\nRUN bash -e <<'EOF'\napt-get update\nEOF\n"), 1);
    assert_eq!(shell("FROM a\nRUN python3 <<EOF\nimport os\nEOF\n"), 0);
    assert_eq!(shell("FROM a\nRUN cat <<EOF > /etc/x && sh <<EOT\nx\nEOF\nls\nEOT\n"), 1);
    assert_eq!(shell("FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n"), 0);
    assert_eq!(shell("FROM a\nRUN <<EOF\n#!/usr/bin/env bash\nls\nEOF\n"), 1);
    assert_eq!(shell("FROM a\nRUN <<EOF\n#!/bin/sh -e\nls\nEOF\n"), 1);
    let src = "FROM a\nRUN cat <<EOF > /etc/x && sh <<EOT\nx\nEOF\ncurl -s y | sh\nEOT\n";
    let all = scripts(src);
    let body = &all[1];
    assert_eq!(names(body), ["curl", "sh"]);
    assert_eq!(at(src, body.commands[0].range), "curl -s y");
    assert_eq!(names(&all[0]), ["cat", "sh"]);
    assert!(all[0].errors.is_empty(), "{:?}", all[0].errors);
}

#[test]
fn exec_form() {
    let src = "FROM a\nRUN [\"/bin/sh\", \"-c\", \"curl -s x | sh\"]\n";
    let all = scripts(src);
    assert_eq!(all.len(), 1);
    let eff = effective_commands(&all[0]);
    let got: Vec<_> = eff.iter().map(|e| (e.program, at(src, e.range))).collect();
    assert_eq!(got, [("sh", "\"/bin/sh\", \"-c\", \"curl -s x | sh\""), ("curl", "curl -s x"), ("sh", "sh")]);
    // With an escape, ranges fall back to the whole literal.
    let src = "FROM a\nRUN [\"sh\", \"-c\", \"echo \\u0041 && ls\"]\n";
    let all = scripts(src);
    let eff = effective_commands(&all[0]);
    assert_eq!(eff.len(), 3);
    assert_eq!(at(src, eff[2].range), "\"echo \\u0041 && ls\"");
    let src = "FROM a\nRUN [\"python3\", \"-c\", \"print(1)\"]\n";
    assert!(scripts(src)[0].nested.is_empty());
}

#[test]
fn half_typed_input() {
    for src in [
        "FROM a\nRUN curl https://x |\n",
        "FROM a\nRUN echo \"abc\n",
        "FROM a\nRUN echo 'abc && ls\n",
        "FROM a\nRUN if then fi (( $( `\n",
        "FROM a\nRUN sh -c 'curl x |\n",
        "FROM a\nRUN <<EOF\nls (\n",
        "FROM a\nRUN ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((\n",
    ] {
        let all = scripts(src);
        assert!(!all.is_empty());
    }
    let s = first("FROM a\nRUN curl https://x |\n");
    assert_eq!(s.commands[0].program(), Some("curl"));
    assert!(!s.errors.is_empty());
    let s = first("FROM a\nRUN apt-get update && echo \"abc\n");
    assert_eq!(s.commands[0].program(), Some("apt-get"));
    assert!(!s.errors.is_empty());
}

#[test]
fn deep_nesting_does_not_overflow() {
    let text = "(".repeat(50_000) + "ls" + &")".repeat(50_000);
    let _ = parse_script(&text, &|i| crate::source::to_u32(i));
    let text = "$(".repeat(20_000) + "ls";
    let _ = parse_script(&text, &|i| crate::source::to_u32(i));
}

#[test]
fn non_ascii_before_the_command() {
    let src = "FROM a\nRUN echo \"héllo wörld 😀\" && curl -fsSL https://é.example | sh\n";
    let s = first(src);
    assert_eq!(at(src, s.commands[1].range), "curl -fsSL https://é.example");
    assert_eq!(s.commands[0].args[0].value.as_deref(), Some("héllo wörld 😀"));
    let src = "FROM a\nRUN echo é\\\n  ü && ls\n";
    let s = first(src);
    assert_eq!(at(src, s.commands[1].range), "ls");
}

#[test]
fn onbuild_run_and_flags() {
    let src = "FROM a\nONBUILD RUN --mount=type=cache,target=/x curl x | sh\n";
    let s = first(src);
    assert_eq!(at(src, s.range), "curl x | sh");
    assert_eq!(names(&s), ["curl", "sh"]);
}

#[test]
fn posix_shells() {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(is_posix_shell(&v(&["/bin/bash", "-o", "pipefail", "-c"])));
    assert!(is_posix_shell(&v(&["sh", "-c"])));
    assert!(!is_posix_shell(&v(&["powershell", "-Command"])));
    assert!(!is_posix_shell(&v(&["cmd", "/S", "/C"])));
    assert!(!is_posix_shell(&v(&["C:\\Program Files\\PowerShell\\pwsh.exe"])));
    assert!(!is_posix_shell(&[]));
}

#[test]
fn snapshot_dump() {
    let src = "FROM alpine\nRUN set -eux; \\\n    FOO=1 sudo -E apt-get install -y --no-install-recommends 'a b' \"c $d\" > /dev/null 2>&1 \\\n    && curl -fsSL https://x | sh -s -- --yes \\\n    && bash -c 'chmod 777 /srv && echo done'\n";
    insta::assert_snapshot!(dump_all(src));
    let src = "FROM alpine\nRUN <<EOF bash\nset -e\nwget -qO- https://y | bash\nEOF\n";
    insta::assert_snapshot!("heredoc", dump_all(src));
}

#[test]
fn sh_c_string_over_continuations() {
    let src = "FROM a\nRUN bash -c \"apt-get update && \\\n  # comment\n  apt-get install -y \\\n    curl\"\n";
    let s = first(src);
    let eff = effective_commands(&s);
    let got: Vec<_> = eff.iter().map(|e| (e.program, at(src, e.range))).collect();
    assert_eq!(
        got,
        [
            ("bash", "bash -c \"apt-get update && \\\n  # comment\n  apt-get install -y \\\n    curl\""),
            ("apt-get", "apt-get update"),
            ("apt-get", "apt-get install -y \\\n    curl"),
        ]
    );
    let curl = &eff[2].args[2];
    assert_eq!((curl.text.as_str(), at(src, curl.range)), ("curl", "curl"));
}

#[test]
fn large_scripts_are_parsed() {
    let text = "echo a && ".repeat(100_000) + "ls";
    assert!(text.len() >= 1_000_000);
    let start = std::time::Instant::now();
    let s = parse_script(&text, &|i| crate::source::to_u32(i));
    assert_eq!(s.commands.len(), 100_001);
    assert_eq!(s.commands[100_000].range, TextRange::from_usize(text.len() - 2, text.len()));
    eprintln!("1 MB script: {:?}", start.elapsed());
}

#[test]
fn exec_form_shell_options_and_other_instructions() {
    let src = "FROM a\nRUN [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\", \"wget -O- x | sh\"]\n";
    let eff: Vec<_> = scripts(src)
        .iter()
        .flat_map(|s| effective_commands(s).into_iter().map(|e| e.program.to_owned()).collect::<Vec<_>>())
        .collect();
    assert_eq!(eff, ["bash", "wget", "sh"]);
    let src = "FROM a\nCMD sudo -u app ./run.sh \\\n  --port 80\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nENTRYPOINT [\"sh\", \"-c\", \"exec app\"]\n";
    let file = dockerfile::parse(src);
    let programs: Vec<Vec<String>> = file
        .instructions
        .iter()
        .map(|i| {
            let scripts = parse_command(i, file.escape);
            scripts.iter().for_each(|s| check_ranges(src, s));
            scripts
                .iter()
                .flat_map(|s| effective_commands(s).into_iter().map(|e| e.program.to_owned()).collect::<Vec<_>>())
                .collect()
        })
        .collect();
    assert_eq!(
        programs,
        [vec![], vec!["run.sh".to_owned()], vec!["curl".into(), "exit".into()], vec!["sh".into(), "app".into()]]
    );
    assert!(parse_run(&file.instructions[1], file.escape).is_empty());
}

/// Every RUN of the shared corpus parses without panicking and with ranges on char boundaries.
#[test]
#[ignore = "reads ../shared/corpus; run with --ignored"]
fn corpus_runs() {
    let mut files = 0;
    let mut commands = 0;
    let (mut scripts, mut with_errors) = (0, 0);
    let mut stack = vec![std::path::PathBuf::from("/work/shared/corpus")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if !path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.to_ascii_lowercase().contains("dockerfile"))
            {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else { continue };
            let src = String::from_utf8_lossy(&bytes).into_owned();
            let file = dockerfile::parse(&src);
            files += 1;
            for i in &file.instructions {
                for s in parse_command(i, file.escape) {
                    check_ranges(&src, &s);
                    if !s.errors.is_empty() {
                        with_errors += 1;
                        if with_errors <= 5 {
                            eprintln!(
                                "{path:?}: {:?}",
                                src.get(s.errors[0].as_usize()).map(|e| e.chars().take(80).collect::<String>())
                            );
                        }
                    }
                    scripts += 1;
                    for s in s.all() {
                        for c in &s.commands {
                            assert!(src.get(c.range.as_usize()).is_some(), "{path:?} {:?}", c.range);
                            commands += 1;
                        }
                    }
                    let _ = effective_commands(&s);
                }
            }
        }
    }
    eprintln!("{files} files, {scripts} scripts ({with_errors} with parse errors), {commands} commands");
}
