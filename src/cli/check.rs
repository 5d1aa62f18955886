//! `plimsoll check`: find files, lint them in parallel, report in path order.

use std::io::IsTerminal;

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::path::PathBuf;

use rayon::prelude::*;

use super::baseline;
use super::fix::{self, Change, FixMode};
use super::settings::Resolver;
use super::{CheckArgs, ColorChoice, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, read_source, write_stdout};
use crate::compose::project::{self, LoadOptions, Overlay, RealFs};
use crate::config::FailOn;
use crate::diagnostic::{Diagnostic, Severity};
use crate::render::{Format, RenderContext, concise, human};
use crate::workspace::{self, FileKind, Target};
use crate::{FileReport, SourceFile};

pub(super) fn run(args: CheckArgs) -> i32 {
    let started = std::time::Instant::now();
    let paths = if args.paths.is_empty() { vec![".".into()] } else { args.paths.clone() };
    let options = workspace::DiscoverOptions {
        forced: args.kind,
        exclude: args.exclude.clone(),
        follow_links: args.follow_links,
        stdin_filename: args.stdin_filename.clone(),
    };
    let (targets, errors) = match workspace::discover(&paths, &options) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let mut failed = false;
    for e in &errors {
        eprintln!("error: {}: {}", e.path.display(), e.message);
        failed = true;
    }
    for folder in paths.iter().filter(|p| p.is_dir()) {
        if !targets.iter().any(|t| t.path.starts_with(folder)) {
            eprintln!("warning: {}: no Dockerfile, Containerfile or Compose file found", folder.display());
        }
    }
    // With nothing to lint, a text report would only say "0 files": the lines above say what happened. Machine
    // formats still write their (empty) document, which a CI step may expect to upload, and a baseline is written
    // empty.
    let writes_document = !matches!(args.format, Format::Human | Format::Concise) || args.write_baseline.is_some();
    if targets.is_empty() && !writes_document && !args.statistics {
        return if failed { EXIT_ERROR } else { EXIT_CLEAN };
    }

    let selectors = args.select.iter().flatten().chain(&args.extend_select).chain(&args.ignore);
    for bad in selectors.filter(|s| !crate::rules::is_known_selector(s)) {
        eprintln!("warning: {}", crate::rules::unknown_selector_message(bad));
    }
    let mut resolver = match Resolver::new(&args) {
        Ok(r) => r,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let baseline = match baseline::load(args.baseline.as_deref()) {
        Ok(b) => b,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let mut units = Vec::new();
    for unit in work_units(&targets, &args) {
        let anchor = match &unit {
            Unit::Dockerfile(path) if path.as_os_str() == "-" => stdin_name(&args, "Dockerfile"),
            Unit::Dockerfile(path) => path.clone(),
            Unit::Compose(options, _) => options.dir.join("compose.yaml"),
        };
        match resolver.for_file(&anchor) {
            Ok(settings) => units.push((unit, settings)),
            Err(message) => {
                eprintln!("error: {message}");
                return EXIT_ERROR;
            }
        }
    }
    for warning in resolver.take_warnings() {
        eprintln!("warning: {warning}");
    }
    let fixing = args.fix || args.diff;
    let mode = FixMode { unsafe_fixes: args.unsafe_fixes };
    // Many Dockerfiles of one repository share RUN scripts (templated variants, matrix builds): each worker keeps
    // the shell parse of the scripts it has seen.
    rayon::broadcast(|_| crate::shell::cache_parses_on_this_thread());
    let results: Vec<Result<Vec<Checked>, String>> = units
        .par_iter()
        .map(|(unit, settings)| match unit {
            Unit::Dockerfile(path) => {
                let mut source = read_source(path)?;
                let from_stdin = path.as_os_str() == "-";
                if from_stdin {
                    source.path = stdin_name(&args, "Dockerfile");
                }
                // A Dockerfile re-lints alone.
                let lint = |source: &SourceFile| {
                    let mut diagnostics = crate::lint_dockerfile_with(source, &settings.selection, &settings.settings);
                    settings.apply_severities(&mut diagnostics);
                    diagnostics
                };
                let diagnostics = lint(&source);
                if !fixing {
                    return Ok(vec![(FileReport { source, diagnostics }, settings.fail_on, None)]);
                }
                let (report, change) = fix::fix_file(source, diagnostics, mode, lint);
                Ok(vec![(report, settings.fail_on, Some(change))])
            }
            // A Compose project re-lints as a whole: a fix in one file can change findings in another.
            Unit::Compose(options, stdin) => {
                let mut overlay = Overlay { base: &RealFs, files: BTreeMap::new() };
                if let Some((path, text)) = stdin {
                    overlay.insert(path, text.clone());
                }
                let lint = |fs: &dyn project::FileSource| {
                    let mut reports =
                        crate::lint_compose_project_with(options, fs, &settings.selection, &settings.settings);
                    for report in &mut reports {
                        settings.apply_severities(&mut report.diagnostics);
                    }
                    reports
                };
                if !fixing {
                    return Ok(lint(&overlay).into_iter().map(|r| (r, settings.fail_on, None)).collect());
                }
                // Fixing standard input fixes that text alone: the other files of its project are not written.
                let only_stdin = |fs: &dyn project::FileSource| {
                    let mut reports = lint(fs);
                    if let Some((named, _)) = stdin {
                        let others = reports.iter_mut().filter(|r| r.source.path != *named);
                        others.flat_map(|r| r.diagnostics.iter_mut()).for_each(|d| d.fix = None);
                    }
                    reports
                };
                let fixed = fix::fix_project(&overlay, mode, only_stdin);
                Ok(fixed.into_iter().map(|(r, change)| (r, settings.fail_on, Some(change))).collect())
            }
        })
        .collect();

    // A file several projects read (a shared base file) is reported once.
    let mut by_path: BTreeMap<PathBuf, Checked> = BTreeMap::new();
    for result in results {
        match result {
            Ok(reports) => {
                for (report, fail_on, change) in reports {
                    match by_path.entry(report.source.path.clone()) {
                        Entry::Vacant(slot) => {
                            slot.insert((report, fail_on, change));
                        }
                        Entry::Occupied(mut slot) => {
                            let existing = &mut slot.get_mut().0.diagnostics;
                            for d in report.diagnostics {
                                if !existing.contains(&d) {
                                    existing.push(d);
                                }
                            }
                            existing.sort_by_key(|d| (d.range.start, d.range.end, d.code));
                        }
                    }
                }
            }
            Err(message) => {
                eprintln!("error: {message}");
                failed = true;
            }
        }
    }

    if let Some(path) = &args.write_baseline {
        if failed {
            eprintln!("error: {} was not written: some files could not be checked", path.display());
            return EXIT_ERROR;
        }
        return baseline::write(path, by_path.values().map(|(report, ..)| report));
    }
    if args.diff {
        let mut diffs = String::new();
        let mut would_fix = 0;
        for (report, _, change) in by_path.values() {
            if let Some(change) = change {
                let path = report.source.path.display().to_string();
                diffs.push_str(&fix::unified_diff(&path, &change.original, &report.source.text));
                would_fix += change.fixed;
            }
        }
        let written = write_stdout(&diffs);
        match would_fix {
            0 => eprintln!("No fixes to apply."),
            1 => eprintln!("Would fix 1 finding."),
            n => eprintln!("Would fix {n} findings."),
        }
        return if failed || written != EXIT_CLEAN {
            EXIT_ERROR
        } else if would_fix > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        };
    }
    // `--fix` on standard input writes the fixed text to standard output (as ruff does) and the report to
    // standard error; no file is written for it.
    let stdin_path = targets.iter().find(|t| t.path.as_os_str() == "-").map(|t| match t.kind {
        FileKind::Dockerfile => stdin_name(&args, "Dockerfile"),
        FileKind::Compose => stdin_name(&args, "compose.yaml"),
    });
    let mut fixed = 0;
    let mut fixed_stdin = None;
    if args.fix {
        for (report, _, change) in by_path.values() {
            let Some(change) = change else { continue };
            fixed += change.fixed;
            let path = &report.source.path;
            if stdin_path.as_ref() == Some(path) {
                fixed_stdin = Some(report.source.text.clone());
                continue;
            }
            if change.original == report.source.text {
                continue;
            }
            if let Err(e) = std::fs::write(path, &report.source.text) {
                eprintln!("error: cannot write {}: {}", path.display(), workspace::io_message(&e));
                failed = true;
            }
        }
    }

    // Known findings go before anything counts them: the report, the summary and the exit code see only new ones.
    let left_out = baseline.as_ref().map(|b| baseline::apply(b, by_path.values_mut().map(|(report, ..)| report)));

    // The two text formats print file by file and end with the summary; the others are whole documents.
    let text_format = matches!(args.format, Format::Human | Format::Concise);
    let ctx = RenderContext::new(by_path.len(), std::env::current_dir().unwrap_or_default());
    let env_flag = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = wants_colour(args.color, terminal, env_flag("FORCE_COLOR"), env_flag("NO_COLOR"));
    let mut out = String::new();
    let (mut errors, mut warnings, mut infos, mut checked) = (0, 0, 0, 0);
    let (mut fixable, mut hidden_unsafe) = (0, 0);
    let mut failing = false;
    for (report, fail_on, _) in by_path.values() {
        checked += 1;
        failing |= report.diagnostics.iter().any(|d| fail_on.fails(d.severity));
        for d in &report.diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Info => infos += 1,
            }
            match &d.fix {
                Some(f) if mode.allows(f) => fixable += 1,
                Some(_) => hidden_unsafe += 1,
                None => {}
            }
        }
        match args.format {
            Format::Human => {
                let (source, diagnostics) = (&report.source, &report.diagnostics);
                human::render_file_with_fixes(
                    &mut out,
                    source,
                    diagnostics,
                    color,
                    crate::code_name,
                    args.unsafe_fixes,
                );
            }
            Format::Concise => concise::render_file(&mut out, report, &ctx),
            _ => {}
        }
    }
    if args.statistics {
        let all = by_path.values().flat_map(|(report, ..)| report.diagnostics.iter());
        out = statistics(all, args.format == Format::Json);
    } else if !text_format {
        // Machine formats: paths relative to the current directory, no summary.
        let reports: Vec<FileReport> = by_path.into_values().map(|(report, ..)| report).collect();
        out = args.format.render(&reports, &ctx).unwrap_or_default();
    } else if !args.quiet {
        let summary = human::summary(errors, warnings, infos, checked);
        out.push_str(&human::with_time(&summary, started.elapsed()));
        if args.fix {
            out.push_str(&human::fixed_summary(fixed, errors + warnings + infos));
            // What is left that --fix could take is only what needs --unsafe-fixes.
            out.push_str(&human::fixable_summary(0, hidden_unsafe));
        } else {
            out.push_str(&human::fixable_summary(fixable, hidden_unsafe));
        }
        if let Some(n) = left_out {
            out.push_str(&baseline::left_out_summary(n));
        }
    }
    if let Some(n) = left_out
        && (args.statistics || !text_format)
    {
        // Machine formats and statistics hold only the findings: the note goes to standard error.
        eprint!("{}", baseline::left_out_summary(n));
    }
    let written = match &args.output {
        // The fixed text takes standard output, so the report goes to standard error.
        None if fixed_stdin.is_some() => {
            eprint!("{out}");
            EXIT_CLEAN
        }
        None => write_stdout(&out),
        Some(path) => std::fs::write(path, &out).map_or_else(
            |e| {
                eprintln!("error: cannot write {}: {}", path.display(), workspace::io_message(&e));
                EXIT_ERROR
            },
            |()| EXIT_CLEAN,
        ),
    };
    let written = match fixed_stdin {
        Some(text) if written == EXIT_CLEAN => write_stdout(&text),
        _ => written,
    };
    if written != EXIT_CLEAN {
        return EXIT_ERROR;
    }
    if failed {
        EXIT_ERROR
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Whether to colour the report. With `--color auto`, `FORCE_COLOR` (any non-empty value, as force-color.org
/// has it) colours even a pipe or a file (CI logs render it), `NO_COLOR` turns colour off, and otherwise only a
/// terminal gets colour. `--color always|never` wins over both variables.
fn wants_colour(choice: ColorChoice, terminal: bool, force_color: bool, no_color: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => force_color || (!no_color && terminal),
    }
}

/// `--statistics`: how many findings each code has, most first (then by code), and how many of them `--fix` can
/// fix; a text table, or a JSON array.
fn statistics<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>, json: bool) -> String {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for d in diagnostics {
        let entry = counts.entry(d.code).or_default();
        entry.0 += 1;
        entry.1 += usize::from(d.fix.is_some());
    }
    let mut rows: Vec<(&str, usize, usize)> = counts.into_iter().map(|(c, (n, f))| (c, n, f)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(code, count, fixable)| {
                serde_json::json!({"code": code, "name": crate::code_name(code), "count": count, "fixable": fixable})
            })
            .collect();
        return format!("{}\n", serde_json::Value::Array(list));
    }
    let width = rows.iter().map(|r| r.1.to_string().len()).max().unwrap_or(1);
    let mut out = String::new();
    for (code, count, fixable) in rows {
        let mark = if fixable > 0 { format!(" ({fixable} fixable)") } else { String::new() };
        out.push_str(&format!("{count:>width$}\t{code}\t{}{mark}\n", crate::code_name(code)));
    }
    out
}

