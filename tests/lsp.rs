//! The language server, in memory (`Connection::memory()`) and once over the real binary's pipes.

use std::collections::VecDeque;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use plimsoll::{ColumnEncoding, LineCol, LineIndex};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(20);

/// A client talking to a server on a thread.
struct Client {
    conn: Connection,
    server: Option<JoinHandle<i32>>,
    notifications: VecDeque<Notification>,
    shown: Vec<String>,
    next_id: i32,
}

impl Client {
    /// Starts a server and initializes it with these client capabilities and options.
    fn start(capabilities: Value, options: Value) -> (Client, Value) {
        Client::start_with(capabilities, options, |_| {})
    }

    /// Like `start`, and `before` queues messages after `initialized`, before the server reads any.
    fn start_with(capabilities: Value, options: Value, before: impl FnOnce(&mut Client)) -> (Client, Value) {
        let (server, conn) = Connection::memory();
        let mut client = Client { conn, server: None, notifications: VecDeque::new(), shown: Vec::new(), next_id: 0 };
        let init = json!({ "processId": null, "rootUri": null, "capabilities": capabilities,
                           "initializationOptions": options });
        let id = client.send_request("initialize", init);
        client.notify("initialized", json!({}));
        before(&mut client);
        client.server = Some(std::thread::spawn(move || plimsoll::lsp::run(server)));
        let result = client.response(id).response_result.expect("initialize succeeds");
        (client, result)
    }

    fn default() -> Client {
        Client::start(json!({}), Value::Null).0
    }

    fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn.sender.send(Request::new(id.clone(), method.to_owned(), params).into()).expect("send");
        id
    }

    fn request(&mut self, method: &str, params: Value) -> Response {
        let id = self.send_request(method, params);
        self.response(id)
    }

    fn response(&mut self, id: RequestId) -> Response {
        loop {
            match self.conn.receiver.recv_timeout(WAIT).expect("a response") {
                Message::Response(r) if r.id == id => return r,
                Message::Notification(n) => self.notifications.push_back(n),
                _ => {}
            }
        }
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn.sender.send(Notification::new(method.to_owned(), params).into()).expect("send");
    }

    /// The next notification; messages shown to the user are kept in `shown` on the way.
    fn next_notification(&mut self) -> Notification {
        loop {
            let n = match self.notifications.pop_front() {
                Some(n) => n,
                None => match self.conn.receiver.recv_timeout(WAIT).expect("a notification") {
                    Message::Notification(n) => n,
                    _ => continue,
                },
            };
            if n.method == "window/showMessage" {
                self.shown.push(n.params["message"].as_str().unwrap_or_default().to_owned());
            }
            return n;
        }
    }

    /// The next diagnostics published for `uri` (earlier ones for other files are dropped).
    fn diagnostics(&mut self, uri: &str) -> Value {
        loop {
            let n = self.next_notification();
            if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri {
                return n.params;
            }
        }
    }

    /// The next diagnostics published for any file.
    fn diagnostics_any(&mut self) -> Value {
        loop {
            let n = self.next_notification();
            if n.method == "textDocument/publishDiagnostics" {
                return n.params;
            }
        }
    }

    fn codes(&mut self, uri: &str) -> Vec<String> {
        let published = self.diagnostics(uri);
        codes_of(&published["diagnostics"])
    }

    fn open(&self, uri: &str, language: &str, text: &str) {
        let item = json!({ "uri": uri, "languageId": language, "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": item }));
    }

    /// Opens a document and returns its first diagnostics.
    fn opened(&mut self, uri: &str, language: &str, text: &str) -> Value {
        self.open(uri, language, text);
        self.diagnostics(uri)["diagnostics"].clone()
    }

    /// Replaces the document's text with each of `texts` in turn; none has findings.
    fn assert_clean(&mut self, uri: &str, texts: &[&String]) {
        for (version, text) in (2..).zip(texts) {
            self.change(uri, version, json!([{ "text": text }]));
            assert_eq!(self.codes(uri), Vec::<String>::new(), "{text}");
        }
    }

    fn change(&self, uri: &str, version: i32, changes: Value) {
        let doc = json!({ "uri": uri, "version": version });
        self.notify("textDocument/didChange", json!({ "textDocument": doc, "contentChanges": changes }));
    }

    fn code_actions(&mut self, uri: &str, diagnostics: &Value, only: Option<&str>) -> Vec<Value> {
        let range = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } });
        let mut context = json!({ "diagnostics": diagnostics });
        if let Some(kind) = only {
            context["only"] = json!([kind]);
        }
        let params = json!({ "textDocument": { "uri": uri }, "range": range, "context": context });
        let r = self.request("textDocument/codeAction", params);
        r.response_result.expect("code actions").as_array().cloned().unwrap_or_default()
    }

    /// Shuts the server down and returns its exit code.
    fn stop(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert!(r.response_result.is_ok());
        self.notify("exit", Value::Null);
        self.server.take().expect("server").join().expect("server thread")
    }
}

