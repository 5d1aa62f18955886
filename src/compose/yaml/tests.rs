use super::*;
use crate::compose::{DUPLICATE_KEY, YAML_LIMIT_EXCEEDED, YAML_SYNTAX_ERROR};
use crate::source::{ColumnEncoding, LineIndex};

/// Parses text that must be valid, with one document.
fn root(text: &str) -> Node {
    let file = parse(text);
    assert_eq!(file.diagnostics, vec![], "unexpected diagnostics for {text:?}");
    assert_eq!(file.documents.len(), 1);
    file.documents.into_iter().next().unwrap().root
}

fn at(text: &str, range: TextRange) -> &str {
    &text[range.as_usize()]
}

fn codes(file: &YamlFile) -> Vec<&'static str> {
    file.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn ranges_of_every_node_kind() {
    let text = "\
name: demo
image: 'nginx:1.27'
command: \"echo hi\"
script: |
  set -e
  run

folded: >-
  one
  two
ports:
  - 80
  - \"443\"
flow: [a, {b: c}]
empty:
last: value # trailing
";
    let root = root(text);
    assert_eq!(root.style, Style::Block);
    assert_eq!(at(text, root.range), text.trim_end_matches('\n').trim_end_matches(" # trailing"));
    let value = |key: &str| root.get(key).unwrap();
    assert_eq!(at(text, value("name").range), "demo");
    assert_eq!(at(text, value("image").range), "'nginx:1.27'");
    assert_eq!(value("image").as_str(), Some("nginx:1.27"));
    assert_eq!(value("image").style, Style::SingleQuoted);
    assert_eq!(at(text, value("command").range), "\"echo hi\"");
    assert_eq!(value("command").style, Style::DoubleQuoted);
    assert_eq!(at(text, value("script").range), "|\n  set -e\n  run");
    assert_eq!(value("script").as_str(), Some("set -e\nrun\n"));
    assert_eq!(value("script").style, Style::Literal);
    assert_eq!(at(text, value("folded").range), ">-\n  one\n  two");
    assert_eq!(value("folded").as_str(), Some("one two"));
    assert_eq!(value("folded").style, Style::Folded);

    let ports = value("ports");
    assert_eq!(ports.style, Style::Block);
    assert_eq!(at(text, ports.range), "- 80\n  - \"443\"");
    let items = ports.as_sequence().unwrap();
    assert_eq!(at(text, items[0].range), "80");
    assert_eq!(at(text, items[1].range), "\"443\"");

    let flow = value("flow");
    assert_eq!((at(text, flow.range), flow.style), ("[a, {b: c}]", Style::Flow));
    let inner = &flow.as_sequence().unwrap()[1];
    assert_eq!((at(text, inner.range), inner.style), ("{b: c}", Style::Flow));
    assert_eq!(at(text, inner.get("b").unwrap().range), "c");

    let empty = value("empty");
    assert!(empty.is_null());
    let after_colon = text.find("empty:").unwrap() + "empty:".len();
    assert_eq!(empty.range, TextRange::empty(after_colon as u32));

    let pairs = parse("x: [a: 1, {b: 2}, ? c]\n");
    let items = pairs.documents[0].root.get("x").unwrap().as_sequence().unwrap();
    assert_eq!(items.iter().map(|item| item.style).collect::<Vec<_>>(), [Style::Flow; 3]);
    assert_eq!(at("x: [a: 1, {b: 2}, ? c]\n", items[0].range), "a: 1");

    let keys: Vec<&str> = root.entries().map(|(key, _)| key).collect();
    assert_eq!(keys, ["name", "image", "command", "script", "folded", "ports", "flow", "empty", "last"]);
    let entry = root.get_entry("last").unwrap();
    assert_eq!(at(text, entry.key.range), "last");
    assert_eq!(at(text, entry.value.range), "value");
}

