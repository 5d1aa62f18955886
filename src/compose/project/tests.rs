use super::*;

fn fs(files: &[(&str, &str)]) -> MemoryFs {
    MemoryFs(files.iter().map(|(p, t)| (PathBuf::from(p), (*t).to_owned())).collect())
}

fn load_dir(files: &[(&str, &str)]) -> Project {
    let options = LoadOptions { dir: PathBuf::from("/p"), ..LoadOptions::default() };
    load(&options, &fs(files))
}

fn codes(project: &Project) -> Vec<&'static str> {
    project.diagnostics.iter().map(|(_, d)| d.code).collect()
}

fn service<'a>(project: &'a Project, name: &str) -> &'a Value {
    project.root.as_ref().and_then(|r| r.get("services")).and_then(|s| s.get(name)).expect("service")
}

/// The text a value was written as.
fn text_of<'a>(project: &'a Project, value: &Value) -> (&'a Path, &'a str) {
    let file = project.file(value.origin.place.file).expect("file");
    (&file.path, &file.text[value.origin.place.range.as_usize()])
}

#[test]
fn finds_the_compose_file_and_its_override() {
    let files = fs(&[
        ("/p/docker-compose.yml", ""),
        ("/p/compose.yaml", ""),
        ("/p/docker-compose.override.yml", ""),
        ("/p/compose.override.yaml", ""),
    ]);
    let found = find_project_files(Path::new("/p"), &files);
    assert_eq!(found, [PathBuf::from("/p/compose.yaml"), PathBuf::from("/p/compose.override.yaml")]);
    assert!(find_project_files(Path::new("/q"), &files).is_empty());
}

#[test]
fn the_override_file_is_merged_and_values_point_at_their_file() {
    let project = load_dir(&[
        ("/p/compose.yaml", "name: demo\nservices:\n  web:\n    image: nginx\n    ports: ['80:80']\n"),
        ("/p/compose.override.yaml", "services:\n  web:\n    image: nginx:1.27\n    ports: ['443:443']\n"),
    ]);
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    assert_eq!(project.name.as_deref(), Some("demo"));
    let web = service(&project, "web");
    let image = web.get("image").expect("image");
    assert_eq!(text_of(&project, image), (Path::new("/p/compose.override.yaml"), "nginx:1.27"));
    let ports = web.get("ports").and_then(Value::as_seq).expect("ports");
    assert_eq!(text_of(&project, &ports[0]), (Path::new("/p/compose.yaml"), "'80:80'"));
    assert_eq!(text_of(&project, &ports[1]), (Path::new("/p/compose.override.yaml"), "'443:443'"));
}

#[test]
fn explicit_files_and_reset_override_tags() {
    let options = LoadOptions {
        dir: PathBuf::from("/p"),
        files: vec![PathBuf::from("base.yaml"), PathBuf::from("sub/../prod.yaml")],
        ..LoadOptions::default()
    };
    let files = fs(&[
        ("/p/base.yaml", "services:\n  web:\n    image: a\n    ports: ['80:80']\n    cap_add: [X]\n"),
        ("/p/prod.yaml", "services:\n  web:\n    ports: !reset []\n    cap_add: !override [Y]\n"),
    ]);
    let project = load(&options, &files);
    let web = service(&project, "web");
    assert!(web.get("ports").is_none());
    assert_eq!(web.get("cap_add").and_then(Value::as_seq).map(|s| s.len()), Some(1));
    assert_eq!(project.name.as_deref(), Some("p"));
}

#[test]
fn a_missing_file_is_a_diagnostic() {
    let options =
        LoadOptions { dir: PathBuf::from("/p"), files: vec![PathBuf::from("nope.yaml")], ..LoadOptions::default() };
    let project = load(&options, &fs(&[]));
    assert!(project.root.is_none());
    assert_eq!(codes(&project), [crate::compose::YAML_SYNTAX_ERROR]);
    assert_eq!(project.files[0].path, PathBuf::from("/p/nope.yaml"));
}

