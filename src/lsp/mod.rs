//! The language server (`plimsoll lsp`): the `check` pipeline on the editor's buffers, over LSP.
//!
//! One loop on one thread: linting a file takes well under a millisecond, so nothing runs in the background.
//! Requests are answered in order; a request the client cancels while it still waits in the queue is answered
//! with `RequestCancelled`, and a change followed by another change to the same document is not linted.

mod actions;
mod capabilities;
mod convert;
mod document;
mod hover;
mod lint;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use self::document::Document;
use crate::baseline::Baseline;
use crate::cli::settings::{self, FileSettings};
use crate::config::{HADOLINT_FILE_NAMES, PLIMSOLL_FILE_NAMES};
use crate::rules::Selection;
use crate::source::{ColumnEncoding, LineIndex};
use crate::workspace::FileKind;

/// The `source` of every diagnostic the server publishes.
pub const SOURCE: &str = "plimsoll";

/// Runs the server on standard input and output; returns the process exit code (0 after `shutdown` then
/// `exit`, 1 otherwise).
pub fn stdio() -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let code = run(connection);
    if let Err(e) = io_threads.join() {
        eprintln!("plimsoll lsp: {e}");
        return 1;
    }
    code
}

/// Runs the server on a connection until the client says `exit`; returns the exit code (0 when `shutdown` came
/// first, 1 otherwise, also when the connection closes without `exit`).
pub fn run(connection: Connection) -> i32 {
    let Ok((id, params)) = connection.initialize_start() else { return 1 };
    let params: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = capabilities::position_encoding(&params);
    let result = serde_json::to_value(capabilities::initialize_result(encoding)).unwrap_or_default();
    if connection.initialize_finish(id, result).is_err() {
        return 1;
    }
    // The server lints the same texts again on every keystroke: keep each RUN script's shell parse.
    crate::shell::cache_parses_on_this_thread();
    // `initialize_finish` has taken the client's `initialized`.
    let mut server = Server::new(connection.sender.clone(), &params, encoding);
    server.register_watchers();
    let mut inbox = Inbox { receiver: &connection.receiver, queued: VecDeque::new() };
    while let Some(message) = inbox.next() {
        match message {
            Message::Request(request) => {
                if inbox.take_cancel(&request.id) {
                    let response = Response::new_err(
                        request.id,
                        ErrorCode::RequestCanceled as i32,
                        "cancelled by the client".to_owned(),
                    );
                    server.send(response.into());
                    continue;
                }
                let response = server.request(request);
                server.send(response.into());
            }
            Message::Notification(n) if n.method == "exit" => return if server.shut_down { 0 } else { 1 },
            Message::Notification(n) => {
                let superseded = n.method == "textDocument/didChange" && inbox.has_later_change(&n);
                server.notification(n, superseded);
            }
            Message::Response(_) => {}
        }
    }
    1
}

/// The messages from the client, with a look at those already waiting.
struct Inbox<'a> {
    receiver: &'a Receiver<Message>,
    queued: VecDeque<Message>,
}

impl Inbox<'_> {
    fn next(&mut self) -> Option<Message> {
        self.queued.pop_front().or_else(|| self.receiver.recv().ok())
    }

    fn take_waiting(&mut self) {
        self.queued.extend(self.receiver.try_iter());
    }

    /// Whether a `$/cancelRequest` for `id` is waiting (it is taken out).
    fn take_cancel(&mut self, id: &RequestId) -> bool {
        self.take_waiting();
        let cancels = |m: &Message| match m {
            Message::Notification(n) if n.method == "$/cancelRequest" => {
                serde_json::from_value::<lsp::CancelParams>(n.params.clone()).is_ok_and(|p| match p.id {
                    lsp::Id::Int(i) => *id == RequestId::from(i),
                    lsp::Id::String(s) => *id == RequestId::from(s),
                })
            }
            _ => false,
        };
        match self.queued.iter().position(cancels) {
            Some(i) => {
                self.queued.remove(i);
                true
            }
            None => false,
        }
    }

    /// Whether another change to the same document is waiting (then this one need not be linted).
    fn has_later_change(&mut self, change: &Notification) -> bool {
        self.take_waiting();
        let uri = |n: &Notification| n.params.pointer("/textDocument/uri").cloned();
        let this = uri(change);
        this.is_some()
            && self.queued.iter().any(
                |m| matches!(m, Message::Notification(n) if n.method == "textDocument/didChange" && uri(n) == this),
            )
    }
}