#[test]
fn ranges_are_bytes_with_non_ascii_text() {
    let text = "é: \"ü — ß\"\n名前: 'サービス'\n😀:\n  - |\n    línea\n  - [ñ, \"ö\"]\nz: end\n";
    let root = root(text);
    let quoted = root.get("é").unwrap();
    assert_eq!(at(text, quoted.range), "\"ü — ß\"");
    let entry = root.get_entry("名前").unwrap();
    assert_eq!(at(text, entry.key.range), "名前");
    assert_eq!(at(text, entry.value.range), "'サービス'");
    let items = root.get("😀").unwrap().as_sequence().unwrap();
    assert_eq!(at(text, items[0].range), "|\n    línea");
    assert_eq!(at(text, items[1].range), "[ñ, \"ö\"]");
    assert_eq!(at(text, items[1].as_sequence().unwrap()[1].range), "\"ö\"");
    assert_eq!(at(text, root.get("z").unwrap().range), "end");
}

#[test]
fn ranges_with_bom_and_crlf() {
    let text = "\u{feff}a: 1\r\nb: \"x\"\r\nc: |\r\n  y\r\n";
    let root = root(text);
    assert_eq!(at(text, root.get_entry("a").unwrap().key.range), "a");
    assert_eq!(at(text, root.get("b").unwrap().range), "\"x\"");
    assert_eq!(at(text, root.get("c").unwrap().range), "|\r\n  y");
}

#[test]
fn empty_values_sit_after_their_indicator() {
    let text = "a:\nb: !reset\nlist:\n  -\n  - x\n";
    let root = root(text);
    assert_eq!(root.get("a").unwrap().range, TextRange::empty(2));
    let reset = root.get("b").unwrap();
    assert!(reset.is_null());
    assert_eq!(at(text, reset.tag.as_ref().unwrap().range), "!reset");
    let dash = text.find("-\n").unwrap() as u32;
    assert_eq!(root.get("list").unwrap().as_sequence().unwrap()[0].range, TextRange::empty(dash + 1));

    let file = parse("---\n");
    assert_eq!(file.documents[0].root.range, TextRange::empty(3));
    assert!(file.documents[0].root.is_null());
}

#[test]
fn anchors_and_aliases_are_expanded_and_remember_both_places() {
    let text = "\
x-env: &env
  A: 1
  B: two
web:
  environment: *env
  image: &img nginx
  other: *img
";
    let root = root(text);
    let definition = root.get("x-env").unwrap();
    let anchor = definition.anchor.as_ref().unwrap();
    assert_eq!((anchor.value.as_str(), at(text, anchor.range)), ("env", "&env"));
    assert_eq!(at(text, definition.range), "A: 1\n  B: two");
    assert_eq!(definition.via_alias, None);

    let web = root.get("web").unwrap();
    let copy = web.get("environment").unwrap();
    assert_eq!(copy.range, definition.range, "a copy keeps the definition's range");
    assert_eq!(copy.anchor, definition.anchor);
    assert_eq!(at(text, copy.via_alias.unwrap()), "*env");
    assert_eq!(at(text, copy.use_range()), "*env");
    assert_eq!(copy.get("B").unwrap().as_str(), Some("two"));
    let inner = copy.get("B").unwrap();
    assert_eq!(at(text, inner.range), "two");
    assert_eq!(inner.via_alias, copy.via_alias, "every node of a copy knows the alias");

    let other = web.get("other").unwrap();
    assert_eq!(other.as_str(), Some("nginx"));
    assert_eq!(at(text, other.range), "nginx");
    assert_eq!(at(text, other.use_range()), "*img");
    // The mapping holding the alias ends at the alias, not at the (earlier) definition.
    assert_eq!(at(text, web.range), "environment: *env\n  image: &img nginx\n  other: *img");
}

#[test]
fn redefined_anchors_use_the_latest_definition() {
    let root = root("a: &x 1\nb: *x\nc: &x 2\nd: *x\n");
    assert_eq!(root.get("b").unwrap().as_str(), Some("1"));
    assert_eq!(root.get("d").unwrap().as_str(), Some("2"));
}