fn codes_of(diagnostics: &Value) -> Vec<String> {
    let list = diagnostics.as_array().cloned().unwrap_or_default();
    list.iter().map(|d| d["code"].as_str().unwrap_or_default().to_owned()).collect()
}

/// Applies an action's edits for `uri` to `text` (positions in `encoding`).
fn apply(text: &str, action: &Value, uri: &str, encoding: ColumnEncoding) -> String {
    let edits = action["edit"]["changes"][uri].as_array().cloned().expect("edits for the document");
    let index = LineIndex::new(text);
    let offset = |p: &Value| {
        let at = LineCol {
            line: p["line"].as_u64().unwrap_or_default() as u32 + 1,
            column: p["character"].as_u64().unwrap_or_default() as u32 + 1,
        };
        index.offset(text, at, encoding) as usize
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let (start, end) = (offset(&e["range"]["start"]), offset(&e["range"]["end"]));
            (start, end, e["newText"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    spans.sort();
    let mut out = text.to_owned();
    for (start, end, new) in spans.into_iter().rev() {
        out.replace_range(start..end, &new);
    }
    out
}

/// A fresh folder under the target directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lsp").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test folder");
    dir.canonicalize().expect("canonical folder")
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

const INSECURE: &str = "FROM alpine:3.22\nRUN curl -k https://example.com/x.tgz -o /x.tgz\n";

#[test]
fn initialize_advertises_what_is_implemented() {
    let (client, result) = Client::start(json!({}), Value::Null);
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2);
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["codeActionProvider"]["codeActionKinds"], json!(["quickfix", "source.fixAll.plimsoll"]));
    for absent in ["completionProvider", "definitionProvider", "documentFormattingProvider"] {
        assert!(caps.get(absent).is_none(), "{absent} is not implemented");
    }
    assert_eq!(result["serverInfo"]["name"], "plimsoll");
    assert_eq!(client.stop(), 0);

    let (client, result) = Client::start(json!({ "general": { "positionEncodings": ["utf-16", "utf-8"] } }), json!({}));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(client.stop(), 0);
}

#[test]
fn diagnostics_on_open_change_and_close() {
    let mut client = Client::default();
    let uri = "file:///work/app/Dockerfile";
    client.open(uri, "dockerfile", "FROM alpine:3.22\nCMD [\"sh\"]\n");
    let published = client.diagnostics(uri);
    assert_eq!(published["version"], 1);
    let d = &published["diagnostics"][0];
    assert_eq!(d["code"], "PLD203");
    assert_eq!(d["source"], "plimsoll");
    assert_eq!(d["severity"], 2);
    assert_eq!(
        d["codeDescription"]["href"],
        format!(
            "https://github.com/plimsoll-lint/plimsoll/blob/v{}/lints/PLD203-missing-user.md",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert!(d["message"].as_str().unwrap_or_default().contains("root"), "{d}");

    // Incremental: insert a USER line at the end.
    let end = json!({ "line": 2, "character": 0 });
    client.change(uri, 2, json!([{ "range": { "start": end, "end": end }, "text": "USER app\n" }]));
    let published = client.diagnostics(uri);
    assert_eq!(published["version"], 2);
    assert_eq!(published["diagnostics"], json!([]));

    // A whole-document change brings it back.
    client.change(uri, 3, json!([{ "text": "FROM alpine:3.22\n" }]));
    assert_eq!(client.codes(uri), ["PLD203"]);

    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    assert_eq!(client.diagnostics(uri)["diagnostics"], json!([]));
    assert_eq!(client.stop(), 0);
}

#[test]
fn file_watchers_are_registered_when_the_client_allows() {
    let capabilities = json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let (client, _) = Client::start(capabilities, Value::Null);
    let request = loop {
        match client.conn.receiver.recv_timeout(WAIT).expect("a request") {
            Message::Request(r) => break r,
            _ => continue,
        }
    };
    assert_eq!(request.method, "client/registerCapability");
    let registration = &request.params["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs = registration["registerOptions"]["watchers"].to_string();
    assert!(globs.contains("plimsoll.toml") && globs.contains(".hadolint.yaml"), "{globs}");
    client.conn.sender.send(Response::new_ok(request.id, Value::Null).into()).expect("send");
    assert_eq!(client.stop(), 0);
}

#[test]
fn labels_become_related_information() {
    let mut client = Client::default();
    let uri = "file:///p/Dockerfile";
    client.open(uri, "dockerfile", "ARG BASE=node\nFROM ${BASE}\nUSER app\n");
    let published = client.diagnostics(uri);
    let d = &published["diagnostics"][0];
    assert_eq!(d["code"], "PLD101");
    let related = &d["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri);
    assert_eq!(related["location"]["range"]["start"]["line"], 0);
    assert!(related["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(client.stop(), 0);
}

#[test]
fn an_unsaved_compose_buffer_is_linted_on_its_own() {
    let mut client = Client::default();
    let uri = "untitled:Untitled-1";
    client.open(uri, "dockercompose", "services:\n  web:\n    image: nginx:1.29\n    privileged: true\n");
    assert_eq!(client.codes(uri), ["PLC201"]);
    assert_eq!(client.stop(), 0);
}

#[test]
fn only_dockerfiles_and_compose_files_are_checked() {
    let mut client = Client::default();
    client.open("file:///p/values.yaml", "yaml", "services:\n  web:\n    privileged: true\n");
    client.open("file:///p/compose.yaml", "yaml", "services:\n  web:\n    image: nginx:1.29\n    privileged: true\n");
    let published = client.diagnostics("file:///p/compose.yaml");
    assert_eq!(codes_of(&published["diagnostics"]), ["PLC201"]);
    assert!(client.notifications.iter().all(|n| n.params["uri"] != "file:///p/values.yaml"));
    assert_eq!(client.stop(), 0);
}

#[test]
fn positions_with_non_ascii_text_in_both_encodings() {
    // `-k` comes after an e with an accent (2 UTF-8 bytes, 1 UTF-16 unit) and an emoji (4 bytes, 2 units).
    let text = "FROM alpine:3.22\nRUN echo \"héllo 😀\" && curl -k https://example.com/\nUSER app\n";
    let byte_column = text.lines().nth(1).and_then(|l| l.find("-k")).expect("-k") as u64;
    for (offer, utf16) in [(json!(["utf-16"]), true), (json!(["utf-8"]), false)] {
        let (mut client, _) = Client::start(json!({ "general": { "positionEncodings": offer } }), json!({}));
        let uri = "file:///p/Dockerfile";
        client.open(uri, "dockerfile", text);
        let published = client.diagnostics(uri);
        let d = published["diagnostics"].as_array().and_then(|l| l.iter().find(|d| d["code"] == "PLD104")).cloned();
        let d = d.expect("PLD104 tls-verification-disabled");
        let expected = if utf16 { byte_column - 3 } else { byte_column };
        assert_eq!(d["range"]["start"], json!({ "line": 1, "character": expected }), "utf16: {utf16}");
        // Delete `-k ` by a range in the same encoding: the finding goes.
        let range =
            json!({ "start": { "line": 1, "character": expected }, "end": { "line": 1, "character": expected + 3 } });
        client.change(uri, 2, json!([{ "range": range, "text": "" }]));
        assert!(!client.codes(uri).contains(&"PLD104".to_owned()));
        assert_eq!(client.stop(), 0);
    }
}

#[test]
fn quick_fix_and_ignore_actions_edit_the_text() {
    let mut client = Client::default();
    let uri = "file:///p/Dockerfile";
    let text = "FROM alpine:3.22\nUSER app\n    RUN curl -k https://example.com/x.tgz -o /x.tgz\n";
    client.open(uri, "dockerfile", text);
    let published = client.diagnostics(uri);
    let diagnostics = published["diagnostics"].clone();
    assert_eq!(codes_of(&diagnostics), ["PLD104"]);
    assert!(diagnostics[0]["data"]["fix"].is_object(), "the fix travels in data");

    let actions = client.code_actions(uri, &diagnostics, None);
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap_or_default()).collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles[0].starts_with("PLD104: ") && titles[0].contains("unsafe"), "{titles:?}");
    assert_eq!(titles[1], "Ignore PLD104 (tls-verification-disabled) here");
    assert_eq!(titles[2], "Ignore PLD104 (tls-verification-disabled) in this file");
    assert!(actions.iter().all(|a| a["kind"] == "quickfix"));
    assert!(actions[0].get("isPreferred").is_none(), "unsafe fixes are not preferred");

    let fixed = apply(text, &actions[0], uri, ColumnEncoding::Utf16);
    assert_eq!(fixed, "FROM alpine:3.22\nUSER app\n    RUN curl https://example.com/x.tgz -o /x.tgz\n");
    let here = apply(text, &actions[1], uri, ColumnEncoding::Utf16);
    assert_eq!(
        here,
        "FROM alpine:3.22\nUSER app\n    # plimsoll ignore=PLD104\n    RUN curl -k https://example.com/x.tgz -o /x.tgz\n"
    );
    let file = apply(text, &actions[2], uri, ColumnEncoding::Utf16);
    assert!(file.starts_with("# plimsoll global ignore=PLD104\nFROM"), "{file}");

    // Each edited text is clean of the finding.
    client.assert_clean(uri, &[&fixed, &here, &file]);
    assert_eq!(client.stop(), 0);
}

#[test]
fn ignore_here_extends_a_pragma_and_keeps_directives_first() {
    let mut client = Client::default();
    let uri = "file:///p/Dockerfile";
    let text = "# syntax=docker/dockerfile:1\nFROM alpine:3.22\n# plimsoll ignore=PLD201\nUSER root\nRUN curl -k https://x/ -o /x\n";
    let diagnostics = client.opened(uri, "dockerfile", text);
    let pld104: Vec<Value> =
        diagnostics.as_array().into_iter().flatten().filter(|d| d["code"] == "PLD104").cloned().collect();
    let actions = client.code_actions(uri, &json!(pld104), None);
    let file = apply(text, &actions[2], uri, ColumnEncoding::Utf16);
    assert!(file.starts_with("# syntax=docker/dockerfile:1\n# plimsoll global ignore=PLD104\nFROM"), "{file}");

    let text = "FROM alpine:3.22\n# plimsoll ignore=PLD201 reason=\"base\"\nRUN curl -k https://x/ -o /x\n";
    client.change(uri, 2, json!([{ "text": text }]));
    let diagnostics = client.diagnostics(uri)["diagnostics"].clone();
    let pld104: Vec<Value> =
        diagnostics.as_array().into_iter().flatten().filter(|d| d["code"] == "PLD104").cloned().collect();
    let actions = client.code_actions(uri, &json!(pld104), Some("quickfix"));
    let here = apply(text, &actions[1], uri, ColumnEncoding::Utf16);
    assert_eq!(
        here,
        "FROM alpine:3.22\n# plimsoll ignore=PLD201,PLD104 reason=\"base\"\nRUN curl -k https://x/ -o /x\n"
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn fix_all_applies_the_safe_fixes() {
    let mut client = Client::default();
    let uri = "file:///p/compose.yaml";
    let text = "version: \"3.8\"\nservices:\n  web:\n    image: nginx:1.29\n";
    let diagnostics = client.opened(uri, "dockercompose", text);
    assert_eq!(codes_of(&diagnostics), ["PLC801"]);
    assert_eq!(diagnostics[0]["tags"], json!([2]), "an obsolete key is deprecated");
    let quick = client.code_actions(uri, &diagnostics, Some("quickfix"));
    assert_eq!(quick[0]["isPreferred"], true, "safe fixes are preferred");
    let actions = client.code_actions(uri, &json!([]), Some("source.fixAll"));
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["kind"], "source.fixAll.plimsoll");
    assert_eq!(apply(text, &actions[0], uri, ColumnEncoding::Utf16), "services:\n  web:\n    image: nginx:1.29\n");
    assert!(client.code_actions(uri, &json!([]), Some("refactor")).is_empty());
    assert_eq!(client.stop(), 0);
}

#[test]
fn ignore_actions_in_a_compose_file() {
    let mut client = Client::default();
    let uri = "file:///p/compose.yaml";
    let text = "services:\n  web:\n    image: nginx:1.29\n    privileged: true\n  db:\n    image: postgres:17\n";
    let diagnostics = client.opened(uri, "dockercompose", text);
    assert_eq!(codes_of(&diagnostics), ["PLC201"]);
    let actions = client.code_actions(uri, &diagnostics, None);
    let here = apply(text, &actions[0], uri, ColumnEncoding::Utf16);
    assert_eq!(
        here,
        "services:\n  web:\n    image: nginx:1.29\n    # plimsoll ignore=PLC201\n    privileged: true\n  db:\n    image: postgres:17\n"
    );
    let file = apply(text, &actions[1], uri, ColumnEncoding::Utf16);
    assert!(file.starts_with("# plimsoll global ignore=PLC201\nservices:"), "{file}");
    client.assert_clean(uri, &[&here, &file]);
    assert_eq!(client.stop(), 0);
}

#[test]
fn hover_shows_the_rule_page_and_instruction_help() {
    let mut client = Client::default();
    let uri = "file:///p/Dockerfile";
    let diagnostics = client.opened(uri, "dockerfile", "FROM alpine:3.22\nRUN curl -k https://x/ -o /x\nUSER app\n");
    let start = diagnostics[0]["range"]["start"].clone();
    let at = |position: Value| json!({ "textDocument": { "uri": uri }, "position": position });
    let hover = client.request("textDocument/hover", at(start)).response_result.expect("hover");
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(hover["contents"]["value"].as_str().unwrap_or_default().starts_with("# PLD104 tls-verification-disabled"));

    let hover = client.request("textDocument/hover", at(json!({ "line": 2, "character": 1 }))).response_result;
    let value = hover.expect("hover")["contents"]["value"].as_str().unwrap_or_default().to_owned();
    assert!(value.starts_with("**USER**"), "{value}");
    let hover = client.request("textDocument/hover", at(json!({ "line": 0, "character": 10 }))).response_result;
    assert_eq!(hover.expect("hover"), Value::Null, "nothing on an image name");
    assert_eq!(client.stop(), 0);
}

#[test]
fn config_file_changes_and_settings_are_picked_up() {
    let dir = scratch("config");
    std::fs::write(dir.join("Dockerfile"), "").expect("write");
    let uri = uri(&dir.join("Dockerfile"));
    let (mut client, _) = Client::start(json!({}), json!({ "plimsoll": { "ignore": ["PLD104"] } }));
    client.open(&uri, "dockerfile", "FROM alpine:3.22\nRUN curl -k https://x/ -o /x\n");
    assert_eq!(client.codes(&uri), ["PLD203"], "the editor's ignore applies");

    std::fs::write(dir.join("plimsoll.toml"), "ignore = [\"missing-user\"]\n").expect("write config");
    let event = json!({ "changes": [{ "uri": self::uri(&dir.join("plimsoll.toml")), "type": 1 }] });
    client.notify("workspace/didChangeWatchedFiles", event.clone());
    assert_eq!(client.codes(&uri), Vec::<String>::new(), "the new plimsoll.toml applies");

    client.notify("workspace/didChangeConfiguration", json!({ "settings": { "plimsoll": { "ignore": [] } } }));
    assert_eq!(client.codes(&uri), ["PLD104"]);

    std::fs::write(dir.join("plimsoll.toml"), "ignore = [\"no-such-rule\"]\n").expect("write config");
    client.notify("workspace/didChangeWatchedFiles", event);
    let published = client.diagnostics(&uri);
    // A selector that names no rule is a warning: the rest of the configuration (nothing else here) applies.
    assert_eq!(codes_of(&published["diagnostics"]), ["PLD203", "PLD104"]);
    assert!(client.shown.iter().any(|m| m.contains("no-such-rule")), "{:?}", client.shown);
    assert_eq!(client.stop(), 0);
}

#[test]
fn the_baseline_setting_leaves_out_known_findings() {
    let dir = scratch("baseline");
    let (path, baseline) = (dir.join("Dockerfile"), dir.join("plimsoll-baseline.json"));
    let source = plimsoll::SourceFile::new(&path, INSECURE.to_owned());
    let diagnostics = plimsoll::lint_dockerfile(&source);
    assert_eq!(diagnostics.len(), 2);
    let recorded = plimsoll::baseline::Baseline::record([&plimsoll::FileReport { source, diagnostics }], &dir);
    std::fs::write(&baseline, recorded.to_json()).expect("write baseline");

    let options = json!({ "plimsoll": { "baseline": baseline } });
    let (mut client, _) = Client::start(json!({}), options);
    let uri = uri(&path);
    client.open(&uri, "dockerfile", &format!("# added\n{INSECURE}"));
    assert_eq!(client.codes(&uri), Vec::<String>::new(), "known findings stay known below an added line");
    client.change(&uri, 2, json!([{ "text": format!("{INSECURE}RUN wget --no-check-certificate https://x/y\n") }]));
    let published = client.diagnostics(&uri);
    assert_eq!(codes_of(&published["diagnostics"]), ["PLD104"]);
    assert_eq!(published["diagnostics"][0]["range"]["start"], json!({ "line": 2, "character": 9 }));

    // A changed baseline is read again; a broken one is shown and leaves nothing out.
    std::fs::write(&baseline, "{ \"version\": 1,").expect("write baseline");
    client
        .notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": self::uri(&baseline), "type": 2 }] }));
    assert_eq!(client.codes(&uri), ["PLD203", "PLD104", "PLD104"]);
    assert!(client.shown.iter().any(|m| m.contains("plimsoll-baseline.json:1:")), "{:?}", client.shown);
    assert_eq!(client.stop(), 0);
}

#[test]
fn dockerfile_change_republishes_the_compose_files_that_build_it() {
    let dir = scratch("cross");
    std::fs::write(dir.join("compose.yaml"), "services:\n  api:\n    build: .\n").expect("write");
    std::fs::write(dir.join("compose.override.yaml"), "services:\n  api:\n    privileged: true\n").expect("write");
    std::fs::write(dir.join("Dockerfile"), "FROM alpine:3.22\nUSER app\nHEALTHCHECK CMD true\n").expect("write");
    std::fs::create_dir_all(dir.join("other")).expect("mkdir");
    std::fs::write(dir.join("other/compose.yaml"), "services:\n  db:\n    image: postgres:17\n").expect("write");
    let (compose, overrides) = (uri(&dir.join("compose.yaml")), uri(&dir.join("compose.override.yaml")));
    let (dockerfile, other) = (uri(&dir.join("Dockerfile")), uri(&dir.join("other/compose.yaml")));
    let mut client = Client::default();
    client.open(&compose, "dockercompose", "services:\n  api:\n    build: .\n");
    assert_eq!(client.codes(&compose), Vec::<String>::new());
    client.open(&overrides, "dockercompose", "services:\n  api:\n    privileged: true\n");
    // The project is linted as a whole; each open file gets its own findings.
    let mut seen = Vec::new();
    for _ in 0..2 {
        let n = loop {
            let published = client.diagnostics_any();
            if published["uri"] == compose || published["uri"] == overrides {
                break published;
            }
        };
        seen.push((n["uri"].as_str().unwrap_or_default().to_owned(), codes_of(&n["diagnostics"])));
    }
    seen.sort();
    assert_eq!(seen, [(overrides.clone(), vec!["PLC201".to_owned()]), (compose.clone(), vec![])]);
    client.open(&other, "dockercompose", "services:\n  db:\n    image: postgres:17\n");
    client.diagnostics(&other);

    client.open(&dockerfile, "dockerfile", "FROM alpine:3.22\nUSER app\nHEALTHCHECK CMD true\n");
    client.diagnostics(&dockerfile);
    client.diagnostics(&compose);
    client.change(&dockerfile, 2, json!([{ "text": "FROM alpine:3.22\n" }]));
    assert_eq!(client.codes(&dockerfile), ["PLD203"]);
    let republished = client.diagnostics(&compose);
    assert_eq!(republished["uri"], compose);
    // The unsaved Dockerfile now sets no USER and no HEALTHCHECK: the service that builds it says so.
    assert_eq!(codes_of(&republished["diagnostics"]), ["PLX201", "PLX601"]);
    // A file on disk changing does the same; the unrelated project is left alone.
    let event = json!({ "changes": [{ "uri": dockerfile, "type": 2 }] });
    client.notify("workspace/didChangeWatchedFiles", event);
    client.diagnostics(&compose);
    let r = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": other }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(r.response_result.is_ok());
    assert!(client.notifications.iter().all(|n| n.params["uri"] != other), "other project not rechecked");
    assert_eq!(client.stop(), 0);
}

#[test]
fn a_request_cancelled_while_waiting_is_answered_cancelled() {
    let uri = "file:///p/Dockerfile";
    let (mut client, _) = Client::start_with(json!({}), Value::Null, |client| {
        client.open(uri, "dockerfile", "FROM alpine:3.22\n");
        let params = json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 1 } });
        let id = client.send_request("textDocument/hover", params);
        assert_eq!(id, RequestId::from(2));
        client.notify("$/cancelRequest", json!({ "id": 2 }));
    });
    let r = client.response(RequestId::from(2));
    assert_eq!(r.response_result.expect_err("cancelled").code, -32800);
    // The next request is answered as usual.
    let params = json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 1 } });
    assert!(client.request("textDocument/hover", params).response_result.is_ok());
    assert_eq!(client.stop(), 0);
}

