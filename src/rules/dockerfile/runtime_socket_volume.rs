//! PLD502 runtime-socket-volume: `VOLUME /var/run/docker.sock` and other container runtime sockets.

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::dockerfile::Kind;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD502",
        name: "runtime-socket-volume",
        summary: "A VOLUME names a container runtime socket (`/var/run/docker.sock`) or its folder",
        severity: Severity::Error,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["5.32"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLD502-runtime-socket-volume.md"),
    },
    check: Check::Dockerfile(check),
};

/// Runtime sockets and the folders that hold them, under `/run` (`/var/run` is the same place).
const SOCKETS: &[&str] = &[
    "docker.sock",
    "docker",
    "dockershim.sock",
    "cri-dockerd.sock",
    "containerd",
    "containerd/containerd.sock",
    "k3s/containerd",
    "k3s/containerd/containerd.sock",
    "podman",
    "podman/podman.sock",
    "crio",
    "crio/crio.sock",
    "balena.sock",
    "balena-engine.sock",
];

/// Whether a VOLUME path names a runtime socket or its folder: `/var/run/docker.sock`, `/run/containerd/`.
pub(crate) fn runtime_socket(path: &str) -> bool {
    let path = path.trim_matches(['"', '\'']);
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    if parts.first() == Some(&"var") && parts.get(1) == Some(&"run") {
        parts.remove(0);
    }
    if !path.starts_with('/') || parts.first() != Some(&"run") {
        return false;
    }
    let rest = parts.get(1..).unwrap_or_default();
    // Rootless daemons: `/run/user/1000/docker.sock`, `/run/user/1000/podman/podman.sock`.
    let rest = match rest {
        ["user", uid, tail @ ..] if uid.bytes().all(|b| b.is_ascii_digit()) && !tail.is_empty() => tail,
        _ => rest,
    };
    let joined = rest.join("/");
    SOCKETS.contains(&joined.as_str())
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for instr in ctx.file.instructions.iter().map(|i| i.effective()).filter(|i| i.kind == Kind::Volume) {
        let paths = ctx.file.arguments(instr);
        for path in paths.iter().filter(|p| runtime_socket(&p.value)) {
            out.push(
                RULE.meta
                    .diagnostic(
                        path.range,
                        format!("`VOLUME {}` is meant to receive a container runtime socket", path.value),
                    )
                    .with_help(
                        "remove it: whoever can reach the runtime socket controls the host; if the image really \
                         drives containers, talk to a restricted API proxy over TCP instead",
                    ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_cases, run};

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\nVOLUME /data\n",
            "FROM alpine:3.22\nVOLUME /var/lib/docker\n",
            "FROM alpine:3.22\nVOLUME /var/run\n",
            "FROM alpine:3.22\nVOLUME /run/app.sock\n",
            "FROM alpine:3.22\nVOLUME /app/run/docker.sock\n",
            "FROM alpine:3.22\nVOLUME [\"/data\", \"/var/log\"]\n",
            "FROM alpine:3.22\nVOLUME $SOCK\n",
            "FROM alpine:3.22\nRUN ls /var/run/docker.sock\n",
            "FROM alpine:3.22\nVOLUME /var/run/dockerd\n",
        ];
        let fail = [
            "FROM alpine:3.22\nVOLUME /var/run/docker.sock\n",
            "FROM alpine:3.22\nVOLUME /run/docker.sock\n",
            "FROM alpine:3.22\nVOLUME [\"/var/run/docker.sock\"]\n",
            "FROM alpine:3.22\nvolume /data /var/run/docker\n",
            "FROM alpine:3.22\nVOLUME /var/run/docker/\n",
            "FROM alpine:3.22\nVOLUME /run/containerd/containerd.sock\n",
            "FROM alpine:3.22\nVOLUME /run/containerd\n",
            "FROM alpine:3.22\nVOLUME /run/podman/podman.sock\n",
            "FROM alpine:3.22\nVOLUME /var/run/crio/crio.sock\n",
            "FROM alpine:3.22\nVOLUME /run/user/1000/docker.sock\n",
            "FROM alpine:3.22\nVOLUME //var//run/docker.sock\n",
            "FROM alpine:3.22\nVOLUME /data \\\n  /var/run/docker.sock\n",
            "FROM alpine:3.22\nONBUILD VOLUME /var/run/docker.sock\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn spans_the_path() {
        let text = "FROM alpine:3.22\nVOLUME [\"/data\", \"/var/run/docker.sock\"]\nVOLUME /x /run/docker.sock\n";
        let found = run(&RULE, text);
        let spans: Vec<&str> = found.iter().map(|d| &text[d.range.as_usize()]).collect();
        assert_eq!(spans.len(), 2);
        assert!(spans[0].contains("/var/run/docker.sock"), "{spans:?}");
        assert_eq!(spans[1], "/run/docker.sock");
    }
}
