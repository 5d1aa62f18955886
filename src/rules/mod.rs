//! The rule engine: rule metadata, the registry, selection, and running rules over a parsed file.
//!
//! A rule is one file (`dockerfile/<name>.rs`, `compose/<name>.rs`): a [`Rule`] with its metadata, a check
//! function, and pass/fail tests. Its page `lints/<CODE>-<name>.md` is embedded in the binary, printed by
//! `plimsoll explain`, and its examples are run by a test, so the catalog cannot drift from the code.
//! Rules are pure: they read the parsed file and the settings, and push diagnostics.

pub mod compose;
pub mod dockerfile;
pub mod project;
pub(crate) mod secrets;

use std::cell::OnceCell;
use std::path::Path;
use std::sync::LazyLock;

use serde::Serialize;

use crate::compose::builds::BuildLink;
use crate::compose::model::ComposeModel;
use crate::compose::project::Project;
use crate::compose::tree::{FileId, Origin, Place, Via};
use crate::diagnostic::{Diagnostic, Elsewhere, Label, Severity};
use crate::dockerfile::{Dockerfile, Instruction};
use crate::shell::Script;
use crate::source::{ColumnEncoding, LineIndex, SourceFile, TextRange};

/// What a rule reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Dockerfile,
    Compose,
    /// A Compose service together with the Dockerfile it builds.
    Project,
}

/// Rule groups, one per hundred of the code (`PLD2xx` is `Privilege`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// 1xx: images and supply chain.
    SupplyChain,
    /// 2xx: users and privilege.
    Privilege,
    /// 3xx: capabilities, isolation and host access.
    Isolation,
    /// 4xx: secrets.
    Secrets,
    /// 5xx: network exposure.
    Exposure,
    /// 6xx: build hygiene and reproducibility.
    Hygiene,
    /// 7xx: correctness.
    Correctness,
    /// 8xx: style.
    Style,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::SupplyChain,
        Category::Privilege,
        Category::Isolation,
        Category::Secrets,
        Category::Exposure,
        Category::Hygiene,
        Category::Correctness,
        Category::Style,
    ];

    /// The category of a code such as `PLD201`, from its hundreds digit.
    pub fn of_code(code: &str) -> Option<Category> {
        let digit = code.as_bytes().get(3)?;
        Some(match digit {
            b'1' => Category::SupplyChain,
            b'2' => Category::Privilege,
            b'3' => Category::Isolation,
            b'4' => Category::Secrets,
            b'5' => Category::Exposure,
            b'6' => Category::Hygiene,
            b'7' => Category::Correctness,
            b'8' => Category::Style,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Category::SupplyChain => "supply-chain",
            Category::Privilege => "privilege",
            Category::Isolation => "isolation",
            Category::Secrets => "secrets",
            Category::Exposure => "exposure",
            Category::Hygiene => "hygiene",
            Category::Correctness => "correctness",
            Category::Style => "style",
        }
    }
}

/// Whether a rule offers fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// The same check in other tools, by their ids.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Equivalents {
    pub hadolint: &'static [&'static str],
    pub buildkit: &'static [&'static str],
    pub cis: &'static [&'static str],
    pub compose_lint: &'static [&'static str],
    pub kics: &'static [&'static str],
}

impl Equivalents {
    pub const NONE: Equivalents = Equivalents { hadolint: &[], buildkit: &[], cis: &[], compose_lint: &[], kics: &[] };
}

/// Everything about a rule but its check.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RuleMeta {
    /// `PLD101`.
    pub code: &'static str,
    /// Kebab-case, named after the bad pattern (`latest-base-image`), so that ignoring it reads "allow X".
    pub name: &'static str,
    /// One line: what it flags.
    pub summary: &'static str,
    pub severity: Severity,
    pub target: Target,
    pub fix: FixAvailability,
    /// Off unless selected by code, name or prefix (`ALL` and categories do not turn it on).
    pub opt_in: bool,
    pub equivalents: Equivalents,
    /// The rule's page in `lints/`, Markdown.
    #[serde(skip)]
    pub page: &'static str,
}

