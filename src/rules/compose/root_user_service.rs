//! PLC202 root-user-service: a service whose `user:` is root (`root`, `0`, `0:0`, `root:root` …).

use super::capabilities::known;
use crate::Severity;
use crate::image::{ImageRef, users};
use crate::rules::dockerfile::root_user::is_root;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC202",
        name: "root-user-service",
        summary: "A service sets `user:` to root, overriding any non-root USER of its image",
        severity: Severity::Warning,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["4.1"], compose_lint: &["CL-0018"], kics: &[] },
        page: include_str!("../../../lints/PLC202-root-user-service.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let Some(user) = service.user.as_ref() else { continue };
        let Some(text) = known(user).filter(|u| is_root(u)) else { continue };
        // Over an image the table knows to run as non-root, `user:` root undoes a choice its publisher made.
        let image_user = service
            .image
            .as_ref()
            .and_then(|image| ImageRef::parse(image.value.trim()).ok())
            .and_then(|reference| users::default_user(&reference));
        let message = match image_user {
            Some(known) => format!(
                "service `{}` runs as root with `user: {text}`, overriding the non-root user `{}` of {}",
                service.name.value, known.user, known.images
            ),
            None => format!("service `{}` runs as root with `user: {text}`", service.name.value),
        };
        let (file, d) = ctx.finding(&RULE.meta, &user.origin, message);
        let help = "set a non-root user (`user: \"1000:1000\"`), or remove `user:` when the image's USER is not root";
        out.push((file, d.with_help(help)));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: \"1000:1000\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: app\n",
            // A non-root user in the root group is not root.
            "services:\n  web:\n    image: nginx:1.27\n    user: \"1000:0\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: ${UID}\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: rooter\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    user: root\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: 0\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: \"0:0\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: root:root\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: root:0\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: \"0:root\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: root:1000\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: \"000\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: ${UID:-0}\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn span_and_message_through_a_merge_key() {
        let text = "x-root: &root\n  user: \"0:0\"\nservices:\n  web:\n    image: nginx:1.27\n    <<: *root\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(d.message, "service `web` runs as root with `user: 0:0`");
        assert_eq!(&text[d.range.as_usize()], "<<");
        assert_eq!(&text[d.labels[0].range.as_usize()], "\"0:0\"");
    }

    #[test]
    fn over_an_image_that_runs_as_non_root_the_message_names_its_user() {
        let text = "services:\n  lab:\n    image: quay.io/jupyter/scipy-notebook:2024-10-07\n    user: root\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].1.message,
            "service `lab` runs as root with `user: root`, overriding the non-root user `jovyan` of Jupyter \
             docker-stacks images"
        );
    }

    #[test]
    fn span_is_the_value() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    user: root\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found[0].1.range.start as usize, text.find("root").expect("root"));
        assert_eq!(&text[found[0].1.range.as_usize()], "root");
    }
}
