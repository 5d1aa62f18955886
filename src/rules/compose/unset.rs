//! Unset variables never hide a finding, nor make one up: the tests of how the Compose and cross-file rules read
//! a value that holds the empty string Compose puts for an unset variable (`--no-env` in CI). Where that value is
//! valid and dangerous the finding is reported, its message starting "when `X` is unset" with a label at `${X}`
//! ([`ComposeContext::when_unset`](crate::rules::ComposeContext::when_unset)); where the empty string would make
//! a finding up (`nginx:${TAG}` is not `nginx:latest`), the value stays unknown. Each case is shown with the
//! variable unset and set.

#[cfg(test)]
mod tests {
    use crate::diagnostic::Diagnostic;
    use crate::rules::find;
    use crate::rules::testing::run_compose;

    /// The findings of rule `code` on `compose` (with `/p/.env` holding `env` when given, and more files).
    fn run(code: &str, compose: &str, env: Option<&str>, more: &[(&str, &str)]) -> Vec<Diagnostic> {
        let rule = find(code).expect("a rule");
        let mut files = vec![("/p/compose.yaml", compose)];
        files.extend(env.map(|e| ("/p/.env", e)));
        files.extend_from_slice(more);
        run_compose(rule, &files).into_iter().map(|(_, d)| d).collect()
    }