#[test]
fn extends_in_the_same_file_and_from_another_folder() {
    let project = load_dir(&[
        (
            "/p/compose.yaml",
            "services:\n  base:\n    image: a\n    cap_add: [A]\n  web:\n    extends: base\n    cap_add: [B]\n  api:\n    extends:\n      file: common/services.yaml\n      service: app\n",
        ),
        (
            "/p/common/services.yaml",
            "services:\n  app:\n    extends:\n      file: ../shared/root.yaml\n      service: root\n    user: app\n",
        ),
        ("/p/shared/root.yaml", "services:\n  root:\n    image: busybox\n    read_only: true\n"),
    ]);
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    let web = service(&project, "web");
    assert!(web.get("extends").is_none());
    assert_eq!(web.get("cap_add").and_then(Value::as_seq).map(|s| s.len()), Some(2));
    let api = service(&project, "api");
    let image = api.get("image").expect("image");
    assert_eq!(text_of(&project, image), (Path::new("/p/shared/root.yaml"), "busybox"));
    // It came through two `extends`: the outermost is the one in compose.yaml.
    let extends: Vec<&Via> = image.origin.via.iter().filter(|v| matches!(v, Via::Extends { .. })).collect();
    assert_eq!(extends.len(), 2);
    let used = image.origin.use_place();
    let compose = project.file(used.file).expect("file");
    assert_eq!(compose.path, PathBuf::from("/p/compose.yaml"));
    assert_eq!(&compose.text[used.range.as_usize()], "extends");
    let user = api.get("user").expect("user");
    assert_eq!(text_of(&project, user), (Path::new("/p/common/services.yaml"), "app"));
}

#[test]
fn extends_cycles_and_missing_targets_are_reported() {
    let project = load_dir(&[(
        "/p/compose.yaml",
        "services:\n  a:\n    extends: b\n    image: x\n  b:\n    extends: a\n  c:\n    extends: nowhere\n  d:\n    extends: {file: missing.yaml, service: x}\n  e:\n    extends: e\n",
    )]);
    let messages: Vec<&str> = project.diagnostics.iter().map(|(_, d)| d.message.as_str()).collect();
    assert!(codes(&project).iter().all(|c| *c == INVALID_EXTENDS), "{messages:?}");
    assert!(
        messages.iter().any(|m| m.contains("cycle") && m.contains("a (compose.yaml) → b (compose.yaml) → a")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.contains("`nowhere` not found")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("missing.yaml")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("e (compose.yaml) → e (compose.yaml)")), "{messages:?}");
    // What could be read is kept.
    assert_eq!(service(&project, "a").get("image").and_then(Value::as_str), Some("x"));
}

#[test]
fn extends_reset_in_an_override_file_acts_on_the_base_files() {
    let project = load_dir(&[
        ("/p/compose.yaml", "services:\n  base:\n    image: a\n  web:\n    image: b\n    ports: ['80:80']\n"),
        (
            "/p/compose.override.yaml",
            "services:\n  dev:\n    image: c\n  web:\n    extends: dev\n    ports: !reset []\n",
        ),
    ]);
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    let web = service(&project, "web");
    assert!(web.get("ports").is_none(), "{:?}", web.get("ports"));
    assert_eq!(web.get("image").and_then(Value::as_str), Some("c"));
}

#[test]
fn include_brings_services_with_their_origin_and_reports_clashes() {
    let project = load_dir(&[
        ("/p/compose.yaml", "include:\n  - lib/db.yaml\n  - path: lib/clash.yaml\nservices:\n  web:\n    image: a\n"),
        ("/p/lib/db.yaml", "services:\n  db:\n    image: postgres\nvolumes:\n  data: {}\n"),
        ("/p/lib/clash.yaml", "services:\n  web:\n    image: other\n"),
    ]);
    assert_eq!(codes(&project), [INVALID_INCLUDE]);
    let (file, d) = &project.diagnostics[0];
    assert_eq!(&project.files[file.0 as usize].text[d.range.as_usize()], "path: lib/clash.yaml");
    assert!(d.message.contains("service `web`"), "{}", d.message);
    let db = service(&project, "db");
    let image = db.get("image").expect("image");
    assert_eq!(text_of(&project, image), (Path::new("/p/lib/db.yaml"), "postgres"));
    assert!(matches!(image.origin.via.last(), Some(Via::Include { .. })));
    assert_eq!(service(&project, "web").get("image").and_then(Value::as_str), Some("a"));
    assert!(project.root.as_ref().and_then(|r| r.get("volumes")).and_then(|v| v.get("data")).is_some());
}