/// Settings the editor gives (`initializationOptions`, `workspace/didChangeConfiguration`), either at the top
/// level or under a `plimsoll` key.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Options {
    /// A configuration file for every document, instead of the nearest one.
    config_path: Option<PathBuf>,
    select: Option<Vec<String>>,
    extend_select: Vec<String>,
    ignore: Vec<String>,
    /// A baseline file (`check --write-baseline`): the findings it records are not shown. Relative paths are
    /// taken from the first workspace folder.
    baseline: Option<PathBuf>,
}

/// What identifies a Compose project: its folder and its files (empty: the folder's default files).
type ProjectKey = (PathBuf, Vec<PathBuf>);

struct Server {
    sender: Sender<Message>,
    encoding: ColumnEncoding,
    watch_files: bool,
    root: Option<PathBuf>,
    options: Options,
    /// The baseline `options.baseline` names, once read (`None` when unset or unreadable).
    baseline: Option<Baseline>,
    documents: BTreeMap<String, Document>,
    /// Each document's settings, by path, until a configuration changes.
    settings: HashMap<PathBuf, Arc<FileSettings>>,
    /// The last configuration error shown, so it is shown once.
    shown_error: Option<String>,
    /// Configuration warnings already shown, so each is shown once until the configuration is read again.
    shown_warnings: Vec<String>,
    shut_down: bool,
    next_request: i32,
}

impl Server {
    fn new(sender: Sender<Message>, params: &lsp::InitializeParams, encoding: ColumnEncoding) -> Self {
        let first_folder = match &params.workspace_folders_initialize_params.workspace_folders {
            Some(lsp::WorkspaceFolders::WorkspaceFolderList(list)) => list.first().map(|f| f.uri.clone()),
            _ => None,
        };
        #[allow(deprecated)] // Older clients send only `rootUri`.
        let root_uri = params.root_uri.clone();
        let root = first_folder.or(root_uri).and_then(|uri| uri.to_file_path().ok());
        let mut server = Server {
            sender,
            encoding,
            watch_files: capabilities::can_watch_files(params),
            root,
            options: Options::default(),
            baseline: None,
            documents: BTreeMap::new(),
            settings: HashMap::new(),
            shown_error: None,
            shown_warnings: Vec::new(),
            shut_down: false,
            next_request: 0,
        };
        if let Some(value) = &params.initialization_options {
            server.set_options(value);
        }
        server
    }