#[test]
fn merge_key_with_one_mapping() {
    let text = "\
x-base: &base
  image: app
  restart: always
web:
  <<: *base
  restart: never
  ports: [80]
";
    let root = root(text);
    let web = root.get("web").unwrap();
    let keys: Vec<&str> = web.entries().map(|(key, _)| key).collect();
    assert_eq!(keys, ["image", "restart", "ports"], "merged entries go where the `<<` was");
    assert_eq!(web.get("restart").unwrap().as_str(), Some("never"), "written keys win");

    let image = web.get_entry("image").unwrap();
    let merge_key = text.find("<<").unwrap() as u32;
    assert_eq!(image.via_merge, Some(TextRange::new(merge_key, merge_key + 2)));
    assert_eq!(at(text, image.value.range), "app", "merged values point at their definition");
    assert_eq!(at(text, image.value.via_alias.unwrap()), "*base");
    assert_eq!(web.get_entry("restart").unwrap().via_merge, None);
    assert!(web.get("<<").is_none());
}

#[test]
fn merge_key_with_a_list_earlier_wins() {
    let text = "\
a: &a {x: from-a, y: from-a}
b: &b {y: from-b, z: from-b}
c:
  <<: [*a, *b, {w: inline, x: inline}]
  z: own
";
    let root = root(text);
    let c = root.get("c").unwrap();
    let value = |key: &str| c.get(key).unwrap().as_str().unwrap();
    assert_eq!(value("x"), "from-a");
    assert_eq!(value("y"), "from-a");
    assert_eq!(value("z"), "own");
    assert_eq!(value("w"), "inline");
    assert_eq!(c.as_mapping().unwrap().len(), 4);
    assert!(c.entries().filter(|(key, _)| *key != "z").all(|(_, entry)| entry.via_merge.is_some()));
}

#[test]
fn nested_merges_and_quoted_merge_key() {
    let text = "\
base: &base {a: 1}
mid: &mid
  <<: *base
  b: 2
top:
  <<: *mid
  c: 3
quoted:
  \"<<\": *base
";
    let root = root(text);
    let top = root.get("top").unwrap();
    assert_eq!(top.get("a").unwrap().as_str(), Some("1"));
    assert_eq!(top.get("b").unwrap().as_str(), Some("2"));
    assert_eq!(top.get("c").unwrap().as_str(), Some("3"));
    let quoted = root.get("quoted").unwrap();
    assert!(quoted.get("a").is_none(), "a quoted `<<` is an ordinary key");
    assert!(quoted.get("<<").unwrap().is_mapping());
}

#[test]
fn lines_of_flow_collections_may_be_indented_as_compose_allows() {
    let text = "\
services:
  web:
    healthcheck:
      test: [
          \"CMD\",
        \"x\",
      ]
      interval: 30s
    ports: [80,
  443]
";
    let root = root(text);
    let web = root.get("services").unwrap().get("web").unwrap();
    let test = web.get("healthcheck").unwrap().get("test").unwrap();
    assert_eq!(at(text, test.range), "[\n          \"CMD\",\n        \"x\",\n      ]");
    assert_eq!(at(text, test.as_sequence().unwrap()[1].range), "\"x\"");
    assert_eq!(web.get("healthcheck").unwrap().get("interval").unwrap().as_str(), Some("30s"));
    let ports = web.get("ports").unwrap();
    assert_eq!(at(text, ports.as_sequence().unwrap()[1].range), "443");
}

#[test]
fn merge_key_of_a_scalar_is_an_error() {
    let text = "a:\n  <<: nope\n  b: 1\n";
    let file = parse(text);
    assert_eq!(codes(&file), [YAML_SYNTAX_ERROR]);
    assert_eq!(at(text, file.diagnostics[0].range), "nope");
    assert_eq!(at(text, file.diagnostics[0].labels[0].range), "<<");
    let a = file.documents[0].root.get("a").unwrap();
    assert_eq!(a.entries().map(|(key, _)| key).collect::<Vec<_>>(), ["b"]);
}

