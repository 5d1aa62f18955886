//! Build stages and variable scope: which image or stage each FROM builds on (after expanding the ARGs
//! declared before the first FROM), and which ARG and ENV values are visible at an instruction.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::image::{ImageRef, is_scratch};
use crate::source::Spanned;

use super::ast::*;
use super::expand::{Env, Lexer};
use super::syntax::INVALID_INSTRUCTION;

/// ARGs BuildKit defines for every build, usable in FROM without declaring them. Their values depend on the
/// machine that builds, so an image naming them cannot be resolved statically.
pub const PLATFORM_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
];

/// Variables in scope: a name with its value, `None` when declared (`ARG X`) without a value.
pub type Scope = BTreeMap<String, Option<String>>;

/// A scope seen as an expansion environment: declared-but-unset variables are unset.
struct ScopeEnv<'a>(&'a Scope);

impl Env for ScopeEnv<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.as_deref())
    }
}

/// The ARGs declared before the first FROM, with their defaults expanded (BuildKit's meta args).
pub fn meta_args(file: &Dockerfile) -> Scope {
    let lexer = Lexer::new(file.escape);
    let mut scope = Scope::new();
    for instr in file.instructions.iter().take_while(|i| i.kind != Kind::From) {
        if let Args::Arg { args } = &instr.args {
            for arg in args {
                let value = arg.default.as_ref().map(|d| expand_or_raw(&lexer, &d.value, &scope));
                scope.insert(arg.name.value.clone(), value);
            }
        }
    }
    scope
}

fn expand_or_raw(lexer: &Lexer, word: &str, scope: &Scope) -> String {
    lexer.expand_word(word, &ScopeEnv(scope)).map_or_else(|_| word.to_owned(), |e| e.value)
}

/// The ARG and ENV values visible to instruction `index` (before it runs): the stage's own ARGs and ENVs,
/// the ENVs of the stage it builds on, and meta ARGs the stage re-declares. `None` before the first FROM.
pub fn scope_at(file: &Dockerfile, index: usize) -> Option<Scope> {
    let stage = file.stage_of(index)?;
    let meta = meta_args(file);
    let mut scope = inherited_env(file, stage, &meta, 0);
    let lexer = Lexer::new(file.escape);
    for i in stage.instructions.start + 1..index {
        apply(&lexer, &file.instructions[i], &meta, &mut scope);
    }
    Some(scope)
}

/// ENV values a stage inherits from the stage it is built on (ARGs do not carry over).
fn inherited_env(file: &Dockerfile, stage: &Stage, meta: &Scope, depth: usize) -> Scope {
    let Base::Stage { index, .. } = stage.base else { return Scope::new() };
    let Some(parent) = file.stages.get(index).filter(|_| depth < file.stages.len()) else { return Scope::new() };
    let mut scope = inherited_env(file, parent, meta, depth + 1);
    let lexer = Lexer::new(file.escape);
    for i in parent.instructions.start + 1..parent.instructions.end {
        apply(&lexer, &file.instructions[i], meta, &mut scope);
    }
    // The parent's own ARGs stay behind, unless an ENV of the same name carries the value over.
    let args = arg_or_env_names(file, parent, Kind::Arg);
    let envs = arg_or_env_names(file, parent, Kind::Env);
    scope.retain(|k, _| !args.contains(k) || envs.contains(k));
    scope
}

fn arg_or_env_names(file: &Dockerfile, stage: &Stage, kind: Kind) -> Vec<String> {
    let mut names = Vec::new();
    for instr in &file.instructions[stage.instructions.clone()] {
        match (&instr.args, instr.kind == kind) {
            (Args::Arg { args }, true) => names.extend(args.iter().map(|a| a.name.value.clone())),
            (Args::KeyValues { pairs }, true) => names.extend(pairs.iter().map(|p| p.key.value.clone())),
            _ => {}
        }
    }
    names
}

/// Updates `scope` with what one ARG or ENV instruction declares.
fn apply(lexer: &Lexer, instr: &Instruction, meta: &Scope, scope: &mut Scope) {
    match (&instr.kind, &instr.args) {
        (Kind::Arg, Args::Arg { args }) => {
            for arg in args {
                let value = match &arg.default {
                    Some(d) => Some(expand_or_raw(lexer, &d.value, scope)),
                    // `ARG X` in a stage takes the meta ARG's value, if there is one.
                    None => meta.get(&arg.name.value).cloned().flatten(),
                };
                // An ENV of the same name wins over a later ARG without a default.
                if value.is_some() || !scope.contains_key(&arg.name.value) {
                    scope.insert(arg.name.value.clone(), value);
                }
            }
        }
        (Kind::Env, Args::KeyValues { pairs }) => {
            // All pairs of one ENV see the scope from before the instruction, as in BuildKit.
            let before = scope.clone();
            for pair in pairs {
                let value = expand_or_raw(lexer, &pair.value.value, &before);
                scope.insert(pair.key.value.clone(), Some(value));
            }
        }
        _ => {}
    }
}