#[test]
fn unknown_methods_and_malformed_requests_get_errors() {
    let mut client = Client::default();
    let r = client.request("textDocument/completion", json!({}));
    assert_eq!(r.response_result.expect_err("unknown").code, -32601);
    let r = client.request("textDocument/hover", json!({ "textDocument": 42 }));
    assert_eq!(r.response_result.expect_err("malformed").code, -32602);
    client.notify("textDocument/didOpen", json!({ "nonsense": true }));
    // Still alive and well.
    let uri = "file:///p/Dockerfile";
    client.open(uri, "dockerfile", "FROM alpine:3.22\nUSER app\n");
    assert_eq!(client.codes(uri), Vec::<String>::new());
    assert_eq!(client.stop(), 0);
}

#[test]
fn bad_input_never_stops_the_server() {
    let mut client = Client::default();
    let uri = "file:///p/Dockerfile";
    client.open(uri, "dockerfile", "FROM alpine:3.22\n");
    let junk = [json!(null), json!(42), json!("x"), json!([1, 2]), json!({ "textDocument": { "uri": 7 } })];
    for params in &junk {
        for method in ["textDocument/codeAction", "textDocument/hover"] {
            assert!(client.request(method, params.clone()).response_result.is_err(), "{method} {params}");
        }
        for method in [
            "textDocument/didOpen",
            "textDocument/didChange",
            "textDocument/didSave",
            "textDocument/didClose",
            "workspace/didChangeConfiguration",
            "workspace/didChangeWatchedFiles",
            "$/cancelRequest",
        ] {
            client.notify(method, params.clone());
        }
    }
    // A request answered means every earlier notification was handled: forget what they published.
    let _ = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    client.notifications.clear();
    // Positions far outside the text clamp to it.
    let far = json!({ "line": 10_000, "character": 10_000 });
    client.change(uri, 2, json!([{ "range": { "start": far, "end": far }, "text": "USER app\n" }]));
    assert_eq!(client.codes(uri), Vec::<String>::new());
    let r = client.request("textDocument/hover", json!({ "textDocument": { "uri": uri }, "position": far }));
    assert_eq!(r.response_result.expect("hover"), Value::Null);
    // Saving re-checks.
    client.notify("textDocument/didSave", json!({ "textDocument": { "uri": uri } }));
    assert_eq!(client.codes(uri), Vec::<String>::new());
    assert_eq!(client.stop(), 0);
}