    /// (message, text at the primary range, [(text at the label, label message)]).
    fn shown<'t>(text: &'t str, d: &Diagnostic) -> (String, &'t str, Vec<(&'t str, String)>) {
        let labels = d.labels.iter().map(|l| (&text[l.range.as_usize()], l.message.clone())).collect();
        (d.message.clone(), &text[d.range.as_usize()], labels)
    }

    const UNSET_LABEL: &str = "is not set: Compose puts an empty string here";

    #[test]
    fn an_unset_host_root_mounts_the_host_root() {
        let text = "services:\n  s:\n    image: nginx:1.27\n    volumes:\n      - \"${HOST_ROOT}/:/host\"\n";
        let found = run("PLC304", text, None, &[]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let (message, at, labels) = shown(text, &found[0]);
        assert_eq!(
            message,
            "when `HOST_ROOT` is unset, service `s` mounts the host's `/` writable: it holds the runtime socket, which \
             answers even through a read-only mount"
        );
        assert_eq!(at, "\"${HOST_ROOT}/:/host\"");
        assert_eq!(labels, [("${HOST_ROOT}", format!("`HOST_ROOT` {UNSET_LABEL}"))]);
        // Set, it mounts that folder.
        assert!(run("PLC304", text, Some("HOST_ROOT=/srv/app\n"), &[]).is_empty());
        // The long syntax: the finding is on the `source` field.
        let long = "services:\n  s:\n    image: nginx:1.27\n    volumes:\n      - type: bind\n        source: ${HOST_ROOT}/\n        target: /host\n";
        let found = run("PLC304", long, None, &[]);
        let (message, at, labels) = shown(long, &found[0]);
        assert!(message.starts_with("when `HOST_ROOT` is unset, service `s` mounts the host's `/`"), "{message}");
        assert_eq!((at, labels), ("${HOST_ROOT}/", vec![("${HOST_ROOT}", format!("`HOST_ROOT` {UNSET_LABEL}"))]));
    }

    #[test]
    fn an_unset_address_publishes_on_all_interfaces() {
        let text = "services:\n  s:\n    image: nginx:1.27\n    ports:\n      - \"${BIND_IP}:8080:80\"\n";
        let found = run("PLC501", text, None, &[]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let (message, at, labels) = shown(text, &found[0]);
        assert_eq!(
            message,
            "when `BIND_IP` is unset, service `s` publishes port `:8080:80` on all interfaces of the host"
        );
        assert_eq!(at, "\"${BIND_IP}:8080:80\"");
        assert_eq!(labels, [("${BIND_IP}", format!("`BIND_IP` {UNSET_LABEL}"))]);
        assert!(found[0].fix.is_none());
        assert!(run("PLC501", text, Some("BIND_IP=127.0.0.1\n"), &[]).is_empty());
        // The long syntax: the label is at the `host_ip` variable.
        let long =
            "services:\n  s:\n    image: nginx:1.27\n    ports:\n      - target: 80\n        host_ip: ${BIND_IP}\n";
        let found = run("PLC501", long, None, &[]);
        let (message, _, labels) = shown(long, &found[0]);
        assert!(message.starts_with("when `BIND_IP` is unset, "), "{message}");
        assert_eq!(labels, [("${BIND_IP}", format!("`BIND_IP` {UNSET_LABEL}"))]);
        assert!(run("PLC501", long, Some("BIND_IP=127.0.0.1\n"), &[]).is_empty());
    }

    /// Bug: the `:-` of a default broke the split at `:` and the whole item was lost.
    #[test]
    fn a_default_address_with_an_unset_port_is_read() {
        let text = "services:\n  s:\n    image: nginx:1.27\n    ports:\n      - \"${BIND_IP:-0.0.0.0}:${PORT}:80\"\n      - \"${PORT}:81\"\n";
        let found = run("PLC501", text, None, &[]);
        assert_eq!(found.len(), 2, "{found:#?}");
        let (message, at, labels) = shown(text, &found[0]);
        // The address is 0.0.0.0 whatever PORT holds: the finding does not hang on PORT. The host port does:
        // it is unknown, not "ephemeral".
        assert_eq!(
            message,
            "service `s` publishes port `0.0.0.0::80` on all interfaces of the host (from `${BIND_IP}`) (from `${PORT}`)"
        );
        assert_eq!((at, labels), ("\"${BIND_IP:-0.0.0.0}:${PORT}:80\"", vec![]));
        assert_eq!(found[1].message, "service `s` publishes port `:81` on all interfaces of the host (from `${PORT}`)");
        assert!(found[1].labels.is_empty());
        // PLC502 does not take the empty host port for one below 1024, nor for none.
        assert!(run("PLC502", text, None, &[]).is_empty());
        // A set address or port changes nothing of that; a loopback default is fine.
        assert_eq!(run("PLC501", text, Some("PORT=8080\n"), &[]).len(), 2);
        let local =
            "services:\n  s:\n    image: nginx:1.27\n    ports:\n      - \"${BIND_IP:-127.0.0.1}:${PORT}:80\"\n";
        assert!(run("PLC501", local, None, &[]).is_empty());
    }

    /// Bug: the socket mount vanished with no diagnostic. With `RO` unset Compose refuses the file (an empty
    /// option); with it set, the socket is mounted: reported, not as "when `RO` is unset".
    #[test]
    fn a_default_socket_with_an_unset_option_is_mounted() {
        let text = "services:\n  s:\n    image: nginx:1.27\n    volumes:\n      - \"${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock:${RO}\"\n";
        let found = run("PLC303", text, None, &[]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let (message, at, labels) = shown(text, &found[0]);
        assert!(
            message.starts_with("service `s` mounts the runtime socket `/var/run/docker.sock`, which controls"),
            "{message}"
        );
        assert_eq!((at, labels), ("\"${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock:${RO}\"", vec![]));
        assert_eq!(run("PLC303", text, Some("RO=ro\n"), &[]).len(), 1);
        assert!(run("PLC303", text, Some("DOCKER_SOCK=./sock\nRO=ro\n"), &[]).is_empty());
    }

    /// A path that is the variable alone (`${SOCK}`) is unknown: not the project folder, not a socket.
    #[test]
    fn a_path_that_is_only_a_variable_is_unknown() {
        for code in ["PLC303", "PLC304"] {
            let text = "services:\n  s:\n    image: nginx:1.27\n    volumes:\n      - \"${SOCK}:/var/run/docker.sock\"\n      - ${ROOT}:/host\n";
            assert!(run(code, text, None, &[]).is_empty(), "{code}");
        }
        let text = "services:\n  s:\n    image: nginx:1.27\n    volumes:\n      - \"${SOCK}:/var/run/docker.sock\"\n";
        assert_eq!(run("PLC303", text, Some("SOCK=/var/run/docker.sock\n"), &[]).len(), 1);
    }

    #[test]
    fn an_unset_device_folder_gives_the_host_device() {
        let text = "services:\n  s:\n    image: nginx:1.27\n    devices:\n      - \"${DEV_ROOT}/dev/mem:/dev/mem\"\n      - \"${DEV}:/dev/sda\"\n";
        let found = run("PLC309", text, None, &[]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let (message, at, labels) = shown(text, &found[0]);
        assert!(
            message.starts_with("when `DEV_ROOT` is unset, service `s` gets the host device `/dev/mem`"),
            "{message}"
        );
        assert_eq!(
            (at, labels),
            ("\"${DEV_ROOT}/dev/mem:/dev/mem\"", vec![("${DEV_ROOT}", format!("`DEV_ROOT` {UNSET_LABEL}"))])
        );
        // Set, it is another path (any host device is still a warning, none about the host's memory).
        let set = run("PLC309", text, Some("DEV_ROOT=/opt\nDEV=/dev/dri\n"), &[]);
        let messages: Vec<&str> = set.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["service `s` gets the host device `/opt/dev/mem`: a host device weakens the container's isolation \
              (from `${DEV_ROOT}`)"]
        );
    }

    /// `user: ${APP_USER}` unset is `user: ""`: the service runs as its image's user, root here.
    #[test]
    fn an_unset_user_runs_as_the_image_user() {
        let dockerfile = ("/p/Dockerfile", "FROM alpine:3.20\nRUN echo hi\n");
        let text = "services:\n  s:\n    build: .\n    user: ${APP_USER}\n";
        let found = run("PLX201", text, None, &[dockerfile]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0];
        assert!(d.message.starts_with("when `APP_USER` is unset, service `s` runs as root"), "{}", d.message);
        assert_eq!(&text[d.range.as_usize()], "s");
        let at_variable: Vec<&str> = d
            .labels
            .iter()
            .filter(|l| l.elsewhere.is_none() && l.message == format!("`APP_USER` {UNSET_LABEL}"))
            .map(|l| &text[l.range.as_usize()])
            .collect();
        assert_eq!(at_variable, ["${APP_USER}"]);
        assert!(run("PLX201", text, Some("APP_USER=1000\n"), &[dockerfile]).is_empty());
        // Any other value holding an unset variable is still the deployer's choice.
        let partial = "services:\n  s:\n    build: .\n    user: ${APP_UID}:${APP_GID}\n";
        assert!(run("PLX201", partial, None, &[dockerfile]).is_empty());
        // And PLC202 does not read the empty user as root.
        assert!(run("PLC202", text, None, &[dockerfile]).is_empty());
    }

    /// An empty tag or image name is not "latest" nor "untagged": unknown.
    #[test]
    fn an_unset_tag_is_not_latest() {
        for image in ["nginx:${TAG}", "${IMAGE}", "${REGISTRY}nginx", "${REGISTRY}/nginx:${TAG}"] {
            let text = format!("services:\n  s:\n    image: {image}\n");
            for code in ["PLC101", "PLC102", "PLC104"] {
                assert!(run(code, &text, None, &[]).is_empty(), "{code} {image}");
            }
        }
        let text = "services:\n  s:\n    image: nginx:${TAG}\n";
        let found = run("PLC101", text, Some("TAG=latest\n"), &[]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].message, "service `s` uses image `nginx:latest` with the `latest` tag (from `${TAG}`)");
    }

    /// Values the empty string would make dangerous by accident stay unknown: a capability, a security option.
    #[test]
    fn unknown_values_make_no_finding() {
        let cases = [
            ("PLC301", "    cap_add:\n      - ${CAP}\n"),
            ("PLC302", "    cap_drop:\n      - ${DROP}\n"),
            ("PLC202", "    user: ${UID}0\n"),
            ("PLC401", "    environment:\n      DB_PASSWORD: secret${SUFFIX}\n"),
        ];
        for (code, body) in cases {
            let text = format!("services:\n  s:\n    image: nginx:1.27\n{body}");
            assert!(run(code, &text, None, &[]).is_empty(), "{code}: {body}");
        }
    }

    #[test]
    fn several_unset_variables_are_named_together() {
        let text = "services:\n  s:\n    image: nginx:1.27\n    volumes:\n      - \"${A}${B}/:/host\"\n";
        let found = run("PLC304", text, None, &[]);
        let (message, _, labels) = shown(text, &found[0]);
        assert!(message.starts_with("when `A` and `B` are unset, "), "{message}");
        assert_eq!(labels.iter().map(|(at, _)| *at).collect::<Vec<_>>(), ["${A}", "${B}"]);
    }

    /// PLX002: a build whose context or Dockerfile path holds an unset variable is not followed (the empty
    /// string would make it read another Dockerfile), and the message names the variable.
    #[test]
    fn a_build_path_with_an_unset_variable_is_not_followed() {
        use crate::compose::project::{LoadOptions, MemoryFs};
        let lint = |files: &[(&str, &str)]| -> Vec<Diagnostic> {
            let fs = MemoryFs(files.iter().map(|(p, t)| (std::path::PathBuf::from(p), (*t).to_owned())).collect());
            let options = LoadOptions { dir: "/p".into(), ..LoadOptions::default() };
            crate::lint_compose_project(&options, &fs)
                .into_iter()
                .flat_map(|r| r.diagnostics)
                .filter(|d| d.code.starts_with("PLX0"))
                .collect()
        };
        let dockerfile = ("/p/Dockerfile", "FROM alpine:3.20\nUSER 1000\n");
        let cases = [
            (
                "services:\n  s:\n    build:\n      context: .\n      dockerfile: ${DOCKERFILE}\n",
                "${DOCKERFILE}",
                "the build of service `s` is not followed: the Dockerfile path `${DOCKERFILE}` holds a variable that \
                 is not set (`DOCKERFILE`)",
            ),
            (
                "services:\n  s:\n    build:\n      context: ${APP_DIR}/web\n",
                "${APP_DIR}/web",
                "the build of service `s` is not followed: the build context `${APP_DIR}/web` holds a variable that \
                 is not set (`APP_DIR`)",
            ),
        ];
        for (text, at, message) in cases {
            let found = lint(&[("/p/compose.yaml", text), dockerfile, ("/p/web/Dockerfile", "FROM alpine:3.20\n")]);
            assert_eq!(found.len(), 1, "{found:#?}");
            assert_eq!(
                (found[0].code, found[0].message.as_str(), &text[found[0].range.as_usize()]),
                ("PLX002", message, at)
            );
            // Set, the build is followed.
            let env = ("/p/.env", "DOCKERFILE=Dockerfile\nAPP_DIR=.\n");
            let found = lint(&[
                ("/p/compose.yaml", text),
                dockerfile,
                ("/p/web/Dockerfile", "FROM alpine:3.20\nUSER 1\n"),
                env,
            ]);
            assert!(found.is_empty(), "{found:#?}");
        }
    }

    /// A named volume that binds a host path made of an unset variable and a system folder.
    #[test]
    fn an_unset_folder_in_a_bind_volume_is_named() {
        let text = "services:\n  s:\n    image: nginx:1.27\n    volumes:\n      - conf:/conf\nvolumes:\n  conf:\n    driver_opts:\n      type: none\n      o: bind\n      device: ${ROOT}/etc\n";
        let found = run("PLC304", text, None, &[]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let (message, at, labels) = shown(text, &found[0]);
        assert!(message.starts_with("when `ROOT` is unset, service `s` mounts the host's `/etc`"), "{message}");
        assert_eq!(at, "conf:/conf");
        assert_eq!(
            labels,
            [
                ("${ROOT}/etc", "the named volume binds the host path here".to_owned()),
                ("${ROOT}", format!("`ROOT` {UNSET_LABEL}"))
            ]
        );
        assert!(run("PLC304", text, Some("ROOT=/srv\n"), &[]).is_empty());
    }
}
