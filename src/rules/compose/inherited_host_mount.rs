//! PLC315 inherited-host-mount: `volumes_from` a service that mounts the runtime socket (PLC303) or a
//! sensitive host path (PLC304) hands that mount over to the receiving service.

use super::host_paths::field_origin;
use super::runtime_socket_mount::mount_source;
use super::sensitive_host_mount::sensitive_mount;
use crate::Severity;
use crate::compose::model::Service;
use crate::compose::tree::{Origin, Value};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC315",
        name: "inherited-host-mount",
        summary: "`volumes_from` a service that mounts the runtime socket or a sensitive host path",
        severity: Severity::Error,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["5.6", "5.32"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLC315-inherited-host-mount.md"),
    },
    check: Check::Compose(check),
};

/// A `volumes_from` item naming a service: the service, whether it is `:ro`, and the item.
fn givers(service: &Service) -> Vec<(&str, bool, &Value)> {
    let items = service.raw.as_ref().and_then(|raw| raw.get("volumes_from")).and_then(Value::as_seq);
    items
        .unwrap_or_default()
        .iter()
        .filter_map(|item| {
            let text = item.as_str()?;
            if text.starts_with("container:") {
                return None; // a container outside the project: nothing to read
            }
            let (name, mode) = text.split_once(':').unwrap_or((text, "rw"));
            Some((name, mode == "ro", item))
        })
        .collect()
}

/// The services whose mounts reach `start` through `volumes_from`, each once, with whether the way there made
/// them read-only: the ones it names, and theirs (the engine copies a container's mounts, its inherited ones
/// too).
fn reached<'a>(ctx: &'a ComposeContext<'_>, start: &'a Service) -> Vec<(&'a Service, bool, &'a Origin)> {
    let mut out: Vec<(&Service, bool, &Origin)> = Vec::new();
    let mut stack: Vec<(&Service, bool, &Origin)> = Vec::new();
    // A stack, so the items are pushed last first: the findings come in the order they are written.
    for (name, ro, item) in givers(start).into_iter().rev() {
        if let Some(giver) = ctx.model.services.iter().find(|s| s.name.value == name) {
            stack.push((giver, ro, &item.origin));
        }
    }
    while let Some((giver, ro, item)) = stack.pop() {
        if std::ptr::eq(giver, start) || out.iter().any(|(s, _, _)| std::ptr::eq(*s, giver)) {
            continue;
        }
        out.push((giver, ro, item));
        for (name, more_ro, _) in givers(giver).into_iter().rev() {
            if let Some(next) = ctx.model.services.iter().find(|s| s.name.value == name) {
                stack.push((next, ro || more_ro, item));
            }
        }
    }
    out
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        for (giver, ro, item) in reached(ctx, service) {
            for mount in &giver.volumes {
                let at = field_origin(giver, "volumes", &mount.origin, "source");
                let read_only = ro || mount.value.read_only;
                let (message, severity, help) = if let Some(source) = mount_source(ctx, &mount.value) {
                    let message = format!(
                        "service `{name}` takes the volumes of `{}`, among them the runtime socket `{source}`, which \
                         controls the engine",
                        giver.name.value
                    );
                    (
                        message,
                        Severity::Error,
                        "take only the volumes the service needs (named volumes shared by both), not `volumes_from` a service that holds the socket",
                    )
                } else if let Some(found) = sensitive_mount(ctx, &mount.value, read_only) {
                    let (source, severity, why) = (found.source, found.severity, found.why);
                    let how = if read_only { "read-only" } else { "writable" };
                    let message = format!(
                        "service `{name}` takes the volumes of `{}`, among them the host's `{source}` {how}: {why}",
                        giver.name.value
                    );
                    (
                        message,
                        severity,
                        "share a named volume with only the data the service needs instead of `volumes_from`",
                    )
                } else {
                    continue;
                };
                let (file, mut d) = ctx.finding(&RULE.meta, item, message);
                d.severity = severity;
                d.labels.push(ctx.label(file, at.use_place(), format!("`{}` mounts it here", giver.name.value)));
                out.push((file, d.with_help(help)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::Severity;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    const SOCKET: &str =
        "  docker:\n    image: docker:27-dind\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n";

    #[test]
    fn cases() {
        let pass = [
            "services:\n  app:\n    image: x\n    volumes_from: [data]\n  data:\n    image: x\n    volumes: [./d:/d, cache:/c]\nvolumes:\n  cache: {}\n",
            "services:\n  app:\n    image: x\n    volumes_from: [\"container:docker\"]\n",
            "services:\n  app:\n    image: x\n    volumes_from: [missing]\n",
            // The service that mounts the socket is PLC303's; nobody takes its volumes here.
            &format!("services:\n{SOCKET}"),
        ];
        let fail = [
            &format!("services:\n  app:\n    image: x\n    volumes_from: [docker]\n{SOCKET}") as &str,
            &format!("services:\n  app:\n    image: x\n    volumes_from: [\"docker:ro\"]\n{SOCKET}"),
            "services:\n  app:\n    image: x\n    volumes_from: [mid]\n  mid:\n    image: x\n    volumes_from: [root]\n  root:\n    image: x\n    volumes: [\"/:/host\"]\n",
            "services:\n  a:\n    image: x\n    volumes_from: [b]\n  b:\n    image: x\n    volumes_from: [a]\n    volumes: [\"/etc:/host-etc\"]\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn on_the_receiving_service_with_a_label_at_the_mount() {
        let text = format!(
            "services:\n  app:\n    image: x\n    volumes_from: [\"docker:ro\", logs]\n{SOCKET}  logs:\n    image: x\n    volumes: [\"/var/log:/var/log\"]\n"
        );
        let found = run_compose(&RULE, &[("/p/compose.yaml", &text)]);
        let seen: Vec<(&str, Severity, &str, &str)> = found
            .iter()
            .map(|(_, d)| {
                (&text[d.range.as_usize()], d.severity, &text[d.labels[0].range.as_usize()], d.message.as_str())
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "\"docker:ro\"",
                    Severity::Error,
                    "/var/run/docker.sock:/var/run/docker.sock",
                    "service `app` takes the volumes of `docker`, among them the runtime socket `/var/run/docker.sock`, which controls the engine",
                ),
                (
                    "logs",
                    Severity::Warning,
                    "\"/var/log:/var/log\"",
                    "service `app` takes the volumes of `logs`, among them the host's `/var/log` writable: the container can rewrite the host's logs",
                ),
            ]
        );
        // `:ro` on `volumes_from` makes the inherited mounts read-only: a read-only /var/log is fine.
        let ro = "services:\n  app:\n    image: x\n    volumes_from: [\"logs:ro\"]\n  logs:\n    image: x\n    volumes: [\"/var/log:/var/log\"]\n";
        assert!(run_compose(&RULE, &[("/p/compose.yaml", ro)]).is_empty());
    }
}
