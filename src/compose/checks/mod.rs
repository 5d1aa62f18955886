//! Checks on a loaded project that Compose makes before it starts anything: empty files, the `depends_on`
//! graph (cycles, unknown services), and every other reason `docker compose config` refuses a project that
//! the schema and the values do not already tell: references to undefined resources and services, services
//! without an image, missing env files, keys Compose refuses together, container names, service names, pull
//! policies, and values left empty by unset variables.
//!
//! A refusal ([`Checker::refuse`]) is an error in a folder's default project and a warning in a file linted
//! on its own (`partial`), which is often one part of a `-f a -f b` project whose other parts define what is
//! missing here. Their codes are in [`SWITCHABLE`]: a configuration or a pragma can switch them off, as it does
//! a rule, because they depend on context a linter may not see.

mod empty;
mod meta;
mod references;
mod services;

use std::collections::BTreeMap;

pub use meta::{SWITCHABLE, find as find_switchable};

use super::model::ComposeModel;
use super::project::{FileSource, Project};
use super::tree::{FileId, Origin, Place, Value, ValueKind};
use super::{DEPENDENCY_CYCLE, EMPTY_FILE, UNKNOWN_DEPENDENCY};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::TextRange;

/// Runs the project checks and returns their diagnostics with their files. `partial`: the project is a file
/// loaded on its own, which may be one part of a larger `-f a -f b` project. `fs` is where env files are
/// looked for.
pub fn check(
    project: &Project,
    model: Option<&ComposeModel>,
    fs: &dyn FileSource,
    partial: bool,
) -> Vec<(FileId, Diagnostic)> {
    let mut checker = Checker { project, partial, profiles: None, out: Vec::new() };
    empty_files(project, &mut checker.out);
    if let Some(root) = project.root.as_ref() {
        if let Some(services) = root.get("services") {
            dependencies(services, partial, &mut checker.out);
        }
        references::check(&mut checker, root);
        services::check(&mut checker, root, model);
        services::env_files(&mut checker, root, fs);
        empty::check(&mut checker, root);
    }
    checker.out
}

/// What the checks share: the project, whether it may be partial, and the findings so far.
pub(super) struct Checker<'a> {
    project: &'a Project,
    partial: bool,
    /// The `profiles` of the service being checked, for messages (`a`, `b`).
    profiles: Option<String>,
    out: Vec<(FileId, Diagnostic)>,
}

impl Checker<'_> {
    /// Enters a service: the refusals that follow are about it. A service with `profiles` is checked by Compose
    /// only when one of them is active (`--profile`), so its refusals are warnings that say so.
    fn enter(&mut self, service: &Value) {
        let names: Vec<&str> = service
            .get("profiles")
            .and_then(Value::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        self.profiles = (!names.is_empty()).then(|| names.join("`, `"));
    }

    /// A refusal of Compose at `at` (where the value is used): an error, or a warning in a partial project,
    /// whose help says what to write, and in a partial project that another file may hold what is missing.
    fn refuse(&mut self, code: &'static str, at: &Origin, mut message: String, help: &str) -> &mut Diagnostic {
        let place = at.use_place();
        if let Some(profiles) = &self.profiles {
            message.push_str(&format!(" (Compose checks it when the profile `{profiles}` is active)"));
        }
        let (severity, help) = if self.partial || self.profiles.is_some() {
            (Severity::Warning, format!("{help} (if another Compose file completes this one, lint them together)"))
        } else {
            (Severity::Error, help.to_owned())
        };
        let d = Diagnostic::new(code, severity, place.range, message).with_help(help);
        self.out.push((place.file, d));
        let last = self.out.len() - 1;
        &mut self.out[last].1
    }

    /// A label at `place` for a finding in `file`, naming the other file when it is elsewhere.
    fn label(&self, file: FileId, place: Place, message: impl Into<String>) -> Label {
        let mut label = Label::new(place.range, message);
        if place.file != file
            && let Some(other) = self.project.file(place.file)
        {
            label.elsewhere = Some(crate::rules::elsewhere(&other.path, &other.text, place.range));
        }
        label
    }

    /// Pushes a label at `place` onto the last finding.
    fn add_label(&mut self, place: Place, message: &str) {
        let Some(file) = self.out.last().map(|(f, _)| *f) else { return };
        let label = self.label(file, place, message);
        if let Some((_, d)) = self.out.last_mut() {
            d.labels.push(label);
        }
    }
}

