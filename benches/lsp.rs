//! The language server's latency: from a change to a 1,000-line Dockerfile to its diagnostics, in memory.
//!
//! `cargo bench --bench lsp`. Prints the best, median, 95th percentile and worst of 200 changes (each a
//! one-character incremental edit, so every round re-lints the whole file), then the library's own lint and parse
//! of the same file (what the server adds is the difference), then a real-world file (the corpus's longest,
//! repeated to 1,000 lines) and a Compose project. The budget is 5 ms. On a busy machine the best run is
//! the closest to the uncontended cost.

use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

fn main() {
    let dockerfile = thousand_lines();
    assert_eq!(dockerfile.lines().count(), 1000);
    let (client, server) = {
        let (server, client) = Connection::memory();
        (client, std::thread::spawn(move || plimsoll::lsp::run(server)))
    };
    let init = json!({ "processId": null, "capabilities": {} });
    client.sender.send(Request::new(RequestId::from(1), "initialize".into(), init).into()).expect("send");
    wait(&client, |m| matches!(m, Message::Response(_)));
    notify(&client, "initialized", json!({}));

    let uri = "file:///bench/Dockerfile";
    let item = json!({ "uri": uri, "languageId": "dockerfile", "version": 0, "text": dockerfile });
    notify(&client, "textDocument/didOpen", json!({ "textDocument": item }));
    let findings = diagnostics(&client, uri).as_array().map_or(0, Vec::len);
    let times = changes(&client, uri, 200, 3);
    report("1,000-line Dockerfile, change -> diagnostics", findings, &times);
    let lint = timed(50, || {
        let source = plimsoll::SourceFile::new("/bench/Dockerfile", dockerfile.clone());
        std::hint::black_box(plimsoll::lint_dockerfile(&source));
    });
    report("  of which linting alone (library call)", findings, &lint);
    // On a shared machine wall time includes waiting for a core; the thread's own CPU time does not.
    if let Some(before) = thread_cpu_time() {
        let rounds = 50;
        for _ in 0..rounds {
            let source = plimsoll::SourceFile::new("/bench/Dockerfile", dockerfile.clone());
            std::hint::black_box(plimsoll::lint_dockerfile(&source));
        }
        if let Some(after) = thread_cpu_time() {
            let each = (after - before) / rounds;
            println!("  linting alone, CPU time of the thread: {:.2} ms a lint", each.as_secs_f64() * 1e3);
        }
    }
    let parse = timed(50, || {
        std::hint::black_box(plimsoll::dockerfile::parse(&dockerfile));
    });
    report("  of which parsing", 0, &parse);
    // The same with the shell parse cache the server turns on (only the tree walk is left per RUN).
    plimsoll::shell::cache_parses_on_this_thread();
    let cached = timed(50, || {
        let source = plimsoll::SourceFile::new("/bench/Dockerfile", dockerfile.clone());
        std::hint::black_box(plimsoll::lint_dockerfile(&source));
    });
    report("  linting alone with the shell parse cache", findings, &cached);
    // Each Dockerfile rule alone (the first shell rule also pays for parsing every RUN's script).
    let mut costs = Vec::new();
    for rule in plimsoll::rules::all().iter().filter(|r| r.meta.target == plimsoll::rules::Target::Dockerfile) {
        let selection =
            plimsoll::rules::Selection { select: Some(vec![rule.meta.code.to_owned()]), ..Default::default() };
        let settings = plimsoll::rules::Settings::default();
        let times = timed(20, || {
            let source = plimsoll::SourceFile::new("/bench/Dockerfile", dockerfile.clone());
            std::hint::black_box(plimsoll::lint_dockerfile_with(&source, &selection, &settings));
        });
        costs.push((times.iter().min().copied().unwrap_or_default(), rule.meta.code));
    }
    costs.sort_by(|a, b| b.cmp(a));
    let shown: Vec<String> =
        costs.iter().take(6).map(|(t, code)| format!("{code} {:.2} ms", t.as_secs_f64() * 1e3)).collect();
    println!("  slowest rules alone (parse included): {}", shown.join(", "));

    // Real-world text: the corpus's longest Dockerfile, repeated to 1,000 lines (few RUNs, long scripts).
    if let Some(real) = corpus_thousand_lines() {
        let uri = "file:///bench/real/Dockerfile";
        let item = json!({ "uri": uri, "languageId": "dockerfile", "version": 0, "text": real });
        notify(&client, "textDocument/didOpen", json!({ "textDocument": item }));
        let findings = diagnostics(&client, uri).as_array().map_or(0, Vec::len);
        let times = changes(&client, uri, 200, 1);
        report("1,000 lines of the corpus's longest Dockerfile, change -> diagnostics", findings, &times);
    }

    let compose = "file:///bench/compose.yaml";
    let mut text = String::from("services:\n");
    for i in 0..100 {
        text.push_str(&format!(
            "  svc{i}:\n    image: registry.example.com/app/svc{i}:1.{i}\n    environment:\n      MODE: prod\n"
        ));
    }
    let item = json!({ "uri": compose, "languageId": "dockercompose", "version": 0, "text": text });
    notify(&client, "textDocument/didOpen", json!({ "textDocument": item }));
    let findings = diagnostics(&client, compose).as_array().map_or(0, Vec::len);
    let times = changes(&client, compose, 200, 4);
    report("401-line Compose file (100 services), change -> diagnostics", findings, &times);

    client.sender.send(Request::new(RequestId::from(2), "shutdown".into(), Value::Null).into()).expect("send");
    wait(&client, |m| matches!(m, Message::Response(_)));
    notify(&client, "exit", Value::Null);
    assert_eq!(server.join().expect("server"), 0);
}