#[test]
fn exit_without_shutdown_is_code_1() {
    let mut client = Client::default();
    client.notify("exit", Value::Null);
    assert_eq!(client.server.take().expect("server").join().expect("thread"), 1);
}

/// The real binary over its pipes: initialize, diagnostics, a quick fix, a clean file, shutdown, exit 0.
#[test]
fn end_to_end_over_pipes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start plimsoll lsp");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut send = |m: Message| {
        m.write(&mut stdin).expect("write");
        stdin.flush().expect("flush");
    };
    let mut read = |want: &dyn Fn(&Message) -> bool| loop {
        let m = Message::read(&mut stdout).expect("read").expect("a message");
        if want(&m) {
            return m;
        }
    };
    let is_response = |id: i32| move |m: &Message| matches!(m, Message::Response(r) if r.id == RequestId::from(id));
    let uri = "file:///project/Dockerfile";
    let is_diagnostics =
        |m: &Message| matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics");

    send(Request::new(1.into(), "initialize".into(), json!({ "capabilities": {} })).into());
    read(&is_response(1));
    send(Notification::new("initialized".into(), json!({})).into());
    let item = json!({ "uri": uri, "languageId": "dockerfile", "version": 1, "text": INSECURE });
    send(Notification::new("textDocument/didOpen".into(), json!({ "textDocument": item })).into());
    let Message::Notification(published) = read(&is_diagnostics) else { unreachable!() };
    let diagnostics = published.params["diagnostics"].clone();
    assert_eq!(codes_of(&diagnostics), ["PLD203", "PLD104"]);

    let pld104 = json!([diagnostics[1]]);
    let range = json!({ "start": { "line": 1, "character": 0 }, "end": { "line": 1, "character": 0 } });
    let params = json!({ "textDocument": { "uri": uri }, "range": range, "context": { "diagnostics": pld104 } });
    send(Request::new(2.into(), "textDocument/codeAction".into(), params).into());
    let Message::Response(actions) = read(&is_response(2)) else { unreachable!() };
    let actions = actions.response_result.expect("actions");
    let fixed = apply(INSECURE, &actions[0], uri, ColumnEncoding::Utf16);
    assert_eq!(fixed, "FROM alpine:3.22\nRUN curl https://example.com/x.tgz -o /x.tgz\n");

    let clean = format!("{fixed}USER app\n");
    let doc = json!({ "uri": uri, "version": 2 });
    let change = json!({ "textDocument": doc, "contentChanges": [{ "text": clean }] });
    send(Notification::new("textDocument/didChange".into(), change).into());
    let Message::Notification(published) = read(&is_diagnostics) else { unreachable!() };
    assert_eq!(published.params["diagnostics"], json!([]));

    send(Request::new(3.into(), "shutdown".into(), Value::Null).into());
    read(&is_response(3));
    send(Notification::new("exit".into(), Value::Null).into());
    drop(stdin);
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
}