/// Builds `file.stages` and reports the stage-level errors BuildKit reports before a build.
pub(crate) fn resolve(file: &mut Dockerfile) {
    let meta = meta_args(file);
    let lexer = Lexer::new(file.escape);
    let froms: Vec<usize> =
        file.instructions.iter().enumerate().filter(|(_, i)| i.kind == Kind::From).map(|(n, _)| n).collect();
    let mut diagnostics = Vec::new();

    match froms.first() {
        None => {
            if let Some(first) = file.instructions.first() {
                diagnostics.push(
                    Diagnostic::new(
                        INVALID_INSTRUCTION,
                        Severity::Error,
                        first.keyword.range,
                        "the file has no FROM instruction",
                    )
                    .with_help("start the build with `FROM image[:tag]`"),
                );
            }
        }
        Some(&first_from) => {
            for instr in &file.instructions[..first_from] {
                if instr.kind != Kind::Arg {
                    diagnostics.push(Diagnostic::new(
                        INVALID_INSTRUCTION,
                        Severity::Error,
                        instr.keyword.range,
                        format!("{} comes before the first FROM; only ARG may come before FROM", instr.kind.as_str()),
                    ));
                }
            }
        }
    }

    let mut stages: Vec<Stage> = Vec::with_capacity(froms.len());
    for (n, &from) in froms.iter().enumerate() {
        let end = froms.get(n + 1).copied().unwrap_or(file.instructions.len());
        let instr = &file.instructions[from];
        let words: &[Spanned<String>] = match &instr.args {
            Args::Words { words } => words,
            _ => &[],
        };
        let name = match words {
            [_, as_kw, name] if as_kw.value.eq_ignore_ascii_case("as") => {
                Some(Spanned::new(name.value.to_lowercase(), name.range))
            }
            _ => None,
        };
        if let Some(name) = &name
            && let Some(earlier) = stages.iter().find(|s| s.name.as_ref().is_some_and(|e| e.value == name.value))
        {
            let first = earlier.name.as_ref().map_or(name.range, |e| e.range);
            diagnostics.push(
                Diagnostic::new(
                    INVALID_INSTRUCTION,
                    Severity::Error,
                    name.range,
                    format!("duplicate stage name `{}`", name.value),
                )
                .with_label(first, "the first stage of that name"),
            );
        }
        let base = match words.first() {
            None => Base::Missing,
            Some(word) => base_of(&lexer, word, &meta, &stages),
        };
        if let Base::Unresolved { written, reason } = &base
            && !reason.contains("build platform")
            && !reason.contains("has no value")
        {
            diagnostics.push(Diagnostic::new(INVALID_INSTRUCTION, Severity::Error, written.range, reason.clone()));
        }
        let platform = instr.flag("platform").and_then(|f| f.value.clone());
        stages.push(Stage { index: n, name, from, instructions: from..end, platform, base });
    }
    file.stages = stages;
    file.diagnostics.extend(diagnostics);
}

/// What one FROM word names, after expanding meta ARGs.
fn base_of(lexer: &Lexer, word: &Spanned<String>, meta: &Scope, earlier: &[Stage]) -> Base {
    let expansion = match lexer.expand_word(&word.value, &ScopeEnv(meta)) {
        Ok(e) => e,
        Err(e) => {
            return Base::Unresolved {
                written: word.clone(),
                reason: format!("cannot expand `{}`: {}", word.value, e.message),
            };
        }
    };
    let resolved = expansion.value;
    if is_scratch(&resolved) {
        return Base::Scratch { range: word.range };
    }
    let lower = resolved.to_lowercase();
    if let Some(stage) = earlier.iter().find(|s| s.name.as_ref().is_some_and(|n| n.value == lower)) {
        return Base::Stage { index: stage.index, range: word.range };
    }
    match ImageRef::parse(&resolved) {
        Ok(reference) => Base::Image { written: word.clone(), resolved, reference: Box::new(reference) },
        Err(err) => {
            let platform: Vec<&String> =
                expansion.unmatched.iter().filter(|n| PLATFORM_ARGS.contains(&n.as_str())).collect();
            let unset: Vec<&String> =
                expansion.unmatched.iter().filter(|n| !PLATFORM_ARGS.contains(&n.as_str())).collect();
            let reason = if let Some(name) = platform.first() {
                format!("the image depends on the build platform (`{name}`)")
            } else if let Some(name) = unset.first() {
                if meta.contains_key(name.as_str()) {
                    format!("`{name}` has no value: declare it with a default (`ARG {name}=…`) before the first FROM")
                } else {
                    format!("`{name}` has no value: it is not declared with ARG before the first FROM")
                }
            } else {
                format!("invalid image reference `{resolved}`: {}", err.message)
            };
            Base::Unresolved { written: word.clone(), reason }
        }
    }
}

impl Dockerfile {
    /// The stage a `--from`/`FROM` name refers to, by name (case-insensitive) or index.
    pub fn stage_named(&self, name: &str) -> Option<&Stage> {
        let lower = name.to_lowercase();
        self.stages
            .iter()
            .find(|s| s.name.as_ref().is_some_and(|n| n.value == lower))
            .or_else(|| name.parse::<usize>().ok().and_then(|i| self.stages.get(i)))
    }

    /// The last stage, which `docker build` builds when no target is given.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }
}

/// A label pointing at an ARG default that supplied a value (for rules that explain where an image came from).
pub fn arg_default_label(file: &Dockerfile, name: &str) -> Option<Label> {
    file.instructions.iter().take_while(|i| i.kind != Kind::From).find_map(|i| match &i.args {
        Args::Arg { args } => args
            .iter()
            .rev()
            .find(|a| a.name.value == name)
            .and_then(|a| a.default.as_ref().map(|d| Label::new(d.range, format!("`{name}` gets its value here")))),
        _ => None,
    })
}
