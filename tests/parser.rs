//! Edge cases of the Dockerfile parser, each a small fixture whose tree is summarised (every range shown with
//! its line:column and the source text it covers) and snapshotted.

use plimsoll::dockerfile::{self, Args, Base, Command, Dockerfile, Instruction};
use plimsoll::{SourceFile, TextRange};

fn at(src: &SourceFile, r: TextRange) -> String {
    let (a, b) = (src.line_col(r.start), src.line_col(r.end));
    let text = src.text.get(r.as_usize()).unwrap_or("<bad range>");
    let text: String =
        if text.len() > 60 { format!("{}…", &text[..text.floor_char_boundary(60)]) } else { text.into() };
    format!("{}:{}-{}:{} {:?}", a.line, a.column, b.line, b.column, text)
}

fn command(src: &SourceFile, c: &Command) -> String {
    match c {
        Command::Exec { args, .. } => {
            let items: Vec<String> = args.iter().map(|a| format!("{:?} @{}", a.value, at(src, a.range))).collect();
            format!("exec [{}]", items.join(", "))
        }
        Command::Shell { script } => format!("shell {:?} @{}", script.value, at(src, script.range)),
    }
}

fn instruction(src: &SourceFile, i: &Instruction, indent: &str, out: &mut String) {
    out.push_str(&format!(
        "{indent}{} lines {}-{} @{}\n",
        i.kind.as_str(),
        i.start_line + 1,
        i.end_line + 1,
        at(src, i.range)
    ));
    out.push_str(&format!("{indent}  keyword {:?} @{}\n", i.keyword.value, at(src, i.keyword.range)));
    for f in &i.flags {
        let value = f.value.as_ref().map(|v| format!(" value {:?} @{}", v.value, at(src, v.range))).unwrap_or_default();
        out.push_str(&format!("{indent}  flag {} @{}{value} {:?}\n", f.name.value, at(src, f.range), f.parsed));
    }
    let args = match &i.args {
        Args::None => "none".to_owned(),
        Args::Words { words } | Args::Paths { paths: words, .. } => {
            let items: Vec<String> = words.iter().map(|w| format!("{:?} @{}", w.value, at(src, w.range))).collect();
            let json = matches!(i.args, Args::Paths { json: true, .. });
            format!("{}[{}]", if json { "json " } else { "" }, items.join(", "))
        }
        Args::Command { command: c } => command(src, c),
        Args::KeyValues { pairs } => pairs
            .iter()
            .map(|p| {
                let sep = if p.equals { "=" } else { " " };
                format!(
                    "{:?}{sep}{:?} @{} / @{}",
                    p.key.value,
                    p.value.value,
                    at(src, p.key.range),
                    at(src, p.value.range)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        Args::Arg { args } => args
            .iter()
            .map(|a| match &a.default {
                Some(d) => format!("{:?}={:?} @{}", a.name.value, d.value, at(src, d.range)),
                None => format!("{:?} @{}", a.name.value, at(src, a.name.range)),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Args::Text { text } => format!("text {:?}", text.value),
        Args::Healthcheck { kind, command: c } => {
            format!("healthcheck {:?} {}", kind.value, c.as_ref().map(|c| command(src, c)).unwrap_or_default())
        }
        Args::Onbuild(inner) => {
            out.push_str(&format!("{indent}  wraps:\n"));
            if let Some(inner) = inner {
                instruction(src, inner, &format!("{indent}    "), out);
            }
            return;
        }
    };
    out.push_str(&format!("{indent}  args {args}\n"));
    for h in &i.heredocs {
        out.push_str(&format!(
            "{indent}  heredoc {:?} chomp={} expand={} fd={:?} marker @{} body @{} content {:?} terminator {}\n",
            h.name,
            h.chomp,
            h.expand,
            h.fd,
            at(src, h.marker),
            at(src, h.body_range),
            h.content(),
            h.terminator.map(|t| at(src, t)).unwrap_or_else(|| "none".into())
        ));
    }
}

fn summary(text: &str) -> String {
    let src = SourceFile::new("Dockerfile", text.to_owned());
    let file: Dockerfile = dockerfile::parse(&src.text);
    let mut out = String::new();
    out.push_str(&format!("escape {:?}\n", file.escape));
    for d in &file.directives {
        out.push_str(&format!("directive {} = {:?} @{}\n", d.name, d.value.value, at(&src, d.value.range)));
    }
    for i in &file.instructions {
        instruction(&src, i, "", &mut out);
    }
    for c in &file.comments {
        out.push_str(&format!("comment @{}\n", at(&src, c.range)));
    }
    for s in &file.stages {
        let base = match &s.base {
            Base::Missing => "missing".to_owned(),
            Base::Scratch { .. } => "scratch".to_owned(),
            Base::Stage { index, .. } => format!("stage #{index}"),
            Base::Image { resolved, reference, .. } => format!("image {resolved:?} = {}", reference.normalized()),
            Base::Unresolved { reason, .. } => format!("unresolved: {reason}"),
        };
        out.push_str(&format!(
            "stage #{} name={:?} instructions {:?} base {base}\n",
            s.index,
            s.name.as_ref().map(|n| &n.value),
            s.instructions
        ));
    }
    for d in &file.diagnostics {
        out.push_str(&format!("{} {:?} @{}: {}\n", d.code, d.severity, at(&src, d.range), d.message));
    }
    out
}

macro_rules! cases {
    ($($name:ident: $text:expr;)*) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(stringify!($name), summary($text));
            }
        )*
    };
}

cases! {
    directives_at_the_top: "# syntax=docker/dockerfile:1.7\n#  ESCAPE = `\n# check=skip=JSONArgsRecommended;error=true\nFROM alpine\nRUN echo a `\n  b\n";
    directive_after_comment_is_a_comment: "# hello\n# escape=`\nFROM alpine\nRUN a \\\n  b\n";
    directive_after_blank_line_is_a_comment: "\n# escape=`\nFROM alpine\n";
    repeated_directive: "# escape=\\\n# escape=`\nFROM alpine\n";
    invalid_escape: "# escape=x\nFROM alpine\n";
    continuations_with_comments_blank_and_tabs: "FROM alpine\nRUN set -eux; \\\n# a comment inside\n\tapk add curl \\\n\n    && echo done\nCMD x\n";
    escape_only_lines_and_trailing_spaces: "FROM alpine\nRUN hello\\\n\\\nworld \\  \n  !\n";
    escaped_escape_is_not_a_continuation: "FROM alpine\nENV C trailing\\\\\nENV D next\n";
    trailing_escape_at_end_of_file: "FROM alpine\nRUN echo \\";
    heredoc_basic_and_comment_after_terminator: "FROM alpine\nRUN <<EOF\necho hi\nEOF\n# a comment right after the terminator\nRUN echo after\n";
    heredoc_chomp_quoted_and_several: "FROM alpine\nRUN <<-\"EOT\" bash && cat <<'EOF2'\n\techo one\n\tEOT\nliteral $HOME\nEOF2\nCOPY <<\\EOF /etc/app.conf\nkey=value\nEOF\n";
    heredoc_after_continuation_and_fd: "FROM alpine\nRUN python3 \\\n  3<<EOF\nprint(1)\nEOF\nADD <<EOF /x\nEOF\n";
    heredoc_terminator_followed_by_instruction: "FROM alpine\nRUN <<EOF\nset -e\nEOF\nUSER nobody\n";
    heredoc_never_closed_recovers: "FROM alpine\nRUN <<EOF\napk add curl\nUSER nobody\nFRM x\n";
    heredoc_not_in_exec_form_or_other_instructions: "FROM alpine\nRUN [\"cat\", \"<<EOF\"]\nENV A=<<EOF\nRUN cat<<EOF\n";
    exec_and_shell_forms: "FROM alpine\nCMD [\"echo\", \"a\\\"b\", \"\\u2603\"]\nENTRYPOINT ['single', 'quotes']\nRUN [ \"unterminated\"\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nCMD []\n";
    exec_form_not_strings: "FROM alpine\nCMD [\"a\", 1]\nRUN echo ok\n";
    every_flag: "FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nRUN --mount=type=cache,target=/root/.cache,sharing=locked --mount=type=secret,id=npmrc,required --network=none --security=sandbox --device=/dev/fuse make\nCOPY --from=build --chown=1000:1000 --chmod=0644 --link --parents --exclude=*.md src/ /app/\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d --keep-git-dir=true --unpack=false https://example.com/a.tar /a\nHEALTHCHECK --interval=30s --timeout=5s --start-period=1m --start-interval=2s --retries=3 CMD curl -f http://localhost/\n";
    flag_errors: "FROM alpine\nCOPY --from a b\nRUN --mount=type=cache x\nCOPY --form=x a b\nRUN --network=bridge x\nHEALTHCHECK --interval=soon CMD x\nUSER --x=1 me\n";
    flags_with_quotes_and_double_dash: "FROM alpine\nCOPY --chown=\"app user\" -- --weird-name /dst\n";
    env_and_label_forms: "FROM alpine\nENV A=1 B=\"two words\" C=x\\ y\nENV LEGACY value with  spaces\nLABEL org.opencontainers.image.title=\"plimsoll\" version=1\nENV PATH\nENV a=1 b\n";
    arg_forms: "ARG A B=2 C=\"x y\"\nFROM alpine\nARG D\n";
    every_instruction_lowercase: "from alpine as base\nmaintainer me\nrun echo\ncmd echo\nlabel a=b\nexpose 80/tcp 443\nenv a=b\nadd a b\ncopy a b\nentrypoint echo\nvolume /data [\"/x\"]\nvolume [\"/a\", \"/b\"]\nuser app:app\nworkdir /app\narg x\nonbuild run echo later\nstopsignal SIGTERM\nhealthcheck none\nshell [\"sh\", \"-c\"]\n";
    onbuild_and_healthcheck: "FROM alpine\nONBUILD ONBUILD RUN x\nONBUILD FROM alpine\nONBUILD RUN <<EOF\necho later\nEOF\nHEALTHCHECK\nHEALTHCHECK CONNECT TCP 7000\nHEALTHCHECK NONE extra\nHEALTHCHECK CMD\n";
    unknown_instruction_continues: "FROM alpine\nFRO x\nRUNN echo\nRUN echo still parsed\n";
    instructions_before_from_and_arity: "RUN echo\nARG V=1\nFROM\nFROM a b\nFROM alpine AS 1bad\nCOPY onlyone\nUSER\n";
    stages_and_bases: "ARG BASE=alpine:3.22\nARG TAG\nFROM ${BASE} AS Build\nFROM build AS second\nFROM scratch\nFROM nginx:${TAG}\nFROM --platform=$BUILDPLATFORM ${BASE}\nFROM $TARGETARCH/alpine\nFROM ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nFROM second AS build\n";
    empty_file: "";
    only_comments: "# just a comment\n\n   # another\n";
    crlf_and_bom: "\u{feff}# syntax=docker/dockerfile:1\r\nFROM alpine\r\nRUN echo a \\\r\n  b\r\n";
    nul_bytes_and_non_ascii: "FROM alpine\nRUN echo \u{0}é☃ \\\n  😀\nLABEL x=\"ünïcödé\"\n";
}

#[test]
fn a_10_mb_line_is_bounded_and_reported() {
    let text = format!("FROM alpine\nRUN echo {}\nUSER nobody\n", "x".repeat(10_000_000));
    let file = dockerfile::parse(&text);
    assert_eq!(file.instructions.len(), 3);
    let messages: Vec<&str> = file.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["line 2 is longer than 65,535 bytes, which BuildKit refuses"]);
}

#[test]
fn a_hundred_thousand_continuation_lines() {
    let mut text = String::from("FROM alpine\nRUN true");
    for i in 0..100_000 {
        text.push_str(&format!(" \\\n  && echo {i}"));
    }
    text.push_str("\nUSER nobody\n");
    let file = dockerfile::parse(&text);
    assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
    assert_eq!(file.instructions.len(), 3);
    assert_eq!((file.instructions[1].start_line, file.instructions[1].end_line), (1, 100_001));
}

#[test]
fn invalid_utf8_is_reported_once_with_its_place() {
    let source = SourceFile::from_bytes("Dockerfile", b"FROM alpine:3.22\nRUN echo \xff\xfe\nUSER nobody\n");
    let diagnostics = plimsoll::lint_dockerfile(&source);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let at = source.line_col(diagnostics[0].range.start);
    assert_eq!((diagnostics[0].code, at.line, at.column), ("PLD004", 2, 10));
}

#[test]
fn ranges_always_lie_inside_the_text_and_on_char_boundaries() {
    let text = "FROM alpine\nRUN é \\\n# c\n  ☃ && \\\n\n  x\nCOPY --chown=\"é\" a b\nENV A=\"é\" B ☃\n";
    let file = dockerfile::parse(text);
    let mut ranges = Vec::new();
    for i in &file.instructions {
        ranges.extend([i.range, i.keyword.range, i.args_range]);
        ranges.extend(i.flags.iter().flat_map(|f| [f.range, f.name.range]));
    }
    ranges.extend(file.diagnostics.iter().map(|d| d.range));
    for r in ranges {
        assert!(r.start <= r.end && (r.end as usize) <= text.len(), "{r:?}");
        assert!(text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize), "{r:?}");
    }
}
