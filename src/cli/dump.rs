//! `plimsoll dump`: the parse tree, in BuildKit's test format or as JSON.

use std::path::{Path, PathBuf};

use super::{DumpArgs, DumpFormat, EXIT_ERROR, EXIT_FINDINGS, read_source};
use crate::TextRange;
use crate::compose::model::Located;
use crate::compose::project::{LoadOptions, Project, RealFs};
use crate::compose::tree::{FileId, Origin};
use crate::diagnostic::Severity;
use crate::dockerfile::{self, buildkit, syntax};
use crate::workspace::{self, FileKind};

pub(super) fn run(args: DumpArgs) -> i32 {
    let compose_files: Vec<PathBuf> = match &args.file {
        _ if !args.compose_files.is_empty() => args.compose_files.clone(),
        Some(file) if is_compose(file, args.kind) => vec![file.clone()],
        _ => Vec::new(),
    };
    if !compose_files.is_empty() {
        return compose(&args, compose_files);
    }
    let Some(path) = &args.file else {
        // No file: the current folder's project, as `docker compose config` finds it (`COMPOSE_FILE`, or
        // `compose.yaml` and its override).
        let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let files = crate::compose::project::find_project_files(&here, &RealFs);
        if files.is_empty() {
            eprintln!(
                "error: no Compose file in {} (compose.yaml, docker-compose.yml …): name a file to dump, or \
                 Compose files with -f",
                here.display()
            );
            return EXIT_ERROR;
        }
        return compose(&args, files);
    };
    let source = match read_source(path) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let file = dockerfile::parse(&source.text);
    match args.format {
        DumpFormat::Buildkit => {
            // BuildKit prints no tree for a file its parser rejects.
            let rejected: Vec<_> = file.diagnostics.iter().filter(|d| d.code == syntax::SYNTAX_ERROR).collect();
            if rejected.is_empty() {
                return super::write_stdout(&buildkit::dump(&file));
            }
            for d in rejected {
                let at = source.line_col(d.range.start);
                eprintln!("{}:{}:{}: {}", source.path.display(), at.line, at.column, d.message);
            }
            EXIT_FINDINGS
        }
        DumpFormat::Json => match serde_json::to_string_pretty(&file) {
            Ok(json) => super::write_stdout(&format!("{json}\n")),
            Err(e) => {
                eprintln!("error: cannot print the tree as JSON: {e}");
                EXIT_ERROR
            }
        },
    }
}

/// Relative paths written in a file of another folder (an `extends` or `include` target) are relative to that
/// folder; the dump shows them relative to the project folder, as Compose resolves them (it prints them
/// absolute).
fn rebase_relative_paths(model: &mut crate::compose::model::ComposeModel, project: &Project, dir: &Path) {
    let folder_of = |origin: &Origin| project.base_dir(origin.place.file);
    let rebase = |path: &mut String, origin: &Origin| {
        let is_relative = !path.is_empty()
            && !Path::new(path.as_str()).is_absolute()
            && !path.starts_with('~')
            && !path.contains("://")
            && !path.contains('$')
            && !path.starts_with("git@");
        let Some(folder) = folder_of(origin).filter(|f| is_relative && f != dir) else { return };
        *path = relative_path(dir, &folder.join(path.as_str())).display().to_string();
    };
    for service in &mut model.services {
        // No `context` is `.`, the folder of the file that wrote `build:`.
        if let Some(build) = service.build.as_mut()
            && build.context.is_none()
            && let Some(origin) = build.origin.clone()
        {
            build.context = Some(Located::new(".".to_owned(), origin));
        }
        if let Some(context) = service.build.as_mut().and_then(|b| b.context.as_mut()) {
            let origin = context.origin.clone();
            rebase(&mut context.value, &origin);
        }
        for mount in &mut service.volumes {
            let origin = mount.origin.clone();
            if mount.value.is_bind()
                && let Some(source) = &mut mount.value.source
            {
                rebase(source, &origin);
            }
        }
    }
    for resource in model.secrets.iter_mut().chain(model.configs.iter_mut()) {
        if let Some(file) = &mut resource.file {
            let origin = file.origin.clone();
            rebase(&mut file.value, &origin);
        }
    }
}