#[test]
fn tags_are_kept_as_written() {
    let text = "\
services:
  web:
    ports: !reset []
    environment: !override
      A: 1
    x: !custom:thing value
    y: !!str 123
    z: !reset
";
    let root = root(text);
    let web = root.get("services").unwrap().get("web").unwrap();
    let ports = web.get("ports").unwrap();
    assert!(ports.has_tag("!reset"));
    assert_eq!(at(text, ports.range), "[]");
    assert_eq!(at(text, ports.tag.as_ref().unwrap().range), "!reset");
    let environment = web.get("environment").unwrap();
    assert_eq!(environment.tag_name(), Some("!override"));
    assert_eq!(at(text, environment.range), "A: 1");
    assert_eq!(web.get("x").unwrap().tag_name(), Some("!custom:thing"));
    let y = web.get("y").unwrap();
    assert_eq!((y.tag_name(), y.as_str(), y.as_int()), (Some("!!str"), Some("123"), None));
    let z = web.get("z").unwrap();
    assert!(z.has_tag("!reset") && z.is_null());
}

#[test]
fn typed_readings_follow_compose() {
    let text = "\
t: true
f: FALSE
yes_: yes
on_: on
quoted: \"true\"
octal: 0644
yaml12_octal: 0o644
hex: 0x1F
decimal: 42
float: 1.5
tilde: ~
null_: null
empty:
quoted_null: 'null'
string: hello
";
    let root = root(text);
    let value = |key: &str| root.get(key).unwrap();
    assert_eq!(value("t").as_bool(), Some(true));
    assert_eq!(value("f").as_bool(), Some(false));
    assert_eq!(value("yes_").as_bool(), None);
    assert_eq!(value("on_").as_bool(), None);
    assert_eq!(value("on_").type_name(), "string");
    assert_eq!(value("quoted").as_bool(), None);
    assert_eq!(value("quoted").as_str(), Some("true"));
    assert_eq!(value("octal").as_int(), Some(420));
    assert_eq!(value("yaml12_octal").as_int(), Some(420));
    assert_eq!(value("hex").as_int(), Some(31));
    assert_eq!(value("decimal").as_int(), Some(42));
    assert_eq!(value("decimal").type_name(), "integer");
    assert_eq!(value("float").as_float(), Some(1.5));
    assert_eq!(value("float").as_int(), None);
    assert_eq!(value("float").type_name(), "number");
    for key in ["tilde", "null_", "empty"] {
        assert!(value(key).is_null(), "{key}");
    }
    assert!(!value("quoted_null").is_null());
    assert!(!value("string").is_null());
    assert_eq!(value("string").type_name(), "string");
}

#[test]
fn comments_outside_scalars_only() {
    let text = "\
# plimsoll ignore=PLC101
a: \"not # a comment\" # real one
b: 'also # not'
c: x#y
d: |
  # inside a block scalar
  text # still text
e: >- # header comment
  folded # text
#end
f: [1, 2] # flow
";
    let file = parse(text);
    assert_eq!(file.diagnostics, vec![]);
    let comments: Vec<&str> = file.comments.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(comments, [" plimsoll ignore=PLC101", " real one", " header comment", "end", " flow"]);
    for comment in &file.comments {
        assert_eq!(at(text, comment.range), format!("#{}", comment.value));
    }
}

#[test]
fn comments_with_bom_crlf_and_less_indented_lines() {
    let text = "\u{feff}# first\r\na: |\r\n  x\r\n # after block\r\nb: 1 # two\r\n";
    let file = parse(text);
    assert_eq!(file.diagnostics, vec![]);
    let comments: Vec<&str> = file.comments.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(comments, [" first", " after block", " two"]);
    assert_eq!(at(text, file.comments[0].range), "# first");
}