/// A file's findings, the threshold they fail at, and what fixing did to it (`None`: not fixed).
type Checked = (FileReport, FailOn, Option<Change>);

/// One piece of work: a Dockerfile, or a Compose project (a folder's default files, or one other file).
enum Unit {
    /// A Dockerfile's path, or `-` for standard input.
    Dockerfile(PathBuf),
    /// With the path and text of a file read from standard input (`check --stdin-filename compose.yaml -`).
    Compose(LoadOptions, Option<(PathBuf, String)>),
}

/// The name standard input stands for: `--stdin-filename`, or `default`.
fn stdin_name(args: &CheckArgs, default: &str) -> PathBuf {
    args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from(default))
}

/// Groups Compose files into projects by folder: the folder's default files (`compose.yaml` and its override)
/// load together, as `docker compose` would; any other Compose file loads on its own.
fn work_units(targets: &[Target], args: &CheckArgs) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut by_dir: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let options = |dir: &PathBuf, files: Vec<PathBuf>| LoadOptions {
        files,
        dir: dir.clone(),
        env_files: args.env_file.clone(),
        use_process_env: !args.no_env,
        ..LoadOptions::default()
    };
    for target in targets {
        if target.kind == FileKind::Compose && target.path.as_os_str() == "-" {
            // A Compose file on standard input loads as the file it names, among the files beside that name.
            let named = stdin_name(args, "compose.yaml");
            let dir = named.parent().map(PathBuf::from).unwrap_or_default();
            let name = named.file_name().map(PathBuf::from).unwrap_or_default();
            let text = match read_source(&target.path) {
                Ok(source) => source.text,
                Err(message) => {
                    eprintln!("error: {message}");
                    String::new()
                }
            };
            units.push(Unit::Compose(options(&dir, vec![name]), Some((named, text))));
            continue;
        }
        match target.kind {
            FileKind::Dockerfile => units.push(Unit::Dockerfile(target.path.clone())),
            FileKind::Compose => {
                let dir = target.path.parent().map(PathBuf::from).unwrap_or_default();
                by_dir.entry(dir).or_default().push(target.path.clone());
            }
        }
    }
    for (dir, files) in by_dir {
        let defaults = project::find_project_files(&dir, &RealFs);
        // `defaults` are `dir` joined with a default name, as the targets in `files` are.
        let is_default = |f: &PathBuf| defaults.contains(f);
        if files.iter().any(is_default) {
            units.push(Unit::Compose(options(&dir, Vec::new()), None));
        }
        for file in files.iter().filter(|f| !is_default(f)) {
            let name = file.file_name().map(PathBuf::from).unwrap_or_default();
            units.push(Unit::Compose(options(&dir, vec![name]), None));
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn force_color_and_no_color_decide_auto_only() {
        use ColorChoice::*;
        assert!(wants_colour(Auto, true, false, false));
        assert!(!wants_colour(Auto, false, false, false));
        assert!(wants_colour(Auto, false, true, false), "FORCE_COLOR colours a pipe");
        assert!(wants_colour(Auto, true, true, true), "FORCE_COLOR wins over NO_COLOR");
        assert!(!wants_colour(Auto, true, false, true));
        assert!(!wants_colour(Never, true, true, false));
        assert!(wants_colour(Always, false, false, true));
    }
}
