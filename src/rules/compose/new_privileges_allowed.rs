//! PLC203 new-privileges-allowed: a service does not set `no-new-privileges`, or sets it to false, so its
//! processes can gain privileges through setuid binaries and file capabilities.

use super::capabilities::{known, parse_bool, security_opt};
use super::first_key_line;
use crate::Severity;
use crate::compose::model::{Located, Service};
use crate::compose::tree::Via;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC203",
        name: "new-privileges-allowed",
        summary: "A service does not set `no-new-privileges`: setuid binaries can raise its processes' privileges",
        severity: Severity::Info,
        target: Target::Compose,
        fix: FixAvailability::Sometimes,
        opt_in: true,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.26"],
            compose_lint: &["CL-0003"],
            kics: &["No New Privileges Not Set"],
        },
        page: include_str!("../../../lints/PLC203-new-privileges-allowed.md"),
    },
    check: Check::Compose(check),
};

/// What `security_opt` says about `no-new-privileges`: the entry that decides it (Docker reads the entries in
/// order, the last one wins) and its value; `Err` when an entry is not known yet.
fn setting(service: &Service) -> Result<Option<(&Located<String>, bool)>, ()> {
    let mut decided = None;
    for item in &service.security_opt {
        let opt = security_opt(known(item).ok_or(())?);
        if opt.key != "no-new-privileges" {
            continue;
        }
        // A value ParseBool refuses makes Docker refuse the container: it decides nothing.
        if let Some(on) = opt.value.map_or(Some(true), |v| parse_bool(v.trim())) {
            decided = Some((item, on));
        }
    }
    Ok(decided)
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    let uses_extends = ctx.model.services.iter().any(|s| {
        let entries = s.raw.as_ref().and_then(|r| r.as_map()).unwrap_or_default();
        entries.iter().any(|e| e.key_origin.via.iter().any(|v| matches!(v, Via::Extends { .. })))
    });
    for service in &ctx.model.services {
        // A privileged service is root on the host whatever its processes gain: PLC201 says so, and the fix
        // is removing `privileged`, not adding a flag.
        if service.privileged.as_ref().is_some_and(|p| p.value) {
            continue;
        }
        let name = &service.name.value;
        match setting(service) {
            Err(()) | Ok(Some((_, true))) => {}
            Ok(Some((item, false))) => {
                let message = format!(
                    "service `{name}` sets `security_opt: {}`: its processes can gain privileges through setuid \
                     binaries",
                    item.value.trim()
                );
                let (file, mut d) = ctx.finding(&RULE.meta, &item.origin, message);
                d.severity = Severity::Warning;
                out.push((file, d.with_help("write `no-new-privileges:true`")));
            }
            Ok(None) => {
                let message = format!(
                    "service `{name}` does not set `no-new-privileges`: its processes can gain privileges through \
                     setuid binaries"
                );
                // At `security_opt` when it is written without the option, else at the service.
                let opts = service.raw.as_ref().and_then(|r| r.get_entry("security_opt")).map(|e| &e.key_origin);
                let (file, mut d) = ctx.finding(&RULE.meta, opts.unwrap_or(&service.name.origin), message);
                if !uses_extends {
                    d.fix = insertion(ctx, service);
                }
                out.push((file, d.with_help("add `security_opt: [no-new-privileges:true]` to the service")));
            }
        }
    }
}

/// A `security_opt: [no-new-privileges:true]` line as the service's first key, when the service has no
/// `security_opt` at all and its mapping is written in block style in the file that names it.
fn insertion(ctx: &ComposeContext<'_>, service: &Service) -> Option<Fix> {
    if service.raw.as_ref()?.get("security_opt").is_some() {
        return None;
    }
    let (at, indent) = first_key_line(ctx, service)?;
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: "add `security_opt: [no-new-privileges:true]`".into(),
        edits: vec![Edit {
            range: TextRange::from_usize(at, at),
            replacement: format!("{indent}security_opt: [no-new-privileges:true]\n"),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::Severity;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [no-new-privileges]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [no-new-privileges:true]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges=true\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [\"no-new-privileges:false\", \"no-new-privileges:1\"]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [\"${OPT}\"]\n",
            "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [seccomp=./p.json]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [\"no-new-privileges:false\"]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [\"no-new-privileges:true\", \"no-new-privileges=false\"]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [\"no-new-privileges:${NNP:-false}\"]\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn missing_is_info_on_the_service_name_with_a_fix() {
        let text = "services:\n  web:\n    # the front end\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "web");
        assert_eq!(d.severity, Severity::Info);
        assert_eq!(
            d.message,
            "service `web` does not set `no-new-privileges`: its processes can gain privileges through setuid binaries"
        );
        assert_eq!(
            crate::rules::testing::fixed(text, d),
            "services:\n  web:\n    # the front end\n    security_opt: [no-new-privileges:true]\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n"
        );
    }

    #[test]
    fn explicit_false_is_a_warning_on_the_item() {
        let text = "x-opts: &opts\n  - no-new-privileges:false\nservices:\n  web:\n    image: nginx:1.27\n    security_opt: *opts\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(&text[d.range.as_usize()], "*opts");
        assert_eq!(&text[d.labels[0].range.as_usize()], "no-new-privileges:false");
        assert!(d.fix.is_none());
    }

    #[test]
    fn no_fix_where_the_insertion_could_land_wrong() {
        let flow = "services:\n  web: {image: nginx:1.27}\n";
        let merged = "x-base: &base\n  image: nginx:1.27\nservices:\n  web: *base\n";
        let has_opts = "services:\n  web:\n    image: nginx:1.27\n    security_opt: [label=level:s0]\n";
        let base = "services:\n  base:\n    image: nginx:1.27\n";
        let extends = "services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n";
        for text in [flow, merged, has_opts, extends] {
            let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/base.yaml", base)]);
            assert_eq!(found.len(), 1, "{found:#?}");
            assert!(found[0].1.fix.is_none(), "{text}");
        }
        // Written without the option, `security_opt` is where it is missing from.
        let found = run_compose(&RULE, &[("/p/compose.yaml", has_opts)]);
        assert_eq!(&has_opts[found[0].1.range.as_usize()], "security_opt");
    }
}