#[test]
fn several_documents() {
    let text = "a: 1\n---\nb: &x 2\n...\n--- !tagged\nc: 3\n---\n";
    let file = parse(text);
    assert_eq!(file.diagnostics, vec![]);
    assert_eq!(file.documents.len(), 4);
    assert_eq!(file.documents[0].root.get("a").unwrap().as_str(), Some("1"));
    assert_eq!(at(text, file.documents[0].range), "a: 1");
    assert_eq!(at(text, file.documents[1].range), "---\nb: &x 2\n...");
    assert!(file.documents[2].root.has_tag("!tagged"));
    assert!(file.documents[3].root.is_null());
    assert!(file.documents.iter().all(|d| d.complete));
}

#[test]
fn anchors_do_not_cross_documents() {
    let text = "a: &x 1\n---\nb: *x\n";
    let file = parse(text);
    assert_eq!(codes(&file), [YAML_SYNTAX_ERROR]);
    assert_eq!(at(text, file.diagnostics[0].range), "*x");
    let b = file.documents[1].root.get("b").unwrap();
    assert!(matches!(&b.kind, NodeKind::Alias { name, target: None } if name == "x"));
}

#[test]
fn duplicate_keys_warn_and_the_later_value_wins() {
    let text = "image: one\nports: [1]\nimage: two\n";
    let file = parse(text);
    assert_eq!(codes(&file), [DUPLICATE_KEY]);
    let diagnostic = &file.diagnostics[0];
    assert_eq!(diagnostic.severity, Severity::Warning);
    assert_eq!(diagnostic.range, TextRange::new(22, 27));
    assert_eq!(diagnostic.labels[0].range, TextRange::new(0, 5));
    assert!(!file.has_errors());
    let root = &file.documents[0].root;
    assert_eq!(root.get("image").unwrap().as_str(), Some("two"));
    assert_eq!(root.as_mapping().unwrap().len(), 3, "both entries stay in the tree");
}

#[test]
fn syntax_error_keeps_what_was_read() {
    let text = "services:\n  web:\n    image: nginx\n    ports: [80\n  db: {}\n";
    let file = parse(text);
    assert_eq!(codes(&file), [YAML_SYNTAX_ERROR]);
    let error = &file.diagnostics[0];
    assert!(error.message.starts_with("invalid YAML: "), "{}", error.message);
    let line = LineIndex::new(text).line_col(text, error.range.start, ColumnEncoding::Utf8);
    assert_eq!(line.line, 5, "{error:?}");
    assert_eq!(file.documents.len(), 1);
    let document = &file.documents[0];
    assert!(!document.complete);
    let web = document.root.get("services").unwrap().get("web").unwrap();
    assert_eq!(web.get("image").unwrap().as_str(), Some("nginx"));
    assert_eq!(at(text, web.get("image").unwrap().range), "nginx");
}

#[test]
fn syntax_error_position_is_a_byte_offset() {
    let text = "ключ: значение\n  bad: indent\n";
    let file = parse(text);
    assert_eq!(codes(&file), [YAML_SYNTAX_ERROR]);
    let error = &file.diagnostics[0];
    assert_eq!(at(text, error.range), ":");
    assert_eq!(error.range.start as usize, text.find("d:").unwrap() + 1);
    assert!(error.help.is_some());
    // The first key was read before the error.
    assert_eq!(file.documents[0].root.as_mapping().unwrap()[0].key.as_str(), Some("ключ"));
}

#[test]
fn unterminated_quote_and_unknown_anchor() {
    let file = parse("a: 1\nb: \"open");
    assert_eq!(codes(&file), [YAML_SYNTAX_ERROR]);
    assert!(file.diagnostics[0].message.contains("never closed"), "{}", file.diagnostics[0].message);
    assert_eq!(file.documents[0].root.get("a").unwrap().as_str(), Some("1"));

    let text = "a: \"open\nb: 1\n";
    let file = parse(text);
    assert_eq!(codes(&file), [YAML_SYNTAX_ERROR]);
    assert!(file.diagnostics[0].message.contains("closing quote"), "{}", file.diagnostics[0].message);
    assert_eq!(at(text, file.diagnostics[0].range), "\"");

    let text = "a: 1\nb: *missing\n";
    let file = parse(text);
    assert_eq!(codes(&file), [YAML_SYNTAX_ERROR]);
    assert_eq!(file.documents[0].root.get("a").unwrap().as_str(), Some("1"));
}