/// The VS Code extension's manifest activates on both languages and declares the settings its README and the
/// server's options name.
#[test]
fn vscode_manifest_declares_activation_and_settings() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode/package.json");
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("package.json")).expect("JSON");
    let events = manifest["activationEvents"].to_string();
    assert!(events.contains("onLanguage:dockerfile") && events.contains("onLanguage:dockercompose"), "{events}");
    let settings = &manifest["contributes"]["configuration"]["properties"];
    for key in ["path", "args", "trace.server", "configPath", "baseline", "select", "extendSelect", "ignore"] {
        assert!(settings.get(format!("plimsoll.{key}")).is_some(), "plimsoll.{key}");
    }
    assert_eq!(manifest["scripts"]["compile"], "tsc -p ./");
    assert!(manifest["dependencies"]["vscode-languageclient"].is_string());
}

/// The VS Code extension starts for every Compose file name plimsoll recognises: a `workspaceContains` glob of
/// the manifest and the extension's document selector (`composeNames` in src/extension.ts) match each of them,
/// `*-compose.yml` included.
#[test]
fn vscode_extension_covers_every_compose_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("package.json")).expect("package.json")).expect("JSON");
    let workspace_globs: Vec<globset::GlobMatcher> = manifest["activationEvents"]
        .as_array()
        .expect("activationEvents")
        .iter()
        .filter_map(|event| event.as_str()?.strip_prefix("workspaceContains:"))
        .map(|glob| globset::Glob::new(glob).expect("glob").compile_matcher())
        .collect();
    assert!(manifest["activationEvents"].to_string().contains("onLanguage:yaml"));
    let source = std::fs::read_to_string(root.join("src/extension.ts")).expect("extension.ts");
    let selector = source
        .lines()
        .find_map(|line| line.strip_prefix("const composeNames = \"")?.strip_suffix("\";"))
        .expect("composeNames in extension.ts");
    let selector = globset::Glob::new(selector).expect("glob").compile_matcher();
    for name in [
        "compose.yaml",
        "compose.yml",
        "docker-compose.yml",
        "docker-compose.yaml",
        "compose.prod.yaml",
        "docker-compose.override.yml",
        "kafka-compose.yml",
        "stack-compose.yaml",
    ] {
        let path = Path::new("project/deploy").join(name);
        assert_eq!(plimsoll::workspace::kind_of(&path), Some(plimsoll::workspace::FileKind::Compose), "{name}");
        assert!(workspace_globs.iter().any(|glob| glob.is_match(&path)), "no workspaceContains glob matches {name}");
        assert!(selector.is_match(&path), "the document selector misses {name}");
    }
    // Names plimsoll does not read as Compose files stay out of the selector.
    for name in ["values.yaml", "composer.yml", "compose.json"] {
        assert!(!selector.is_match(Path::new("project").join(name)), "{name}");
    }
}