impl RuleMeta {
    pub fn category(&self) -> Category {
        // Codes are checked by a test to have a valid hundreds digit.
        Category::of_code(self.code).unwrap_or(Category::Correctness)
    }

    /// A finding of this rule at its default severity (the engine applies overrides later).
    pub fn diagnostic(&self, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, range, message)
    }
}

/// What the rules may read besides the file: settings from the configuration.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Registries (and `registry/path` globs) base images may come from; empty means any.
    pub trusted_registries: Vec<String>,
}

/// A Dockerfile and what its rules may read.
pub struct DockerfileContext<'a> {
    pub file: &'a Dockerfile,
    pub source: &'a SourceFile,
    pub settings: &'a Settings,
    /// The shell scripts of every RUN, parsed on first use and shared by all rules.
    run_scripts: OnceCell<Vec<(&'a Instruction, Vec<Script>)>>,
}

impl<'a> DockerfileContext<'a> {
    pub fn new(file: &'a Dockerfile, source: &'a SourceFile, settings: &'a Settings) -> Self {
        DockerfileContext { file, source, settings, run_scripts: OnceCell::new() }
    }

    /// Every RUN (and ONBUILD RUN) with its shell scripts; RUNs in a stage whose SHELL is not POSIX are left out.
    /// Parsed once per file, however many rules read them.
    pub fn run_scripts(&self) -> &[(&'a Instruction, Vec<Script>)] {
        self.run_scripts.get_or_init(|| dockerfile::run_scripts::run_scripts(self.file))
    }
}

pub type DockerfileCheck = fn(&DockerfileContext<'_>, &mut Vec<Diagnostic>);

/// A Compose finding: the project file it is in, and the diagnostic.
pub type ComposeFinding = (FileId, Diagnostic);

/// A loaded Compose project and what its rules may read.
pub struct ComposeContext<'a> {
    pub project: &'a Project,
    pub model: &'a ComposeModel,
    pub settings: &'a Settings,
    /// The Dockerfile of each service that has `build:`, in service order (for the cross-file rules).
    pub builds: &'a [BuildLink],
}

impl ComposeContext<'_> {
    /// A finding on a value, at the place it is used: where it is written, or the alias, merge key, `extends` or
    /// `include` that brought it there, with a label at its definition in that case. An interpolated value
    /// names its variable in the message; one holding the empty string of an unset variable says the finding
    /// holds when that variable is unset, with a label at the variable (see [`ComposeContext::when_unset`]).
    pub fn finding(&self, meta: &RuleMeta, origin: &Origin, message: impl Into<String>) -> ComposeFinding {
        let at = origin.use_place();
        let mut message = message.into();
        let unset: Vec<&str> = origin.unset().map(|(name, _, _)| name).collect();
        for via in &origin.via {
            if let Via::Interpolation { variable, .. } = via
                && !unset.contains(&variable.as_str())
            {
                message.push_str(&format!(" (from `${{{variable}}}`)"));
            }
        }
        let mut d = meta.diagnostic(at.range, message);
        self.when_unset(at.file, origin, &mut d);
        if at != origin.place {
            let how = origin.via.iter().rev().find_map(|v| match v {
                Via::Alias { .. } => Some("the value is defined here, under an anchor"),
                Via::MergeKey { .. } => Some("the value is defined here and merged in with `<<`"),
                Via::Extends { .. } => Some("the value is defined here and inherited through `extends`"),
                Via::Include { .. } => Some("the value is defined here, in an included file"),
                Via::Interpolation { .. } | Via::Unset { .. } => None,
            });
            d.labels.push(self.label(at.file, origin.place, how.unwrap_or("the value is defined here")));
        }
        (at.file, d)
    }