/// Sends `rounds` one-character edits on `line` (alternately adding and removing a character) and times each
/// until its diagnostics arrive.
fn changes(client: &Connection, uri: &str, rounds: i32, line: u32) -> Vec<Duration> {
    let mut times = Vec::new();
    for version in 1..=rounds {
        let at = json!({ "line": line, "character": 2 });
        let change = if version % 2 == 1 {
            json!({ "range": { "start": at, "end": at }, "text": "x" })
        } else {
            json!({ "range": { "start": at, "end": { "line": line, "character": 3 } }, "text": "" })
        };
        let params = json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] });
        let start = Instant::now();
        notify(client, "textDocument/didChange", params);
        diagnostics(client, uri);
        times.push(start.elapsed());
    }
    times
}

/// The calling thread's time on a CPU so far (Linux: `/proc/thread-self/schedstat`, in nanoseconds).
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn timed(rounds: usize, mut work: impl FnMut()) -> Vec<Duration> {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect()
}

fn report(what: &str, findings: usize, times: &[Duration]) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{what} ({findings} findings): best {:.2} ms, median {:.2} ms, p95 {:.2} ms, worst {:.2} ms ({} runs)",
        ms(sorted[0]),
        ms(sorted[sorted.len() / 2]),
        ms(sorted[sorted.len() * 95 / 100]),
        ms(sorted[sorted.len() - 1]),
        sorted.len()
    );
}

fn notify(client: &Connection, method: &str, params: Value) {
    client.sender.send(Notification::new(method.into(), params).into()).expect("send");
}

fn wait(client: &Connection, want: impl Fn(&Message) -> bool) -> Message {
    loop {
        let m = client.receiver.recv_timeout(Duration::from_secs(30)).expect("a message");
        if want(&m) {
            return m;
        }
    }
}

fn diagnostics(client: &Connection, uri: &str) -> Value {
    let is_ours = |m: &Message| matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri);
    match wait(client, is_ours) {
        Message::Notification(n) => n.params["diagnostics"].clone(),
        _ => Value::Null,
    }
}

/// The longest Dockerfile of `../shared/corpus/dockerfiles` (or `$PLIMSOLL_SHARED`'s), repeated and cut to
/// 1,000 lines; `None` without the corpus.
fn corpus_thousand_lines() -> Option<String> {
    let shared = std::env::var_os("PLIMSOLL_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let texts = std::fs::read_dir(shared.join("corpus/dockerfiles")).ok()?;
    let longest =
        texts.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).max_by_key(|t| t.lines().count())?;
    let lines: Vec<&str> = longest.lines().cycle().take(1000).collect();
    Some(lines.join("\n") + "\n")
}

/// A synthetic 1,000-line Dockerfile: ten build stages of 100 lines each, with package installs, continuations,
/// copies, variables and a few findings.
fn thousand_lines() -> String {
    let mut lines = Vec::new();
    for stage in 0..10 {
        lines.push(format!("FROM debian:12-slim AS stage{stage}"));
        lines.push(format!("ARG VERSION_{stage}=1.{stage}.0"));
        lines.push(format!("ENV APP_HOME=/opt/app{stage} PATH=/opt/app{stage}/bin:$PATH"));
        lines.push("WORKDIR /opt/app".to_owned());
        lines.push("RUN apt-get update \\".to_owned());
        for p in 0..40 {
            lines.push(format!("    && apt-get install -y --no-install-recommends package-{stage}-{p} \\"));
        }
        lines.push("    && rm -rf /var/lib/apt/lists/*".to_owned());
        for c in 0..20 {
            lines.push(format!("COPY --chown=app:app src/module{c} /opt/app/module{c}"));
        }
        lines.push("RUN curl -fsSL https://example.com/install.sh -o /tmp/install.sh && sh /tmp/install.sh".to_owned());
        lines.push("RUN useradd --create-home app".to_owned());
        for r in 0..28 {
            lines.push(format!("RUN echo \"step {r} of stage {stage}\" > /opt/app/step{r}.txt"));
        }
        lines.push("USER app".to_owned());
        lines.push(format!("LABEL org.opencontainers.image.version=\"$VERSION_{stage}\""));
        lines.push("EXPOSE 8080".to_owned());
        lines.push("CMD [\"/opt/app/bin/server\"]".to_owned());
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}
