//! PLC305 shared-mount-propagation: a bind mount with `shared` or `rshared` propagation.

use super::host_paths::field_origin;
use crate::Severity;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC305",
        name: "shared-mount-propagation",
        summary: "A mount propagates `shared`/`rshared`: mounts made in the container appear on the host",
        severity: Severity::Warning,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.20"],
            compose_lint: &["CL-0017"],
            kics: &["Volume Mounted In Multiple Containers"],
        },
        page: include_str!("../../../lints/PLC305-shared-mount-propagation.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        for mount in &service.volumes {
            let Some(propagation) = mount.value.propagation.as_deref().filter(|p| matches!(*p, "shared" | "rshared"))
            else {
                continue;
            };
            let source = mount.value.source.as_deref().unwrap_or("?");
            let at = field_origin(service, "volumes", &mount.origin, "bind.propagation");
            let message = format!(
                "service `{name}` mounts `{source}` with `{propagation}` propagation: mounts made inside the container \
                 appear on the host"
            );
            let (file, d) = ctx.finding(&RULE.meta, &at, message);
            out.push((
                file,
                d.with_help("drop the option (the default is `rprivate`), or use `rslave` to see host mounts"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - /srv/data:/data\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - /:/host:ro,rslave\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - /mnt:/mnt:slave\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - type: bind\n        source: /mnt\n        target: /mnt\n        bind:\n          propagation: rprivate\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - /mnt:/mnt:shared\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - /mnt:/mnt:ro,rshared\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - type: bind\n        source: /mnt\n        target: /mnt\n        bind:\n          propagation: rshared\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn spans_the_item_or_the_propagation_value() {
        let text = "services:\n  csi:\n    image: alpine:3.22\n    volumes:\n      - /mnt/a:/a:rshared\n      - type: bind\n        source: /mnt/b\n        target: /b\n        bind:\n          propagation: shared\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let spans: Vec<&str> = found.iter().map(|(_, d)| &text[d.range.as_usize()]).collect();
        assert_eq!(spans, ["/mnt/a:/a:rshared", "shared"]);
        assert_eq!(
            found[0].1.message,
            "service `csi` mounts `/mnt/a` with `rshared` propagation: mounts made inside the container appear on the host"
        );
    }

    #[test]
    fn through_extends_in_the_same_file_the_label_is_at_the_item() {
        let text = "services:\n  base:\n    image: alpine:3.22\n    volumes: ['/mnt:/mnt:shared']\n  csi:\n    extends: base\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 2, "{found:#?}");
        let d = &found[1].1;
        assert_eq!(&text[d.range.as_usize()], "extends");
        assert_eq!(&text[d.labels[0].range.as_usize()], "'/mnt:/mnt:shared'");
    }
}
