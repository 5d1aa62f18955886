//! PLD501 ssh-port-exposed: `EXPOSE 22`.

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::dockerfile::Kind;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD501",
        name: "ssh-port-exposed",
        summary: "The image exposes port 22 (SSH): a container should not run an SSH server",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.7"],
            compose_lint: &[],
            kics: &["Exposing Port 22 (SSH)"],
        },
        page: include_str!("../../../lints/PLD501-ssh-port-exposed.md"),
    },
    check: Check::Dockerfile(check),
};

/// Whether an EXPOSE word (`22`, `22/tcp`, `20-30`, `22/udp`) covers TCP port 22.
fn covers_ssh(word: &str) -> bool {
    let (ports, proto) = word.split_once('/').unwrap_or((word, "tcp"));
    if !proto.eq_ignore_ascii_case("tcp") {
        return false;
    }
    match ports.split_once('-') {
        Some((a, b)) => matches!((a.parse::<u32>(), b.parse::<u32>()), (Ok(a), Ok(b)) if a <= 22 && 22 <= b),
        None => ports.parse::<u32>() == Ok(22),
    }
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for instr in ctx.file.instructions.iter().map(|i| i.effective()).filter(|i| i.kind == Kind::Expose) {
        let words = ctx.file.arguments(instr);
        for word in words.iter().filter(|w| covers_ssh(&w.value)) {
            out.push(
                RULE.meta
                    .diagnostic(word.range, format!("`EXPOSE {}` publishes SSH", word.value))
                    .with_help("remove the SSH server; use `docker exec` (or `kubectl exec`) to get a shell"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::assert_cases;

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\nEXPOSE 80 443\n",
            "FROM alpine:3.22\nEXPOSE 22/udp 2222\n",
            "FROM alpine:3.22\nEXPOSE $PORT\n",
        ];
        let fail = [
            "FROM alpine:3.22\nEXPOSE 22\n",
            "FROM alpine:3.22\nEXPOSE 80 22/tcp\n",
            "FROM alpine:3.22\nexpose 20-30\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }
}