/// The services of the root: each name with its key's origin and its value.
pub(super) fn services(root: &Value) -> impl Iterator<Item = (&str, &Origin, &Value)> {
    root.get("services")
        .and_then(Value::as_map)
        .unwrap_or_default()
        .iter()
        .map(|e| (e.key.as_str(), &e.key_origin, &e.value))
}

/// The names defined in a top-level section (`networks`, `volumes` …).
pub(super) fn defined<'a>(root: &'a Value, section: &str) -> Vec<&'a str> {
    root.get(section).and_then(Value::as_map).unwrap_or_default().iter().map(|e| e.key.as_str()).collect()
}

/// A Compose file (not an env file) that holds nothing but comments and blank lines. Compose refuses it as the
/// only file of a project, but merges it as nothing when it is one layer of several (`-f a.yaml -f empty.yaml`,
/// a folder's file and its override), so neither such a layer nor a file named as an override (a layer linted
/// on its own, kept as a place for local changes) is reported.
fn empty_files(project: &Project, out: &mut Vec<(FileId, Diagnostic)>) {
    for (i, file) in project.files.iter().enumerate() {
        let id = FileId(i as u32);
        let layer = project.layers.len() > 1 && project.layers.contains(&id);
        if layer || is_override(&file.path) {
            continue;
        }
        let has_content = file.yaml.documents.iter().any(|d| !d.root.is_null());
        if !file.is_env_file && !has_content && file.yaml.diagnostics.is_empty() {
            let at = TextRange::empty(0);
            let d = Diagnostic::new(EMPTY_FILE, Severity::Error, at, "the Compose file is empty")
                .with_help("add a `services:` section, or remove the file");
            out.push((id, d));
        }
    }
}

/// Whether a file is named as an override layer: `compose.override.yaml`, `docker-compose.override.yml`,
/// `docker-compose.dev.override.yml`, `override.yaml`.
fn is_override(path: &std::path::Path) -> bool {
    path.file_stem().and_then(|s| s.to_str()).is_some_and(|s| s.to_ascii_lowercase().contains("override"))
}

/// One `depends_on` edge: the service named, and the value that names it.
struct Edge<'a> {
    to: &'a str,
    at: &'a Value,
}

fn edges(service: &Value) -> Vec<Edge<'_>> {
    let Some(deps) = service.get("depends_on") else { return Vec::new() };
    match &deps.kind {
        ValueKind::Seq(items) => items.iter().filter_map(|v| v.as_str().map(|to| Edge { to, at: v })).collect(),
        ValueKind::Map(entries) => entries.iter().map(|e| Edge { to: &e.key, at: &e.value }).collect(),
        ValueKind::Scalar(_) => Vec::new(),
    }
}

