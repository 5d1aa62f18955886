//! PLC303 runtime-socket-mount: a container runtime socket (Docker, containerd, Podman, CRI-O) or its folder
//! bind-mounted into a service, and `use_api_socket: true`.

use super::host_paths::{normalise, source_origin, volume_device};
use super::service_image::image_names;
use crate::Diagnostic;
use crate::Severity;
use crate::compose::model::Mount;
use crate::compose::tree::FileId;
use crate::rules::dockerfile::runtime_socket_volume::runtime_socket;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC303",
        name: "runtime-socket-mount",
        summary: "A service mounts a container runtime socket (`/var/run/docker.sock`): root on the host",
        severity: Severity::Error,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.32"],
            compose_lint: &["CL-0001"],
            kics: &["Docker Socket Mounted In Container"],
        },
        page: include_str!("../../../lints/PLC303-runtime-socket-mount.md"),
    },
    check: Check::Compose(check),
};

const HELP: &str = "remove the mount: whoever reaches the runtime API controls the host; if the service must \
                    drive containers, give it a filtering API proxy (tecnativa/docker-socket-proxy) over TCP";

const PROXY_HELP: &str = "allow only the API sections its clients need (no `POST`, `EXEC`, `BUILD` unless they must), \
                          and keep it on an internal network without `ports:`";

/// Filtering proxies of the runtime API, by image name: they mount the socket so that other services do not,
/// and answer only the API calls their allowlist names. `socket-proxy` in the name covers
/// `tecnativa/docker-socket-proxy`, `linuxserver/socket-proxy` (a fork of it) and `wollomatic/socket-proxy`;
/// `cetusguard` is `hectorm/cetusguard`.
const SOCKET_PROXIES: &[&str] = &["socket-proxy", "cetusguard"];

/// Whether a host path is a runtime socket or its folder, in any of the places daemons put it: `/run` (and
/// `/var/run`), a rootless daemon's `/run/user/<uid>`, Docker Desktop's `~/.docker/run`, the Windows pipe.
pub(super) fn is_runtime_socket(source: &str) -> bool {
    let windows_pipe = source.replace('\\', "/").trim_start_matches('/').eq_ignore_ascii_case("./pipe/docker_engine");
    windows_pipe
        || normalise(source).is_some_and(|path| {
            runtime_socket(&path)
                || matches!(path.as_str(), "~/.docker/run/docker.sock" | "~/.docker/desktop/docker.sock")
        })
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        let proxy = image_names(ctx, service).into_iter().find(|i| SOCKET_PROXIES.iter().any(|p| i.contains(p)));
        for mount in &service.volumes {
            if let Some(source) = mount_source(ctx, &mount.value) {
                let at = source_origin(service, "volumes", &mount.origin, mount.value.source.as_deref());
                if let Some(proxy) = &proxy {
                    let message = format!(
                        "service `{name}` mounts the runtime socket `{source}` as a socket proxy (`{proxy}`): the \
                         socket belongs there, and the proxy's allowlist decides what its clients can do"
                    );
                    let (file, mut d) = ctx.finding(&RULE.meta, &at, message);
                    d.severity = Severity::Info;
                    out.push((file, with_device_label(ctx, &mount.value, file, d).with_help(PROXY_HELP)));
                    continue;
                }
                let mut message =
                    format!("service `{name}` mounts the runtime socket `{source}`, which controls the engine");
                if mount.value.read_only {
                    message.push_str(" (read-only does not help: the API still answers on a read-only socket)");
                }
                let (file, d) = ctx.finding(&RULE.meta, &at, message);
                out.push((file, with_device_label(ctx, &mount.value, file, d).with_help(HELP)));
            }
        }
        if let Some(api) = service.use_api_socket.as_ref().filter(|u| u.value) {
            let message = format!(
                "service `{name}` sets `use_api_socket: true`: it gets the engine's socket and your registry credentials"
            );
            let (file, d) = ctx.finding(&RULE.meta, &api.origin, message);
            out.push((file, d.with_help("remove `use_api_socket`; push and pull from a CI step instead")));
        }
    }
}

/// A label at the `device` of the named volume that binds the socket, when the mount is one.
fn with_device_label(ctx: &ComposeContext<'_>, mount: &Mount, file: FileId, mut d: Diagnostic) -> Diagnostic {
    if let Some(device) = volume_device(ctx, mount).filter(|_| mount.kind == "volume") {
        d.labels.push(ctx.label(file, device.origin.use_place(), "the named volume binds the socket here"));
        ctx.when_unset(file, &device.origin, &mut d);
    }
    d
}