    /// For a finding (in file `finding_file`) that holds because the value `origin` is what Compose uses with
    /// its unset variables replaced by empty strings: the message starts with "when `X` is unset, ", and a label
    /// points at each variable. Nothing when the value holds no unset variable.
    pub fn when_unset(&self, finding_file: FileId, origin: &Origin, d: &mut Diagnostic) {
        let mut names: Vec<&str> = Vec::new();
        for (name, place, _) in origin.unset() {
            if !names.contains(&name) {
                names.push(name);
            }
            if !d.labels.iter().any(|l| l.range == place.range && l.message.contains(&format!("`{name}`"))) {
                let label = format!("`{name}` is not set: Compose puts an empty string here");
                d.labels.push(self.label(finding_file, place, label));
            }
        }
        if names.is_empty() {
            return;
        }
        let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        let (list, verb) = match list.as_slice() {
            [one] => (one.clone(), "is"),
            [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "are"),
            [] => return,
        };
        d.message = format!("when {list} {verb} unset, {}", d.message);
    }

    /// A label at `place` for a finding in file `finding_file`: plain when both are in the same file, else
    /// naming the other file with the line and column there.
    pub fn label(&self, finding_file: FileId, place: Place, message: impl Into<String>) -> Label {
        let mut label = Label::new(place.range, message);
        if place.file != finding_file
            && let Some(file) = self.project.file(place.file)
        {
            label.elsewhere = Some(elsewhere(&file.path, &file.text, place.range));
        }
        label
    }
}

/// A place in another file, with the line and column of its ends there.
pub fn elsewhere(path: &Path, text: &str, range: TextRange) -> Elsewhere {
    let index = LineIndex::new(text);
    Elsewhere {
        path: path.to_path_buf(),
        start: index.line_col(text, range.start, ColumnEncoding::Utf8),
        end: index.line_col(text, range.end, ColumnEncoding::Utf8),
    }
}

pub type ComposeCheck = fn(&ComposeContext<'_>, &mut Vec<ComposeFinding>);

/// How a rule checks.
#[derive(Clone, Copy)]
pub enum Check {
    Dockerfile(DockerfileCheck),
    /// A Compose project (the merged model), and for cross-file rules the Dockerfiles its services build.
    Compose(ComposeCheck),
}

/// A rule: its metadata and its check.
#[derive(Clone, Copy)]
pub struct Rule {
    pub meta: RuleMeta,
    pub check: Check,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.meta.code).field("name", &self.meta.name).finish()
    }
}

static ALL: LazyLock<Vec<Rule>> = LazyLock::new(|| [dockerfile::RULES, compose::RULES, project::RULES].concat());

/// Every rule: Dockerfile rules, then Compose and cross-file rules, each in code order.
pub fn all() -> &'static [Rule] {
    &ALL
}

/// The rule with this code or name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    all().iter().find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name == code_or_name)
}

/// The rules that stand for another tool's check: a hadolint code (`DL3002`), a BuildKit check name, a
/// compose-lint id (`CL-0001`), a CIS item or a KICS query name, compared without regard to case.
pub fn standing_for(code: &str) -> Vec<&'static Rule> {
    all()
        .iter()
        .filter(|r| {
            let e = &r.meta.equivalents;
            [e.hadolint, e.buildkit, e.compose_lint, e.cis, e.kics]
                .iter()
                .any(|list| list.iter().any(|c| c.eq_ignore_ascii_case(code)))
        })
        .collect()
}

/// The code or name closest to a mistyped selector (`root-usr` → `root-user`, `PLD2O1` → `PLD201`), when one is
/// close enough to be what was meant: at most two edits away, and fewer than half the selector's length.
pub fn did_you_mean(selector: &str) -> Option<&'static str> {
    let codes = crate::dockerfile::syntax::CODES.iter().chain(crate::compose::CODES).flat_map(|(c, n)| [*c, *n]);
    let rules = all().iter().flat_map(|r| [r.meta.code, r.meta.name]);
    let categories = Category::ALL.iter().map(|c| c.name());
    let lower = selector.to_ascii_lowercase();
    rules
        .chain(codes)
        .chain(categories)
        .map(|candidate| (edit_distance(&lower, &candidate.to_ascii_lowercase()), candidate))
        .filter(|&(d, _)| d > 0 && d <= 2 && d * 2 < selector.chars().count())
        .min_by_key(|&(d, _)| d)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The metadata of the rule, or of the switchable loader code (`PLC015` …), with this code or name: what
