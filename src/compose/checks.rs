//! Checks on a loaded project that Compose makes before it starts anything: empty files, and the
//! `depends_on` graph (cycles, unknown services).

use std::collections::BTreeMap;

use super::project::Project;
use super::tree::{FileId, Value, ValueKind};
use super::{DEPENDENCY_CYCLE, EMPTY_FILE, UNKNOWN_DEPENDENCY};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::TextRange;

/// Runs the project checks and returns their diagnostics with their files. `partial`: the project is a file
/// loaded on its own, which may be one part of a larger `-f a -f b` project.
pub fn check(project: &Project, partial: bool) -> Vec<(FileId, Diagnostic)> {
    let mut out = Vec::new();
    empty_files(project, &mut out);
    if let Some(services) = project.root.as_ref().and_then(|r| r.get("services")) {
        dependencies(services, partial, &mut out);
    }
    out
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
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::compose::project::{LoadOptions, MemoryFs, load};

    fn run(text: &str) -> Vec<(&'static str, String)> {
        let fs = MemoryFs([(PathBuf::from("/p/compose.yaml"), text.to_owned())].into_iter().collect());
        let project = load(&LoadOptions { dir: PathBuf::from("/p"), ..LoadOptions::default() }, &fs);
        check(&project, false)
            .into_iter()
            .map(|(_, d)| (d.code, format!("{} @{}", d.message, &text[d.range.as_usize()])))
            .collect()
    }

    #[test]
    fn cycles_self_dependencies_and_unknown_services() {
        let cycle = "services:\n  a:\n    depends_on: [b]\n  b:\n    depends_on:\n      c: {condition: service_started}\n  c:\n    depends_on: [a]\n";
        assert_eq!(run(cycle), [("PLC014", "services depend on each other in a circle: a → b → c → a @a".into())]);
        assert_eq!(
            run("services:\n  a:\n    depends_on: [a]\n"),
            [("PLC014", "service `a` depends on itself @a".into())]
        );
        assert_eq!(
            run("services:\n  a:\n    depends_on: [nope]\n"),
            [("PLC015", "service `a` depends on `nope`, which is not a service of this project @nope".into())]
        );
        assert!(run("services:\n  a:\n    depends_on: [b]\n  b:\n    image: x\n").is_empty());
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let mut text = String::from("services:\n");
        for i in 0..5_000 {
            text.push_str(&format!("  s{i}:\n    depends_on: [s{}]\n", i + 1));
        }
        text.push_str("  s5000:\n    depends_on: [s0]\n");
        assert_eq!(run(&text).len(), 1);
    }

    #[test]
    fn empty_files() {
        assert_eq!(run("# Empty file\n"), [("PLC013", "the Compose file is empty @".into())]);
        assert!(run("services: {}\n").is_empty());
    }

    /// The codes of the project checks on files loaded as `-f` files (none: the folder's default files).
    fn run_files(files: &[(&str, &str)], chosen: &[&str]) -> Vec<(String, &'static str)> {
        let fs = MemoryFs(files.iter().map(|(p, t)| (PathBuf::from("/p").join(p), (*t).to_owned())).collect());
        let options = LoadOptions {
            dir: PathBuf::from("/p"),
            files: chosen.iter().map(PathBuf::from).collect(),
            ..LoadOptions::default()
        };
        let project = load(&options, &fs);
        check(&project, !chosen.is_empty())
            .into_iter()
            .map(|(file, d)| (project.files[file.0 as usize].path.display().to_string(), d.code))
            .collect()
    }

    #[test]
    fn a_comments_only_layer_or_override_is_not_empty_file() {
        let base = "services:\n  web:\n    image: nginx:1.27\n";
        let empty = "# local changes go here\n";
        // A folder's file and its override, and `-f` layers in either order: Compose merges the empty one.
        assert!(run_files(&[("compose.yaml", base), ("compose.override.yaml", empty)], &[]).is_empty());
        assert!(run_files(&[("compose.yaml", base), ("dev.yaml", empty)], &["compose.yaml", "dev.yaml"]).is_empty());
        assert!(run_files(&[("compose.yaml", base), ("dev.yaml", empty)], &["dev.yaml", "compose.yaml"]).is_empty());
        // An override linted on its own.
        assert!(run_files(&[("docker-compose.override.yml", empty)], &["docker-compose.override.yml"]).is_empty());
        // Alone, a file not named as an override is refused by Compose.
        assert_eq!(run_files(&[("dev.yaml", empty)], &["dev.yaml"]), [("/p/dev.yaml".to_owned(), "PLC013")]);
        assert_eq!(run_files(&[("compose.yaml", empty)], &[]), [("/p/compose.yaml".to_owned(), "PLC013")]);
    }
}