    fn send(&self, message: Message) {
        // The client went away: the loop ends when the receiver closes.
        let _ = self.sender.send(message);
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Notification::new(method.to_owned(), params).into());
    }

    fn show(&self, kind: lsp::MessageType, message: String) {
        self.notify("window/showMessage", lsp::ShowMessageParams { kind, message });
    }

    fn request(&mut self, request: Request) -> Response {
        if self.shut_down {
            let message = "shutdown already requested".to_owned();
            return Response::new_err(request.id, ErrorCode::InvalidRequest as i32, message);
        }
        match request.method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                Response::new_ok(request.id, ())
            }
            "textDocument/codeAction" => answer(request, |p: lsp::CodeActionParams| {
                self.documents
                    .get(p.text_document.uri.as_str())
                    .map(|doc| actions::code_actions(doc, &p, self.encoding))
                    .unwrap_or_default()
            }),
            "textDocument/hover" => answer(request, |p: lsp::HoverParams| {
                let at = p.text_document_position_params;
                let doc = self.documents.get(at.text_document.uri.as_str())?;
                hover::hover(doc, at.position, self.encoding)
            }),
            _ => {
                let message = format!("plimsoll does not handle `{}`", request.method);
                Response::new_err(request.id, ErrorCode::MethodNotFound as i32, message)
            }
        }
    }

    fn notification(&mut self, n: Notification, superseded: bool) {
        let method = n.method.clone();
        let handled = match method.as_str() {
            "textDocument/didOpen" => parse(n, |p: lsp::DidOpenTextDocumentParams| self.did_open(p)),
            "textDocument/didChange" => parse(n, |p: lsp::DidChangeTextDocumentParams| self.did_change(p, superseded)),
            "textDocument/didSave" => parse(n, |p: lsp::DidSaveTextDocumentParams| {
                self.check_with_dependents(p.text_document.uri.as_str());
            }),
            "textDocument/didClose" => parse(n, |p: lsp::DidCloseTextDocumentParams| self.did_close(p)),
            "workspace/didChangeConfiguration" => {
                parse(n, |p: lsp::DidChangeConfigurationParams| self.did_change_configuration(&p.settings))
            }
            "workspace/didChangeWatchedFiles" => {
                parse(n, |p: lsp::DidChangeWatchedFilesParams| self.did_change_watched_files(p))
            }
            // Cancellations of requests already answered, and anything else: nothing to do.
            _ => Ok(()),
        };
        if let Err(e) = handled {
            let message = format!("plimsoll: ignored `{method}` with invalid parameters: {e}");
            self.notify("window/logMessage", lsp::LogMessageParams { kind: lsp::MessageType::Error, message });
        }
    }

    fn did_open(&mut self, p: lsp::DidOpenTextDocumentParams) {
        let item = p.text_document;
        let path = document::path_of(&item.uri);
        let Some(kind) = document::kind_of(item.language_id.as_str(), &path) else { return };
        let key = item.uri.to_string();
        self.documents.insert(key.clone(), Document::new(item.uri, kind, item.version, item.text));
        self.check_with_dependents(&key);
    }

    fn did_change(&mut self, p: lsp::DidChangeTextDocumentParams, superseded: bool) {
        let key = p.text_document.text_document_identifier.uri.to_string();
        let Some(doc) = self.documents.get_mut(&key) else { return };
        doc.apply_changes(p.content_changes, self.encoding);
        doc.version = p.text_document.version;
        if !superseded {
            self.check_with_dependents(&key);
        }
    }

    fn did_close(&mut self, p: lsp::DidCloseTextDocumentParams) {
        let Some(doc) = self.documents.remove(p.text_document.uri.as_str()) else { return };
        let params = lsp::PublishDiagnosticsParams { uri: doc.uri.clone(), version: None, diagnostics: Vec::new() };
        self.notify("textDocument/publishDiagnostics", params);
        // Files that read this one now read it from disk.
        self.check_dependents(&[lint::normal(&doc.path)], &mut Vec::new());
    }

    fn did_change_configuration(&mut self, settings: &serde_json::Value) {
        if settings.is_null() {
            return;
        }
        self.set_options(settings);
        self.check_all();
    }

    fn did_change_watched_files(&mut self, p: lsp::DidChangeWatchedFilesParams) {
        let paths: Vec<PathBuf> = p.changes.iter().map(|c| lint::normal(&document::path_of(&c.uri))).collect();
        let is_config = |path: &PathBuf| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            PLIMSOLL_FILE_NAMES.contains(&name) || HADOLINT_FILE_NAMES.contains(&name)
        };
        let baseline = self.options.baseline.as_deref().map(lint::normal);
        if paths.iter().any(|p| Some(p) == baseline.as_ref()) {
            self.load_baseline();
            self.check_all();
        } else if paths.iter().any(is_config) {
            self.check_all();
        } else {
            self.check_dependents(&paths, &mut Vec::new());
        }
    }

    fn set_options(&mut self, value: &serde_json::Value) {
        let value = value.get("plimsoll").unwrap_or(value);
        match Options::deserialize(value) {
            Ok(mut options) => {
                let known = |s: &String| crate::rules::is_known_selector(s);
                let all = options.select.iter().flatten().chain(&options.extend_select).chain(&options.ignore);
                let unknown: Vec<&String> = all.filter(|s| !known(s)).collect();
                for bad in unknown {
                    let message = format!("plimsoll: {} (left out)", crate::rules::unknown_selector_message(bad));
                    self.show(lsp::MessageType::Warning, message);
                }
                if let Some(select) = &mut options.select {
                    select.retain(known);
                }
                options.extend_select.retain(known);
                options.ignore.retain(known);
                if let (Some(config), Some(root)) = (&options.config_path, &self.root) {
                    options.config_path = Some(root.join(config));
                }
                if let (Some(baseline), Some(root)) = (&options.baseline, &self.root) {
                    options.baseline = Some(root.join(baseline));
                }
                self.options = options;
                self.load_baseline();
            }
            Err(e) => self.show(lsp::MessageType::Error, format!("plimsoll: invalid settings: {e}")),
        }
    }

    /// Reads the baseline the options name; a broken one is shown and no finding is left out.
    fn load_baseline(&mut self) {
        self.baseline = None;
        let Some(path) = self.options.baseline.clone() else { return };
        match Baseline::load(&path) {
            Ok(baseline) => self.baseline = Some(baseline),
            Err(message) => self.show(lsp::MessageType::Error, format!("plimsoll: {message}")),
        }
    }

    /// Asks the client to report changes to configuration files, Dockerfiles, Compose files and `.env` files.
    fn register_watchers(&mut self) {
        if !self.watch_files {
            return;
        }
        let baseline = self.options.baseline.as_deref().and_then(Path::file_name).and_then(|n| n.to_str());
        let baseline = format!("**/{}", baseline.unwrap_or(crate::baseline::DEFAULT_FILE_NAME));
        let watchers = [
            "**/{plimsoll.toml,.plimsoll.toml,.hadolint.yaml,.hadolint.yml}",
            "**/*{Dockerfile,dockerfile,Containerfile,containerfile}*",
            "**/*.{yml,yaml}",
            "**/.env",
            &baseline,
        ]
        .map(|glob| serde_json::json!({ "globPattern": glob }));
        let params = serde_json::json!({ "registrations": [{
            "id": "plimsoll-watched-files",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": { "watchers": watchers },
        }]});
        self.next_request += 1;
        let id = RequestId::from(format!("plimsoll-{}", self.next_request));
        self.send(Request::new(id, "client/registerCapability".to_owned(), params).into());
    }

    /// The settings for a file: its configuration as `check` finds it, with the editor's options. A broken
    /// configuration is shown once and the defaults are used.
    fn settings_for(&mut self, path: &Path) -> Arc<FileSettings> {
        if let Some(found) = self.settings.get(path) {
            return found.clone();
        }
        let o = &self.options;
        let selection =
            Selection { select: o.select.clone(), extend_select: o.extend_select.clone(), ignore: o.ignore.clone() };
        let found = match settings::for_editor(path, o.config_path.clone(), &selection) {
            Ok(found) => {
                for warning in &found.warnings {
                    if !self.shown_warnings.contains(warning) {
                        self.show(lsp::MessageType::Warning, format!("plimsoll: {warning}"));
                        self.shown_warnings.push(warning.clone());
                    }
                }
                found
            }
            Err(message) => {
                if self.shown_error.as_ref() != Some(&message) {
                    self.show(lsp::MessageType::Error, format!("plimsoll: {message}"));
                    self.shown_error = Some(message);
                }
                FileSettings { selection, ..FileSettings::default() }
            }
        };
        let found = Arc::new(found);
        self.settings.insert(path.to_path_buf(), found.clone());
        found
    }

    /// Re-reads configurations and re-checks every open document.
    fn check_all(&mut self) {
        self.settings.clear();
        self.shown_error = None;
        self.shown_warnings.clear();
        let mut done = Vec::new();
        for key in self.documents.keys().cloned().collect::<Vec<_>>() {
            self.check(&key, &mut done);
        }
    }

    /// Checks a document, then the open Compose files that read it.
    fn check_with_dependents(&mut self, key: &str) {
        let mut done = Vec::new();
        self.check(key, &mut done);
        if let Some(path) = self.documents.get(key).map(|d| lint::normal(&d.path)) {
            self.check_dependents(&[path], &mut done);
        }
    }

    /// Re-checks the open Compose files whose project read one of `paths` (a Dockerfile a service builds, an
    /// override file, `.env`), each project once.
    fn check_dependents(&mut self, paths: &[PathBuf], done: &mut Vec<ProjectKey>) {
        let dependents: Vec<String> = self
            .documents
            .iter()
            .filter(|(_, d)| d.kind == FileKind::Compose && paths.iter().any(|p| d.depends_on.contains(p)))
            .map(|(key, _)| key.clone())
            .collect();
        for key in dependents {
            self.check(&key, done);
        }
    }

    /// Lints a document and publishes its findings. A Compose file is linted as its project (unless `done`
    /// holds it already), and every open file of that project gets its findings.
    fn check(&mut self, key: &str, done: &mut Vec<ProjectKey>) {
        let Some(doc) = self.documents.get(key) else { return };
        let path = doc.path.clone();
        match doc.kind {
            FileKind::Dockerfile => {
                let settings = self.settings_for(&path);
                let Some(doc) = self.documents.get_mut(key) else { return };
                doc.findings = lint::dockerfile(&path, &doc.text, &settings);
                if let Some(baseline) = &self.baseline {
                    doc.findings = lint::without_known(baseline, &path, &doc.text, std::mem::take(&mut doc.findings));
                }
                self.publish(key);
            }
            FileKind::Compose => {
                let fs = lint::overlay(self.buffers());
                let options = lint::project_of(&path, &fs);
                let project: ProjectKey = (options.dir.clone(), options.files.clone());
                if done.contains(&project) {
                    return;
                }
                done.push(project.clone());
                let settings = self.settings_for(&options.dir.join("compose.yaml"));
                let (mut reports, depends_on) = lint::compose(&options, &fs, &settings);
                if let Some(baseline) = &self.baseline {
                    baseline.filter(&mut reports);
                }
                let members: Vec<String> = self
                    .documents
                    .iter()
                    .filter(|(k, d)| {
                        d.kind == FileKind::Compose
                            && (k.as_str() == key || {
                                let theirs = lint::project_of(&d.path, &fs);
                                (theirs.dir, theirs.files) == project
                            })
                    })
                    .map(|(k, _)| k.clone())
                    .collect();
                for member in members {
                    let Some(doc) = self.documents.get_mut(&member) else { continue };
                    let own = lint::normal(&doc.path);
                    let report = reports.iter().find(|r| lint::normal(&r.source.path) == own);
                    doc.findings = report.map(|r| r.diagnostics.clone()).unwrap_or_default();
                    doc.depends_on = depends_on.clone();
                    self.publish(&member);
                }
            }
        }
    }

    /// The open documents' texts by path, to stand in for the files on disk (an unsaved `untitled:` buffer has
    /// a relative path that no file on disk takes).
    fn buffers(&self) -> BTreeMap<PathBuf, String> {
        self.documents.values().map(|d| (d.path.clone(), d.text.clone())).collect()
    }

    fn publish(&self, key: &str) {
        let Some(doc) = self.documents.get(key) else { return };
        let text = doc.text(self.encoding);
        let elsewhere = |place: &crate::Elsewhere| {
            let uri = convert::uri_of(&place.path)?;
            let open = self.documents.values().find(|d| d.path == place.path);
            let range = match open {
                Some(d) => convert::place_range(place, Some(d.text(self.encoding))),
                None => match std::fs::read_to_string(&place.path) {
                    Ok(other) => {
                        let index = LineIndex::new(&other);
                        let t = convert::Text { text: &other, index: &index, encoding: self.encoding };
                        convert::place_range(place, Some(t))
                    }
                    Err(_) => convert::place_range(place, None),
                },
            };
            Some(lsp::Location { uri, range })
        };
        let diagnostics = doc.findings.iter().map(|d| convert::diagnostic(d, &doc.uri, text, &elsewhere)).collect();
        let params = lsp::PublishDiagnosticsParams { uri: doc.uri.clone(), version: Some(doc.version), diagnostics };
        self.notify("textDocument/publishDiagnostics", params);
    }
}

/// Answers a request from its typed parameters, or with `InvalidParams` when they do not parse.
fn answer<P: DeserializeOwned, R: serde::Serialize>(request: Request, handle: impl FnOnce(P) -> R) -> Response {
    match serde_json::from_value::<P>(request.params) {
        Ok(params) => Response::new_ok(request.id, handle(params)),
        Err(e) => {
            let message = format!("invalid parameters for `{}`: {e}", request.method);
            Response::new_err(request.id, ErrorCode::InvalidParams as i32, message)
        }
    }
}

fn parse<P: DeserializeOwned>(n: Notification, handle: impl FnOnce(P)) -> Result<(), serde_json::Error> {
    serde_json::from_value::<P>(n.params).map(handle)
}