/// pragmas, `explain` and the selection read.
pub fn find_meta(code_or_name: &str) -> Option<&'static RuleMeta> {
    find(code_or_name).map(|r| &r.meta).or_else(|| crate::compose::checks::find_switchable(code_or_name))
}

/// The metadata of any code plimsoll prints, with its page: a rule, a switchable loader code, or a parser or
/// loader code that cannot be switched off (`crate::pages`). What `explain` and the formats' links read.
pub fn find_page(code_or_name: &str) -> Option<&'static RuleMeta> {
    find_meta(code_or_name).or_else(|| crate::pages::find(code_or_name))
}

/// Whether a selector names this rule: `ALL`, its code, its name, a code prefix (`PLD2`, `PLD`) or its category.
pub fn selector_matches(selector: &str, meta: &RuleMeta) -> bool {
    let upper = selector.to_ascii_uppercase();
    upper == "ALL"
        || meta.name == selector
        || (upper.starts_with("PL") && meta.code.starts_with(&upper))
        || meta.category().name() == selector
        || is_hadolint_code(&upper) && meta.equivalents.hadolint.contains(&upper.as_str())
}

/// hadolint's `DL` codes (2.15.1), and the ones it retired (DL3005, DL3017, DL3031, DL3039), which old
/// configurations still name.
const HADOLINT_CODES: &[&str] = &[
    "DL1001", "DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3005", "DL3006", "DL3007", "DL3008", "DL3009",
    "DL3010", "DL3011", "DL3012", "DL3013", "DL3014", "DL3015", "DL3016", "DL3017", "DL3018", "DL3019", "DL3020",
    "DL3021", "DL3022", "DL3023", "DL3024", "DL3025", "DL3026", "DL3027", "DL3028", "DL3029", "DL3030", "DL3031",
    "DL3032", "DL3033", "DL3034", "DL3035", "DL3036", "DL3037", "DL3038", "DL3039", "DL3040", "DL3041", "DL3042",
    "DL3043", "DL3044", "DL3045", "DL3046", "DL3047", "DL3048", "DL3049", "DL3050", "DL3051", "DL3052", "DL3053",
    "DL3054", "DL3055", "DL3056", "DL3057", "DL3058", "DL3059", "DL3060", "DL3061", "DL3062", "DL3063", "DL3064",
    "DL3065", "DL3066", "DL3067", "DL4000", "DL4001", "DL4003", "DL4004", "DL4005", "DL4006",
];

/// `DL3002`, `SC2086`: hadolint's codes and ShellCheck's (which hadolint reports), accepted in selectors and
/// pragmas so hadolint configurations keep working (a code with no plimsoll equivalent selects nothing). A `DL`
/// code hadolint never had (`DL9999`) is unknown, as a mistyped plimsoll code is.
fn is_hadolint_code(upper: &str) -> bool {
    let shellcheck = upper.starts_with("SC") && upper.len() == 6 && upper[2..].bytes().all(|b| b.is_ascii_digit());
    shellcheck || HADOLINT_CODES.contains(&upper)
}

/// What plimsoll says of a selector that names nothing, wherever it is written (command line, configuration,
/// editor settings): the same words, with the closest code or name when one is close.
pub fn unknown_selector_message(selector: &str) -> String {
    let mut message = if selector.is_empty() {
        "empty rule selector".to_owned()
    } else {
        format!("unknown rule selector `{selector}`: expected a rule code, a code prefix, a rule name or a category")
    };
    if let Some(close) = did_you_mean(selector) {
        message.push_str(&format!(" (did you mean `{close}`?)"));
    }
    message
}

/// Whether a selector names this rule explicitly enough to turn an opt-in rule on (code, name or code prefix).
fn selector_names(selector: &str, meta: &RuleMeta) -> bool {
    let upper = selector.to_ascii_uppercase();
    meta.name == selector || (upper.starts_with("PL") && upper.len() > 3 && meta.code.starts_with(&upper))
}