#[test]
fn recursive_alias_is_refused() {
    let text = "a: &a\n  b: *a\n";
    let file = parse(text);
    assert_eq!(codes(&file), [YAML_SYNTAX_ERROR]);
    assert_eq!(at(text, file.diagnostics[0].range), "*a");
    assert_eq!(at(text, file.diagnostics[0].labels[0].range), "&a");
    let b = file.documents[0].root.get("a").unwrap().get("b").unwrap();
    assert!(matches!(b.kind, NodeKind::Alias { .. }));
}

#[test]
fn alias_bomb_stops_at_the_budget() {
    let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"]) {
        let aliases = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("{name}: &{name} [{aliases}]\n"));
    }
    let file = parse(&text);
    assert_eq!(codes(&file), [YAML_LIMIT_EXCEEDED]);
    let root = &file.documents[0].root;
    let i = root.get("i").unwrap().as_sequence().unwrap();
    assert!(matches!(i[0].kind, NodeKind::Alias { .. }));
}

#[test]
fn alias_bomb_through_merge_keys_stops_too() {
    let mut text = String::from("a: &a {k0: v, k1: v, k2: v, k3: v, k4: v, k5: v, k6: v, k7: v, k8: v}\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"]) {
        let items: Vec<String> = (0..9).map(|n| format!("{name}{n}: *{prev}")).collect();
        text.push_str(&format!("{name}: &{name} {{{}}}\n", items.join(", ")));
    }
    let file = parse(&text);
    assert_eq!(codes(&file), [YAML_LIMIT_EXCEEDED]);
}

#[test]
fn deep_block_nesting_is_cut() {
    let depth = 10_000;
    let text = "- ".repeat(depth) + "x\n";
    let file = parse(&text);
    assert_eq!(codes(&file), [YAML_LIMIT_EXCEEDED]);
    let mut node = &file.documents[0].root;
    let mut levels = 0;
    while let Some(items) = node.as_sequence() {
        node = &items[0];
        levels += 1;
    }
    assert_eq!(levels, MAX_DEPTH);
    assert!(matches!(node.kind, NodeKind::Omitted));
    assert_eq!(at(&text, node.range), &text[2 * MAX_DEPTH..text.len() - 1]);
}

#[test]
fn deep_flow_nesting_is_cut() {
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let text = open.repeat(10_000) + &close.repeat(10_000);
        let file = parse(&text);
        assert_eq!(codes(&file), [YAML_LIMIT_EXCEEDED], "{open}");
    }
}

#[test]
fn deep_alias_expansion_is_cut() {
    // Each level aliases the previous one inside a new list: the tree gets one level deeper per line.
    let mut text = String::from("l0: &l0 [x]\n");
    for level in 1..600 {
        text.push_str(&format!("l{level}: &l{level} [*l{}]\n", level - 1));
    }
    let file = parse(&text);
    assert_eq!(codes(&file), [YAML_LIMIT_EXCEEDED]);
}

#[test]
fn odd_inputs_do_not_panic() {
    let inputs = [
        "",
        "\n",
        "#",
        "---",
        "...",
        "- ",
        "?",
        ":",
        "&",
        "*",
        "!",
        "|",
        ">",
        "[",
        "{",
        "]",
        "}",
        "'",
        "\"",
        "- -",
        "a: [",
        "a: {b",
        "? a\n? b",
        "&a a: *a",
        "<<: *x",
        "<<: [1, 2]",
        "%YAML 1.2\n---\na",
        "a:\tb",
        "\0",
        "\u{feff}\u{feff}",
        "a: !<tag> b",
        "- &a\n- *a",
        "a: |9\n  x",
        "\r\r\r",
        "a: 'x\n\n'",
        "x: \"\\q\"",
    ];
    for input in inputs {
        let _ = parse(input);
    }
}

