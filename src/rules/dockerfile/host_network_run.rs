//! PLD302 host-network-run: `RUN --network=host`.

use crate::Severity;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::dockerfile::Kind;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD302",
        name: "host-network-run",
        summary: "A RUN step uses the build host's network (`--network=host`)",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::Always,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["5.9"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLD302-host-network-run.md"),
    },
    check: Check::Dockerfile(check),
};

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for instr in ctx.file.instructions.iter().map(|i| i.effective()).filter(|i| i.kind == Kind::Run) {
        for flag in instr.flags.iter().filter(|f| f.name.value == "network") {
            if flag.value.as_ref().is_some_and(|v| v.value == "host") {
                // Unsafe: a step that reaches services on the build host fails without it.
                let fix = Edit::remove_word(&ctx.source.text, flag.range)
                    .map(|edit| Fix::new(Applicability::Unsafe, "remove `--network=host`", vec![edit]));
                out.push(
                    RULE.meta
                        .diagnostic(flag.range, "this RUN step shares the build host's network stack")
                        .with_help(
                            "drop `--network=host`; use the default network, or `--network=none` for steps that need none",
                        )
                        .with_fix(fix),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_cases, assert_fixes};

    #[test]
    fn cases() {
        let pass = ["FROM alpine:3.22\nRUN --network=none make\n", "FROM alpine:3.22\nRUN --network=default make\n"];
        let fail =
            ["FROM alpine:3.22\nRUN --network=host make\n", "FROM alpine:3.22\nONBUILD RUN --network=host make\n"];
        assert_cases(&RULE, &pass, &fail);
        assert_fixes(
            &RULE,
            &[
                ("FROM alpine:3.22\nRUN --network=host make\n", "FROM alpine:3.22\nRUN make\n"),
                (
                    "FROM alpine:3.22\nRUN --mount=type=cache,target=/c --network=host \\\n  make\n",
                    "FROM alpine:3.22\nRUN --mount=type=cache,target=/c \\\n  make\n",
                ),
                (
                    "FROM alpine:3.22\nRUN --network=host make\nONBUILD RUN --network=host  make\n",
                    "FROM alpine:3.22\nRUN make\nONBUILD RUN make\n",
                ),
            ],
        );
    }
}