/// Whether a string is a valid selector (for configuration and command-line errors).
pub fn is_known_selector(selector: &str) -> bool {
    is_hadolint_code(&selector.to_ascii_uppercase())
        || selector.eq_ignore_ascii_case("ALL")
        || Category::ALL.iter().any(|c| c.name() == selector)
        || all().iter().any(|r| selector_matches(selector, &r.meta))
        || crate::compose::checks::SWITCHABLE.iter().any(|m| selector_matches(selector, m))
        || crate::dockerfile::syntax::CODES
            .iter()
            .chain(crate::compose::CODES)
            .any(|(c, n)| *c == selector || *n == selector)
}

/// Which rules run: `select` (default: every rule that is not opt-in), plus `extend_select`, minus `ignore`.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let chosen = |list: &[String]| {
            list.iter().any(|s| if meta.opt_in { selector_names(s, meta) } else { selector_matches(s, meta) })
        };
        let selected = match &self.select {
            Some(list) => chosen(list),
            None => !meta.opt_in,
        } || chosen(&self.extend_select);
        selected && !self.ignore.iter().any(|s| selector_matches(s, meta))
    }
}

/// Runs the selected Dockerfile rules and returns their findings, sorted by position.
pub fn check_dockerfile(ctx: &DockerfileContext<'_>, selection: &Selection) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in all() {
        if !selection.is_enabled(&rule.meta) {
            continue;
        }
        if let Check::Dockerfile(check) = rule.check {
            check(ctx, &mut out);
        }
    }
    out.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    out
}

/// Runs the selected Compose and cross-file rules and returns their findings, sorted by file and position.
pub fn check_compose(ctx: &ComposeContext<'_>, selection: &Selection) -> Vec<ComposeFinding> {
    let mut out = Vec::new();
    for rule in all() {
        if let Check::Compose(check) = rule.check
            && selection.is_enabled(&rule.meta)
        {
            check(ctx, &mut out);
        }
    }
    out.sort_by_key(|(file, d)| (*file, d.range.start, d.range.end, d.code));
    out
}

#[cfg(test)]
pub(crate) mod testing {
    //! oxc-style rule tests: every `pass` case is clean, every `fail` case fires, every `fix` case gives exactly
    //! the expected text.

    use super::*;

    /// The findings of one rule on a Dockerfile text.
    pub fn run(rule: &Rule, text: &str) -> Vec<Diagnostic> {
        run_with(rule, text, &Settings::default())
    }

    /// The findings of one rule on a Dockerfile text, with these settings.
    pub fn run_with(rule: &Rule, text: &str, settings: &Settings) -> Vec<Diagnostic> {
        let source = SourceFile::new("Dockerfile", text.to_owned());
        let file = crate::dockerfile::parse(&source.text);
        let ctx = DockerfileContext::new(&file, &source, settings);
        let mut out = Vec::new();
        match rule.check {
            Check::Dockerfile(check) => check(&ctx, &mut out),
            Check::Compose(_) => panic!("{} is a Compose rule: use run_compose", rule.meta.code),
        }
        out
    }

    /// The findings of one Compose (or cross-file) rule on a project: `files` are (path, text) pairs under
    /// `/p`, the first being `/p/compose.yaml` unless named otherwise. Findings come with their file's path.
    pub fn run_compose(rule: &Rule, files: &[(&str, &str)]) -> Vec<(std::path::PathBuf, Diagnostic)> {
        run_compose_with(rule, files, &Settings::default())
    }