/// The host path of a mount when it is a runtime socket: a bind source, or the `device` of a named volume
/// declared with `driver_opts: {type: none, o: bind, device: …}`. Also read by PLC315.
pub(super) fn mount_source(ctx: &ComposeContext<'_>, mount: &Mount) -> Option<String> {
    let source = match mount.kind.as_str() {
        "bind" | "npipe" => mount.source.clone()?,
        "volume" => volume_device(ctx, mount)?.as_str()?.to_owned(),
        _ => return None,
    };
    is_runtime_socket(&source).then_some(source)
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ./data:/data\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - /var/run/dockerd:/x\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ./docker.sock:/var/run/docker.sock\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - docker.sock:/var/run/docker.sock\n",
            "services:\n  web:\n    image: nginx:1.27\n    use_api_socket: false\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ${SOCK}:/var/run/docker.sock\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes: [data:/data]\nvolumes:\n  data:\n    driver_opts: {type: none, o: bind, device: /srv/data}\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - //run//docker.sock/:/d.sock\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - /run/containerd:/run/containerd\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - /run/podman/podman.sock:/s\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - /var/run/crio/crio.sock:/s\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ${XDG_RUNTIME_DIR:-/run/user/1000}/docker.sock:/s\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ~/.docker/run/docker.sock:/var/run/docker.sock\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - type: bind\n        source: /var/run/docker.sock\n        target: /var/run/docker.sock\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - type: npipe\n        source: \\\\.\\pipe\\docker_engine\n        target: \\\\.\\pipe\\docker_engine\n",
            "services:\n  web:\n    image: nginx:1.27\n    use_api_socket: true\n",
            "services:\n  web:\n    image: nginx:1.27\n    volumes: [sock:/var/run/docker.sock]\nvolumes:\n  sock:\n    driver_opts: {type: none, o: bind, device: /var/run/docker.sock}\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn spans_the_item_or_the_source_and_says_read_only_does_not_help() {
        let text = "services:\n  ci:\n    image: jenkins/jenkins:2.479\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n      - type: bind\n        source: /run/docker.sock\n        target: /s\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let spans: Vec<&str> = found.iter().map(|(_, d)| &text[d.range.as_usize()]).collect();
        assert_eq!(spans, ["/var/run/docker.sock:/var/run/docker.sock:ro", "/run/docker.sock"]);
        assert_eq!(
            found[0].1.message,
            "service `ci` mounts the runtime socket `/var/run/docker.sock`, which controls the engine (read-only does \
             not help: the API still answers on a read-only socket)"
        );
        assert!(found[0].1.help.is_some());
    }

    #[test]
    fn a_socket_proxy_is_info_and_not_told_to_use_a_socket_proxy() {
        for image in [
            "tecnativa/docker-socket-proxy:0.3.0",
            "ghcr.io/tecnativa/docker-socket-proxy:v0.3",
            "lscr.io/linuxserver/socket-proxy:1.26.2",
            "wollomatic/socket-proxy:1.5.3",
            "hectorm/cetusguard:v1",
        ] {
            let text = format!(
                "services:\n  proxy:\n    image: {image}\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n"
            );
            let found = run_compose(&RULE, &[("/p/compose.yaml", &text)]);
            assert_eq!(found.len(), 1, "{image}");
            let d = &found[0].1;
            assert_eq!(d.severity, crate::Severity::Info, "{image}");
            assert_eq!(&text[d.range.as_usize()], "/var/run/docker.sock:/var/run/docker.sock:ro");
            assert!(d.message.contains("as a socket proxy"), "{}", d.message);
            let help = d.help.as_deref().unwrap_or_default();
            assert!(!help.contains("proxy") && help.contains("allow only"), "{help}");
        }
        let named = "services:\n  proxy:\n    image: tecnativa/docker-socket-proxy:0.3.0\n    volumes: [sock:/var/run/docker.sock]\nvolumes:\n  sock:\n    driver_opts: {type: none, o: bind, device: /var/run/docker.sock}\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", named)]);
        assert_eq!(found[0].1.severity, crate::Severity::Info);
        assert_eq!(&named[found[0].1.labels[0].range.as_usize()], "/var/run/docker.sock");
        let text = "services:\n  traefik:\n    image: traefik:v3.2\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found[0].1.severity, crate::Severity::Error);
    }

    #[test]
    fn through_a_merge_key_the_finding_is_at_the_merge_key_with_a_label_at_the_item() {
        let text = "x-sock: &sock\n  volumes:\n    - /var/run/docker.sock:/var/run/docker.sock\nservices:\n  agent:\n    <<: *sock\n    image: portainer/agent:2.21.4\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "<<");
        assert_eq!(&text[d.labels[0].range.as_usize()], "/var/run/docker.sock:/var/run/docker.sock");
    }

    #[test]
    fn a_named_volume_binding_the_socket_has_a_label_at_the_device() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    volumes: [sock:/var/run/docker.sock]\nvolumes:\n  sock:\n    driver_opts: {type: none, o: bind, device: /var/run/docker.sock}\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "sock:/var/run/docker.sock");
        assert_eq!(&text[d.labels[0].range.as_usize()], "/var/run/docker.sock");
    }
}