#[test]
fn include_cycles_and_missing_files_are_reported() {
    let project = load_dir(&[
        ("/p/compose.yaml", "include:\n  - a.yaml\n  - gone.yaml\nservices: {}\n"),
        ("/p/a.yaml", "include:\n  - compose.yaml\nservices:\n  a:\n    image: a\n"),
    ]);
    let messages: Vec<&str> = project.diagnostics.iter().map(|(_, d)| d.message.as_str()).collect();
    assert!(codes(&project).iter().all(|c| *c == INVALID_INCLUDE), "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("include cycle")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("gone.yaml")), "{messages:?}");
    assert!(service(&project, "a").get("image").is_some());
}

#[test]
fn repeated_includes_are_bounded() {
    let mut files: Vec<(String, String)> = (0..40)
        .map(|i| (format!("/p/f{i}.yaml"), format!("include: [f{n}.yaml, f{n}.yaml]\nservices: {{}}\n", n = i + 1)))
        .collect();
    files.push(("/p/f40.yaml".to_owned(), "services:\n  s:\n    image: x\n".to_owned()));
    files.push(("/p/compose.yaml".to_owned(), "include: [f0.yaml]\n".to_owned()));
    let memory = MemoryFs(files.into_iter().map(|(p, t)| (PathBuf::from(p), t)).collect());
    let project = load(&LoadOptions { dir: PathBuf::from("/p"), ..LoadOptions::default() }, &memory);
    assert!(codes(&project).contains(&INVALID_INCLUDE));
}

#[test]
fn include_and_extends_together() {
    let project = load_dir(&[
        ("/p/compose.yaml", "include:\n  - lib/base.yaml\nservices:\n  web:\n    extends: base\n    user: app\n"),
        ("/p/lib/base.yaml", "services:\n  base:\n    image: busybox\n"),
    ]);
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    assert_eq!(service(&project, "web").get("image").and_then(Value::as_str), Some("busybox"));
}

#[test]
fn hostile_inputs_do_not_panic() {
    let _ = load_dir(&[("/p/compose.yaml", "- a\n- b\n")]);
    let _ = load_dir(&[("/p/compose.yaml", "include: 3\nservices: [a]\n")]);
    let _ = load_dir(&[(
        "/p/compose.yaml",
        "include:\n  - {path: []}\n  - [x]\nservices:\n  a:\n    extends: [x]\n  b:\n    extends: {file: 3}\n",
    )]);
    let _ = load_dir(&[("/p/compose.yaml", "services:\n  a: {extends: {service: a, file: compose.yaml}}\n")]);
    let _ = load_dir(&[("/p/compose.yaml", "services: {a: [\n")]);
}

#[test]
fn compose_go_fixtures_load_without_panicking() {
    let Some(shared) = crate::shared_data::path("corpus/compose-spec", "compose-go's fixtures load without panicking")
    else {
        return;
    };
    let mut stack = vec![shared.join("compose-go"), shared.join("docker-compose")];
    let mut count = 0;
    while let Some(dir) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&dir) else { continue };
        let mut entries: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
            if !is_yaml || path.to_string_lossy().contains("/expected-") {
                continue;
            }
            let Some(parent) = path.parent() else { continue };
            let options = LoadOptions {
                dir: parent.to_path_buf(),
                files: vec![path.clone()],
                use_process_env: false,
                ..LoadOptions::default()
            };
            let project = load(&options, &RealFs);
            count += 1;
            let errors: Vec<String> = project
                .diagnostics
                .iter()
                .filter(|(_, d)| d.severity == Severity::Error)
                .map(|(f, d)| format!("{}: {} {}", project.files[f.0 as usize].path.display(), d.code, d.message))
                .collect();
            if !errors.is_empty() {
                println!("{}:\n  {}", path.display(), errors.join("\n  "));
            }
        }
    }
    println!("{count} files loaded");
}

fn load_isolated(files: &[(&str, &str)], env: &[(&str, &str)]) -> Project {
    let options = LoadOptions {
        dir: PathBuf::from("/p"),
        use_process_env: false,
        env: env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        ..LoadOptions::default()
    };
    load(&options, &fs(files))
}

#[test]
fn dotenv_values_are_interpolated_and_explicit_env_wins() {
    let project = load_isolated(
        &[
            (
                "/p/compose.yaml",
                "services:\n  web:\n    image: \"nginx:${TAG}\"\n    privileged: ${PRIV:-false}\n    user: $WHO\n",
            ),
            ("/p/.env", "TAG=1.27\nPRIV=true\nWHO=nobody\n"),
        ],
        &[("WHO", "root")],
    );
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    let web = service(&project, "web");
    assert_eq!(web.get("image").and_then(Value::as_str), Some("nginx:1.27"));
    assert_eq!(web.get("privileged").and_then(Value::as_bool), Some(true));
    assert_eq!(web.get("user").and_then(Value::as_str), Some("root"));
    let image = web.get("image").expect("image");
    assert!(image.origin.via.iter().any(|v| matches!(v, Via::Interpolation { variable, .. } if variable == "TAG")));
}