    /// [`run_compose`] with settings (trusted registries …).
    pub fn run_compose_with(
        rule: &Rule,
        files: &[(&str, &str)],
        settings: &Settings,
    ) -> Vec<(std::path::PathBuf, Diagnostic)> {
        use crate::compose::project::{LoadOptions, MemoryFs};
        let Check::Compose(check) = rule.check else { panic!("{} is not a Compose rule", rule.meta.code) };
        let fs = MemoryFs(files.iter().map(|(p, t)| (std::path::PathBuf::from(p), (*t).to_owned())).collect());
        let options = LoadOptions { dir: "/p".into(), ..LoadOptions::default() };
        let (project, model) = crate::load_compose_project(&options, &fs);
        let model = model.unwrap_or_default();
        let builds = crate::compose::builds::link(&project, &model, &fs);
        let ctx = ComposeContext { project: &project, model: &model, settings, builds: &builds };
        let mut out = Vec::new();
        check(&ctx, &mut out);
        out.into_iter().map(|(file, d)| (project.files[file.0 as usize].path.clone(), d)).collect()
    }

    /// Every `pass` project (its `/p/compose.yaml`, plus `companions` beside it) is clean, every `fail` one fires.
    pub fn assert_compose_cases(rule: &Rule, companions: &[(&str, &str)], pass: &[&str], fail: &[&str]) {
        let project = |text: &str| {
            let mut files = vec![("/p/compose.yaml", text.to_owned())];
            files.extend(companions.iter().map(|(p, t)| (*p, (*t).to_owned())));
            files
        };
        for text in pass {
            let files = project(text);
            let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
            let found = run_compose(rule, &refs);
            assert!(found.is_empty(), "{} fired on a passing case:\n{text}\n{found:#?}", rule.meta.code);
        }
        for text in fail {
            let files = project(text);
            let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
            let found = run_compose(rule, &refs);
            assert!(!found.is_empty(), "{} did not fire on:\n{text}", rule.meta.code);
            assert!(found.iter().all(|(_, d)| d.code == rule.meta.code), "{found:#?}");
        }
    }

    pub fn assert_cases(rule: &Rule, pass: &[&str], fail: &[&str]) {
        assert_cases_with(rule, pass, fail, &Settings::default());
    }

    pub fn assert_cases_with(rule: &Rule, pass: &[&str], fail: &[&str], settings: &Settings) {
        for text in pass {
            let found = run_with(rule, text, settings);
            assert!(found.is_empty(), "{} fired on a passing case:\n{text}\n{found:#?}", rule.meta.code);
        }
        for text in fail {
            let found = run_with(rule, text, settings);
            assert!(!found.is_empty(), "{} did not fire on:\n{text}", rule.meta.code);
            assert!(found.iter().all(|d| d.code == rule.meta.code), "{found:#?}");
        }
    }

    /// Fixes each `before` text with the rule's fixes (safe and unsafe) as `check --fix --unsafe-fixes` does, pass
    /// after pass until none applies, and checks that it gives `after`. A case whose `after` is its `before`
    /// checks that the rule fires there without offering a fix. A rule that declares fixes must have fix cases.
    /// The text with the finding's fix applied (through [`crate::diagnostic::apply_fixes`], as `--fix` does).
    pub fn fixed(text: &str, d: &Diagnostic) -> String {
        let fix = d.fix.as_ref().unwrap_or_else(|| panic!("{} offers no fix: {d:#?}", d.code));
        crate::diagnostic::apply_fixes(text, &[fix]).text
    }

    pub fn assert_fixes(rule: &Rule, cases: &[(&str, &str)]) {
        assert_eq!(
            rule.meta.fix == FixAvailability::None,
            cases.iter().all(|(before, after)| before == after),
            "{}: declares fix {:?}, but its fix cases disagree",
            rule.meta.code,
            rule.meta.fix
        );
        for (before, after) in cases {
            let found = run(rule, before);
            assert!(!found.is_empty(), "{} does not fire on the fix case:\n{before}", rule.meta.code);
            let mut text = (*before).to_owned();
            for _ in 0..10 {
                let found = run(rule, &text);
                let fixes: Vec<&crate::diagnostic::Fix> = found.iter().filter_map(|d| d.fix.as_ref()).collect();
                let applied = crate::diagnostic::apply_fixes(&text, &fixes);
                if applied.applied == 0 {
                    break;
                }
                text = applied.text;
            }
            assert_eq!(text, *after, "{}: fixing\n{before}", rule.meta.code);
        }
    }
}
