//! `plimsoll dump`: the parse tree, in BuildKit's test format or as JSON.

use std::path::{Path, PathBuf};

use super::{DumpArgs, DumpFormat, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, read_source};
use crate::TextRange;
use crate::compose::model::Located;
use crate::compose::project::{LoadOptions, RealFs};
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
        eprintln!("error: name a file to dump (or Compose files with -f)");
        return EXIT_ERROR;
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
    // The project folder is the first file's, as for `docker compose -f`.
    let dir =
        files[0].parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let files = files.iter().map(|f| f.file_name().map(PathBuf::from).unwrap_or_default()).collect();
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
    let json = crate::compose::dump::to_config_json(&model);
    let written = match serde_json::to_string_pretty(&json) {
        Ok(text) => super::write_stdout(&format!("{text}\n")),
        Err(e) => {
            eprintln!("error: cannot print the project as JSON: {e}");
            return EXIT_ERROR;
        }
    };
    if written != EXIT_CLEAN {
        written
    } else if errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