fn dependencies(services: &Value, partial: bool, out: &mut Vec<(FileId, Diagnostic)>) {
    let Some(entries) = services.as_map() else { return };
    let graph: BTreeMap<&str, Vec<Edge<'_>>> = entries.iter().map(|e| (e.key.as_str(), edges(&e.value))).collect();
    for (from, deps) in &graph {
        for edge in deps.iter().filter(|e| !graph.contains_key(e.to)) {
            let place = edge.at.origin.use_place();
            let message = format!("service `{from}` depends on `{}`, which is not a service of this project", edge.to);
            let (severity, help) = if partial {
                (Severity::Warning, "if another Compose file defines it, this file is only one part of the project")
            } else {
                (Severity::Error, "define the service, or remove it from `depends_on`")
            };
            let d = Diagnostic::new(UNKNOWN_DEPENDENCY, severity, place.range, message).with_help(help);
            out.push((place.file, d));
        }
    }
    // Depth-first search with colours; each cycle is reported once, at the edge that closes it.
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        White,
        Grey,
        Black,
    }
    let mut colour: BTreeMap<&str, Colour> = graph.keys().map(|k| (*k, Colour::White)).collect();
    for &start in graph.keys() {
        if colour[start] != Colour::White {
            continue;
        }
        // An explicit stack of (service, next edge index), so a long chain cannot overflow the call stack.
        let mut stack: Vec<(&str, usize)> = vec![(start, 0)];
        colour.insert(start, Colour::Grey);
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let deps = &graph[node];
            if *next == deps.len() {
                colour.insert(node, Colour::Black);
                stack.pop();
                continue;
            }
            let edge = &deps[*next];
            *next += 1;
            match colour.get(edge.to) {
                Some(Colour::White) => {
                    colour.insert(edge.to, Colour::Grey);
                    stack.push((edge.to, 0));
                }
                Some(Colour::Grey) => {
                    let from = stack.iter().position(|(n, _)| *n == edge.to).unwrap_or(0);
                    let mut names: Vec<&str> = stack[from..].iter().map(|(n, _)| *n).collect();
                    names.push(edge.to);
                    let message = if names.len() == 2 {
                        format!("service `{}` depends on itself", edge.to)
                    } else {
                        format!("services depend on each other in a circle: {}", names.join(" → "))
                    };
                    let place = edge.at.origin.use_place();
                    let d = Diagnostic::new(DEPENDENCY_CYCLE, Severity::Error, place.range, message)
                        .with_help("remove one `depends_on` entry of the circle");
                    out.push((place.file, d));
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::compose::project::{LoadOptions, MemoryFs, load};

    /// The check findings on a project (paths under `/p`, the first `/p/compose.yaml`) with these variables,
    /// as (code, "message @text at the span"), in file and source order.
    pub(super) fn run_files_with(files: &[(&str, &str)], env: &[(&str, &str)]) -> Vec<(&'static str, String)> {
        let fs = MemoryFs(files.iter().map(|(p, t)| (PathBuf::from(p), (*t).to_owned())).collect());
        let env = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let mut project = load(&LoadOptions { dir: PathBuf::from("/p"), env, ..LoadOptions::default() }, &fs);
        let model = project.root.clone().map(|root| crate::compose::model::build(&root, &mut project.diagnostics));
        let mut found = check(&project, model.as_ref(), &fs, false);
        found.sort_by_key(|(file, d)| (*file, d.range.start));
        found
            .into_iter()
            .map(|(file, d)| {
                (d.code, format!("{} @{}", d.message, &project.files[file.0 as usize].text[d.range.as_usize()]))
            })
            .collect()
    }

    pub(super) fn run_files(files: &[(&str, &str)]) -> Vec<(&'static str, String)> {
        run_files_with(files, &[])
    }

    pub(super) fn run(text: &str) -> Vec<(&'static str, String)> {
        run_files(&[("/p/compose.yaml", text)])
    }

    /// The findings on a project's `/p/compose.yaml`, as diagnostics.
    pub(super) fn run_diagnostics(text: &str) -> Vec<Diagnostic> {
        let fs = MemoryFs([(PathBuf::from("/p/compose.yaml"), text.to_owned())].into_iter().collect());
        let project = load(&LoadOptions { dir: PathBuf::from("/p"), ..LoadOptions::default() }, &fs);
        check(&project, None, &fs, false).into_iter().map(|(_, d)| d).collect()
    }

    /// The findings on a file linted on its own.
    pub(super) fn run_partial(text: &str) -> Vec<Diagnostic> {
        let fs = MemoryFs([(PathBuf::from("/p/compose.yaml"), text.to_owned())].into_iter().collect());
        let project = load(&LoadOptions { dir: PathBuf::from("/p"), ..LoadOptions::default() }, &fs);
        check(&project, None, &fs, true).into_iter().map(|(_, d)| d).collect()
    }

    /// The `depends_on` findings alone (the services of these tests have no image).
    fn graph(text: &str) -> Vec<(&'static str, String)> {
        run(text).into_iter().filter(|(code, _)| matches!(*code, "PLC013" | "PLC014" | "PLC015")).collect()
    }

    #[test]
    fn cycles_self_dependencies_and_unknown_services() {
        let cycle = "services:\n  a:\n    depends_on: [b]\n  b:\n    depends_on:\n      c: {condition: service_started}\n  c:\n    depends_on: [a]\n";
        assert_eq!(graph(cycle), [("PLC014", "services depend on each other in a circle: a → b → c → a @a".into())]);
        assert_eq!(
            graph("services:\n  a:\n    depends_on: [a]\n"),
            [("PLC014", "service `a` depends on itself @a".into())]
        );
        assert_eq!(
            graph("services:\n  a:\n    depends_on: [nope]\n"),
            [("PLC015", "service `a` depends on `nope`, which is not a service of this project @nope".into())]
        );
        assert!(graph("services:\n  a:\n    depends_on: [b]\n  b:\n    image: x\n").is_empty());
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let mut text = String::from("services:\n");
        for i in 0..5_000 {
            text.push_str(&format!("  s{i}:\n    depends_on: [s{}]\n", i + 1));
        }
        text.push_str("  s5000:\n    depends_on: [s0]\n");
        assert_eq!(graph(&text).len(), 1);
    }

    /// The codes of the project checks on files loaded as `-f` files (none: the folder's default files).
    fn run_layers(files: &[(&str, &str)], chosen: &[&str]) -> Vec<(String, &'static str)> {
        let fs = MemoryFs(files.iter().map(|(p, t)| (PathBuf::from("/p").join(p), (*t).to_owned())).collect());
        let options = LoadOptions {
            dir: PathBuf::from("/p"),
            files: chosen.iter().map(PathBuf::from).collect(),
            ..LoadOptions::default()
        };
        let project = load(&options, &fs);
        check(&project, None, &fs, !chosen.is_empty())
            .into_iter()
            .filter(|(_, d)| d.code == EMPTY_FILE)
            .map(|(file, d)| (project.files[file.0 as usize].path.display().to_string(), d.code))
            .collect()
    }

    #[test]
    fn a_comments_only_layer_or_override_is_not_empty_file() {
        let base = "services:\n  web:\n    image: nginx:1.27\n";
        let empty = "# local changes go here\n";
        // A folder's file and its override, and `-f` layers in either order: Compose merges the empty one.
        assert!(run_layers(&[("compose.yaml", base), ("compose.override.yaml", empty)], &[]).is_empty());
        assert!(run_layers(&[("compose.yaml", base), ("dev.yaml", empty)], &["compose.yaml", "dev.yaml"]).is_empty());
        assert!(run_layers(&[("compose.yaml", base), ("dev.yaml", empty)], &["dev.yaml", "compose.yaml"]).is_empty());
        // An override linted on its own.
        assert!(run_layers(&[("docker-compose.override.yml", empty)], &["docker-compose.override.yml"]).is_empty());
        // Alone, a file not named as an override is refused by Compose.
        assert_eq!(run_layers(&[("dev.yaml", empty)], &["dev.yaml"]), [("/p/dev.yaml".to_owned(), "PLC013")]);
        assert_eq!(run_layers(&[("compose.yaml", empty)], &[]), [("/p/compose.yaml".to_owned(), "PLC013")]);
    }

    #[test]
    fn empty_files() {
        assert_eq!(graph("# Empty file\n"), [("PLC013", "the Compose file is empty @".into())]);
        assert!(graph("services: {}\n").is_empty());
    }
}