#[test]
fn unset_and_required_variables_are_diagnostics_with_exact_ranges() {
    let text = "services:\n  web:\n    image: nginx:${TAG}\n    user: ${WHO:?set WHO}\n";
    let project = load_isolated(&[("/p/compose.yaml", text)], &[]);
    let found: Vec<(&str, &str)> =
        project.diagnostics.iter().map(|(_, d)| (d.code, &text[d.range.as_usize()])).collect();
    assert_eq!(found, [("PLC011", "${TAG}"), ("PLC005", "${WHO:?set WHO}")]);
}

#[test]
fn an_include_reads_its_own_env_file() {
    let project = load_isolated(
        &[
            (
                "/p/compose.yaml",
                "include:\n  - path: sub/compose.yaml\n    env_file: sub/vars.env\nservices:\n  a:\n    image: a\n",
            ),
            ("/p/sub/compose.yaml", "services:\n  b:\n    image: \"b:${B_TAG}\"\n"),
            ("/p/sub/vars.env", "B_TAG=2\n"),
        ],
        &[],
    );
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    assert_eq!(service(&project, "b").get("image").and_then(Value::as_str), Some("b:2"));
}

#[test]
fn a_bad_env_file_line_is_reported_in_the_env_file() {
    let project =
        load_isolated(&[("/p/compose.yaml", "services: {}\n"), ("/p/.env", "GOOD=1\nnot a statement\n")], &[]);
    let (file, d) = project.diagnostics.first().expect("a diagnostic");
    assert_eq!(d.code, "PLC012");
    assert_eq!(project.file(*file).map(|f| f.path.as_path()), Some(Path::new("/p/.env")));
}

/// Issue 11, bug 4: list-form `depends_on` in two files merges into a valid mapping (no false PLC007), in
/// either order with the map form.
#[test]
fn depends_on_lists_and_maps_merge_across_files_without_a_type_error() {
    let list = "services:\n  db:\n    image: pg\n  web:\n    image: app\n    depends_on: [db]\n";
    let map = "services:\n  web:\n    depends_on:\n      db:\n        condition: service_healthy\n";
    for (first, second) in [(list, list), (list, map), (map, list)] {
        let options = LoadOptions {
            dir: PathBuf::from("/p"),
            files: vec![PathBuf::from("a.yaml"), PathBuf::from("b.yaml")],
            ..LoadOptions::default()
        };
        let files = fs(&[("/p/a.yaml", first), ("/p/b.yaml", second)]);
        let (project, model) = crate::load_compose_project(&options, &files);
        assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
        let web = model.as_ref().and_then(|m| m.service("web")).expect("web");
        assert_eq!(web.depends_on.len(), 1);
        assert_eq!(web.depends_on[0].service.value, "db");
    }
}

/// Issue 11, bug 5: `extends` inherits `depends_on` and `volumes_from` (Compose 2.40.3 does), each pointing at
/// the base service's text and used at the `extends`.
#[test]
fn extends_inherits_depends_on_and_volumes_from() {
    let text = "services:\n  db:\n    image: pg\n  base:\n    image: app\n    depends_on: [db]\n    volumes_from: [db]\n  web:\n    extends: base\n";
    let project = load_dir(&[("/p/compose.yaml", text)]);
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    let web = service(&project, "web");
    for key in ["depends_on", "volumes_from"] {
        let item = web.get(key).and_then(Value::as_seq).and_then(|s| s.first()).expect(key);
        assert_eq!(text_of(&project, item).1, "db");
        let used = item.origin.use_place();
        assert_eq!(&text[used.range.as_usize()], "extends");
    }
}

/// `env_file` variables land in the service's environment with origins in the env file (registered as a project
/// file), under the service's own values; the file is taken from the folder of the file that names it.
#[test]
fn env_file_variables_point_into_the_env_file() {
    let project = load_dir(&[
        (
            "/p/compose.yaml",
            "services:\n  web:\n    extends:\n      file: sub/base.yaml\n      service: base\n    environment:\n      - MODE=own\n",
        ),
        ("/p/sub/base.yaml", "services:\n  base:\n    image: app\n    env_file: app.env\n"),
        ("/p/sub/app.env", "MODE=file\nTOKEN=abc\n"),
    ]);
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    let env = service(&project, "web").get("environment").expect("environment");
    let token = env.get("TOKEN").expect("TOKEN");
    assert_eq!(text_of(&project, token), (Path::new("/p/sub/app.env"), "abc"));
    let key = env.get_entry("TOKEN").map(|e| e.key_origin.place).expect("key");
    let file = project.file(key.file).expect("env file");
    assert!(file.is_env_file);
    assert_eq!(&file.text[key.range.as_usize()], "TOKEN");
    let mode = env.get("MODE").expect("MODE");
    assert_eq!(text_of(&project, mode).1, "own");
}
