//! PLD301 insecure-run: `RUN --security=insecure`.

use crate::Severity;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::dockerfile::Kind;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD301",
        name: "insecure-run",
        summary: "A RUN step runs without the build sandbox (`--security=insecure`), as a privileged container",
        severity: Severity::Error,
        target: Target::Dockerfile,
        fix: FixAvailability::Always,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["5.5"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLD301-insecure-run.md"),
    },
    check: Check::Dockerfile(check),
};

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for instr in ctx.file.instructions.iter().map(|i| i.effective()).filter(|i| i.kind == Kind::Run) {
        for flag in instr.flags.iter().filter(|f| f.name.value == "security") {
            if flag.value.as_ref().is_some_and(|v| v.value == "insecure") {
                // Unsafe: a step that needs the privileges fails without them.
                let fix = Edit::remove_word(&ctx.source.text, flag.range)
                    .map(|edit| Fix::new(Applicability::Unsafe, "remove `--security=insecure`", vec![edit]));
                out.push(
                    RULE.meta
                        .diagnostic(flag.range, "this RUN step runs as a privileged container with full access to the build host")
                        .with_help("remove `--security=insecure`; give the step only what it needs (a `--mount`, a `--device`)")
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
        let pass = [
            "FROM alpine:3.22\nRUN --security=sandbox make\n",
            "FROM alpine:3.22\nRUN make\n",
            "FROM alpine:3.22\nCOPY --from=x a b\n",
        ];
        let fail = [
            "FROM alpine:3.22\nRUN --security=insecure make\n",
            "FROM alpine:3.22\nrun --mount=type=cache,target=/c --security=insecure \\\n  make\n",
            "FROM alpine:3.22\nONBUILD RUN --security=insecure make\n",
        ];
        assert_cases(&RULE, &pass, &fail);
        assert_fixes(
            &RULE,
            &[
                ("FROM alpine:3.22\nRUN --security=insecure make\n", "FROM alpine:3.22\nRUN make\n"),
                (
                    "FROM alpine:3.22\nrun --mount=type=cache,target=/c --security=insecure \\\n  make\n",
                    "FROM alpine:3.22\nrun --mount=type=cache,target=/c \\\n  make\n",
                ),
                (
                    "FROM alpine:3.22\nRUN --security=insecure \\\n  --security=insecure make\nONBUILD RUN --security=insecure make\n",
                    "FROM alpine:3.22\nRUN \\\n  make\nONBUILD RUN make\n",
                ),
                ("FROM alpine:3.22\r\nRUN --security=insecure\tmake\r\n", "FROM alpine:3.22\r\nRUN make\r\n"),
            ],
        );
    }
}