#[test]
fn corpus_files_load_cleanly() {
    let Some(dir) = crate::shared_data::path("corpus/compose", "the Compose corpus's YAML loads cleanly") else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(&dir) else { panic!("cannot read {}", dir.display()) };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yml" || ext == "yaml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in &paths {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let (text, _) = crate::source::decode_lossy(&bytes);
        let file = parse(&text);
        let errors: Vec<_> = file.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        assert!(!file.documents.is_empty(), "{}", path.display());
    }
}

/// Checks that every range in the result lies on character boundaries of `text`.
fn assert_ranges_valid(text: &str, file: &YamlFile) {
    let valid = |range: TextRange| {
        range.start <= range.end
            && text.is_char_boundary(range.start as usize)
            && text.is_char_boundary(range.end as usize)
    };
    let mut stack: Vec<&Node> = file.documents.iter().map(|document| &document.root).collect();
    for document in &file.documents {
        assert!(valid(document.range), "document {:?} in {text:?}", document.range);
    }
    while let Some(node) = stack.pop() {
        let properties = [&node.tag, &node.anchor].into_iter().flatten().map(|p| p.range);
        for range in std::iter::once(node.range).chain(node.via_alias).chain(properties) {
            assert!(valid(range), "node range {range:?} in {text:?}");
        }
        match &node.kind {
            NodeKind::Sequence(items) => stack.extend(items),
            NodeKind::Mapping(entries) => {
                for entry in entries {
                    assert!(entry.via_merge.is_none_or(valid));
                    stack.push(&entry.key);
                    stack.push(&entry.value);
                }
            }
            NodeKind::Alias { target, .. } => assert!(target.is_none_or(valid)),
            NodeKind::Scalar(_) | NodeKind::Omitted => {}
        }
    }
    for comment in &file.comments {
        assert!(valid(comment.range) && text[comment.range.as_usize()].starts_with('#'), "{comment:?}");
    }
    for diagnostic in &file.diagnostics {
        assert!(valid(diagnostic.range), "{diagnostic:?} in {text:?}");
        assert!(diagnostic.labels.iter().all(|label| valid(label.range)), "{diagnostic:?}");
    }
}

#[test]
fn damaged_inputs_keep_valid_ranges() {
    let mut samples = vec![
        "a: &x [1, {b: \"é\"}]\nc:\n  <<: *x\n  d: |\n    ünï\n  e: 'q' # c\n---\n- *x\n".to_owned(),
        "services:\n  web:\n    image: nginx # ok\n    ports: [\n      80,\n    ]\n".to_owned(),
    ];
    let dir = crate::shared_data::path("corpus/compose", "YAML ranges on corpus samples");
    if let Some(Ok(entries)) = dir.map(std::fs::read_dir) {
        let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|entry| entry.path()).collect();
        paths.sort();
        samples.extend(paths.iter().step_by(7).filter_map(|path| std::fs::read_to_string(path).ok()));
    }
    let inserts = ["", ":", "[", "{", "]", "\"", "'", "&a ", "*a", "\t", "- ", "<<: ", "#", "|", "\n  ", "é"];
    let mut seed = 0x2545_f491_u64;
    for sample in &samples {
        for round in 0..24 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let at = text_floor(sample, (seed >> 33) as usize % (sample.len() + 1));
            let mutated = if round % 3 == 0 {
                sample[..at].to_owned()
            } else {
                let insert = inserts[(seed >> 20) as usize % inserts.len()];
                let rest = text_floor(sample, (at + 1 + (seed >> 40) as usize % 3).min(sample.len()));
                // Replace the character(s) at `at` with the insert.
                format!("{}{insert}{}", &sample[..at], &sample[rest..])
            };
            let file = parse(&mutated);
            assert_ranges_valid(&mutated, &file);
        }
        assert_ranges_valid(sample, &parse(sample));
    }
}

/// The largest char boundary at or below `at`.
fn text_floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