/// `to` relative to the folder `from` (both absolute), through `..` where needed; `.` for the folder itself.
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    fn clean(p: &Path) -> Vec<std::path::Component<'_>> {
        let mut out: Vec<std::path::Component<'_>> = Vec::new();
        for c in p.components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir if matches!(out.last(), Some(std::path::Component::Normal(_))) => {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        out
    }
    let (from, to) = (clean(from), clean(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() { PathBuf::from(".") } else { out }
}

fn is_compose(path: &Path, kind: Option<FileKind>) -> bool {
    match kind {
        Some(kind) => kind == FileKind::Compose,
        None => workspace::kind_of(path) == Some(FileKind::Compose) || workspace::is_yaml(path),
    }
}

/// Dumps a Compose project resolved as `docker compose config --format json` prints it. Errors found while
/// loading go to standard error with their positions; exit 1 when there are any.
fn compose(args: &DumpArgs, files: Vec<PathBuf>) -> i32 {
    if args.format == DumpFormat::Buildkit {
        eprintln!("error: the buildkit format is for Dockerfiles; use --format json for Compose files");
        return EXIT_ERROR;
    }
    for file in &files {
        if !file.is_file() {
            eprintln!("error: cannot read {}: no such file", file.display());
            return EXIT_ERROR;
        }
    }
    // `-f` paths are taken from the current folder (relative, `../`, absolute alike), and the project folder is
    // the first file's, as for `docker compose -f a -f b`.
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let files: Vec<PathBuf> = files.iter().map(|f| here.join(f)).collect();
    let dir = files[0].parent().map_or_else(|| here.clone(), Path::to_path_buf);
    let options = LoadOptions {
        files,
        dir: dir.clone(),
        env_files: args.env_file.clone(),
        use_process_env: !args.no_env,
        ..LoadOptions::default()
    };
    let (project, model) = crate::load_compose_project(&options, &RealFs);
    let mut errors = 0;
    // One line index per file, built when the file has its first error.
    let mut indexes: std::collections::HashMap<FileId, crate::LineIndex> = std::collections::HashMap::new();
    for (file, d) in &project.diagnostics {
        if d.severity != Severity::Error {
            continue;
        }
        errors += 1;
        let (path, at) = match project.file(*file) {
            Some(f) => {
                let index = indexes.entry(*file).or_insert_with(|| crate::LineIndex::new(&f.text));
                let at = index.line_col(&f.text, d.range.start, crate::ColumnEncoding::Utf8);
                (f.path.display().to_string(), at)
            }
            None => ("?".into(), crate::LineCol { line: 0, column: 0 }),
        };
        eprintln!("{path}:{}:{}: {} {}", at.line, at.column, d.code, d.message);
    }
    // Like `docker compose config`, a project with an error (an override that cannot be read or parsed …) is
    // not printed: a partial project would read as the whole one.
    if errors > 0 {
        eprintln!("error: the project has {errors} error(s); nothing printed");
        return EXIT_FINDINGS;
    }
    let Some(mut model) = model else {
        eprintln!("error: the project has no Compose content");
        return EXIT_FINDINGS;
    };
    // The project name Compose works out (COMPOSE_PROJECT_NAME, `name:`, the folder) names the default network.
    let folder_name = || {
        let canonical = std::fs::canonicalize(&dir).ok()?;
        let name: String = canonical
            .file_name()?
            .to_str()?
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .collect();
        (!name.is_empty()).then_some(name)
    };
    if let Some(name) = project.name.clone().or_else(folder_name) {
        let origin = model.name.as_ref().map(|n| n.origin.clone());
        let origin = origin.unwrap_or_else(|| Origin::new(FileId(0), TextRange::empty(0)));
        model.name = Some(Located { value: name, origin });
    }
    rebase_relative_paths(&mut model, &project, &dir);
    let json = crate::compose::dump::to_config_json(&model);
    match serde_json::to_string_pretty(&json) {
        Ok(text) => super::write_stdout(&format!("{text}\n")),
        Err(e) => {
            eprintln!("error: cannot print the project as JSON: {e}");
            EXIT_ERROR
        }
    }
}
