//! The command line: argument parsing, the commands, exit codes (0 clean, 1 findings, 2 usage or I/O error).

mod baseline;
mod check;
mod dump;
mod fix;
mod rules;
pub(crate) mod settings;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::render::Format;
use crate::workspace::FileKind;

/// Exit code: no findings.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: findings.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage, configuration or I/O error.
pub const EXIT_ERROR: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "plimsoll",
    version,
    about = "Lint Dockerfiles and Compose files for what makes a container unsafe to ship"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint files and folders (the default command; `.` when no path is given).
    Check(CheckArgs),
    /// Print a file's parse tree.
    Dump(DumpArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Print a rule's page: what it flags, why, examples, the fix.
    Explain(ExplainArgs),
    /// Run the language server on standard input and output (for editors).
    Lsp,
    /// Print a shell completion script (`plimsoll completions bash > /etc/bash_completion.d/plimsoll`).
    Completions(CompletionsArgs),
}

#[derive(Debug, clap::Args)]
struct CompletionsArgs {
    /// The shell to complete for.
    shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
struct ExplainArgs {
    /// A rule code (`PLD201`) or name (`root-user`).
    rule: String,
}

#[derive(Debug, Default, clap::Args)]
struct CheckArgs {
    /// Files or folders to lint. Folders are searched for Dockerfiles, Containerfiles and Compose files.
    paths: Vec<PathBuf>,
    /// Read every named file as this kind, whatever its name.
    #[arg(long, value_enum)]
    kind: Option<FileKind>,
    /// Rules to run, by code, name, code prefix (`PLD2`) or category (comma-separated; default: all but opt-in).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Option<Vec<String>>,
    /// Rules to run besides the selected ones (turns on opt-in rules).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    extend_select: Vec<String>,
    /// Rules not to run, by code, name, code prefix or category (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,
    /// Use this configuration file (plimsoll.toml, or a .hadolint.yaml) for every file.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    no_config: bool,
    /// Exit with 1 when a finding is at least this severe (default: from the configuration, else any finding).
    #[arg(long, value_enum)]
    fail_on: Option<FailOnArg>,
    /// Read variables for Compose interpolation from this file instead of each project's `.env` (repeatable).
    #[arg(long, value_name = "FILE")]
    env_file: Vec<PathBuf>,
    /// Ignore the process environment when interpolating Compose files, so results do not depend on the shell.
    #[arg(long)]
    no_env: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Apply the safe fixes (and the unsafe ones with --unsafe-fixes), write the files, report what remains.
    #[arg(long)]
    fix: bool,
    /// Take unsafe fixes too (they may change what the build does): applied with --fix or --diff, shown as
    /// available otherwise.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print what --fix would change as a unified diff and write nothing (exit 1 when something would change).
    #[arg(long)]
    diff: bool,
    /// Leave out of folder walks the files and folders matching these gitignore-style globs (comma-separated,
    /// repeatable). Files named on the command line are always linted.
    #[arg(long, value_delimiter = ',', value_name = "GLOBS")]
    exclude: Vec<String>,
    /// Print how many findings each rule has instead of the findings (with `--format json`, as JSON).
    #[arg(long)]
    statistics: bool,
    /// Print only the findings: no summary, and nothing at all when there are none.
    #[arg(short, long)]
    quiet: bool,
    /// Follow symbolic links while walking folders.
    #[arg(long)]
    follow_links: bool,
    /// The file name standard input (`-`) stands for: it gives the kind, the configuration and the reported path.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Output format: `human` for people, `concise` for one line a finding; the others for CI, code scanning and
    /// review bots.
    #[arg(long, visible_alias = "output-format", value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Report only findings this baseline file (see --write-baseline) does not record; the exit code counts only
    /// those.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record today's findings in this baseline file (paths relative to its folder), report nothing, exit 0.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "fix", "diff", "statistics", "output"])]
    write_baseline: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOnArg {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
struct DumpArgs {
    /// The file to dump (`-` for standard input). A Compose file dumps as its resolved project.
    file: Option<PathBuf>,
    /// Compose files of one project, merged in order (as `docker compose -f a -f b`).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    compose_files: Vec<PathBuf>,
    /// Read the file as this kind, whatever its name.
    #[arg(long, value_enum)]
    kind: Option<FileKind>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DumpFormat::Json)]
    format: DumpFormat,
    /// Read Compose variables from this file instead of the project's `.env` (repeatable).
    #[arg(long, value_name = "FILE")]
    env_file: Vec<PathBuf>,
    /// Ignore the process environment when interpolating Compose files.
    #[arg(long)]
    no_env: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DumpFormat {
    /// BuildKit's parser test format: one S-expression per instruction.
    Buildkit,
    /// A Dockerfile's syntax tree with byte ranges; a Compose project resolved, in the shape of
    /// `docker compose config --format json`.
    Json,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse_from(with_default_command(std::env::args_os().collect())) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_CLEAN };
            let _ = e.print();
            return code;
        }
    };
    match cli.command.unwrap_or(Command::Check(CheckArgs::default())) {
        Command::Check(args) => check::run(args),
        Command::Dump(args) => dump::run(args),
        Command::Rules(args) => rules::list(args),
        Command::Explain(args) => rules::explain(args),
        Command::Completions(args) => {
            let mut out = Vec::new();
            clap_complete::generate(args.shell, &mut <Cli as clap::CommandFactory>::command(), "plimsoll", &mut out);
            write_stdout(&String::from_utf8_lossy(&out))
        }
        Command::Lsp => crate::lsp::stdio(),
    }
}

/// `check` is the default command: when the first argument names no command (`plimsoll examples/`, `plimsoll
/// --select PLD2 .`), `check` is put before it. `--help`, `--version` and `help` keep their meaning.
fn with_default_command(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let Some(first) = args.get(1) else { return args };
    let first = first.to_str().unwrap_or_default();
    let command = <Cli as clap::CommandFactory>::command();
    let is_command = first == "help" || command.get_subcommands().any(|c| c.get_name() == first);
    let is_top_level_flag = matches!(first, "-h" | "--help" | "-V" | "--version");
    if !is_command && !is_top_level_flag {
        args.insert(1, "check".into());
    }
    args
}

/// Reads a file, or standard input for `-`, decoding invalid UTF-8 lossily.
fn read_source(path: &std::path::Path) -> Result<crate::SourceFile, String> {
    use std::io::Read;
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("cannot read standard input: {e}"))?;
        buf
    } else {
        std::fs::read(path)
            .map_err(|e| format!("cannot read {}: {}", path.display(), crate::workspace::io_message(&e)))?
    };
    if bytes.len() > crate::source::MAX_FILE_SIZE {
        return Err(format!("{} is larger than 4 GiB", path.display()));
    }
    Ok(crate::SourceFile::from_bytes(path, &bytes))
}

/// Writes to standard output; a reader that went away (`| head`) ends the output quietly.
pub(crate) fn write_stdout(text: &str) -> i32 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_CLEAN,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(e) => {
            eprintln!("error: cannot write the output: {e}");
            EXIT_ERROR
        }
    }
}
