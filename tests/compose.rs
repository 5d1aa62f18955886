//! A Compose project that uses every resolution feature at once, snapshotted two ways: as
//! `docker compose config --format json` would print it, and as the place each value's text is written
//! (so a finding can point at what a person must change).

use std::path::PathBuf;

use plimsoll::compose::model::Service;
use plimsoll::compose::project::{LoadOptions, MemoryFs};
use plimsoll::compose::tree::{Origin, Via};

const FILES: &[(&str, &str)] = &[
    (
        "/p/compose.yaml",
        r#"name: demo
x-hardening: &hardening
  read_only: true
  cap_drop: [ALL]
include:
  - path: cache/compose.yaml
    env_file: cache/cache.env
services:
  web:
    <<: *hardening
    image: "nginx:${NGINX_TAG:-1.27}"
    extends:
      file: common/base.yaml
      service: base
    ports:
      - "127.0.0.1:8080:80"
    environment:
      MODE: ${MODE-prod}
      PLUS: ${MODE:+set}
      LITERAL: "$$HOME"
      NESTED: ${MISSING:-${FALLBACK:-deep}}
    user: ${RUN_AS}
  worker:
    image: "worker:${WORKER_TAG}"
    ports: ["9000:9000"]
    depends_on: [web]
"#,
    ),
    (
        "/p/compose.override.yaml",
        r#"services:
  web:
    ports: !override
      - "127.0.0.1:8443:443"
  worker:
    ports: !reset []
    privileged: ${PRIV:-true}
"#,
    ),
    (
        "/p/common/base.yaml",
        r#"services:
  base:
    security_opt: ["no-new-privileges:true"]
    volumes:
      - ./data:/data:ro
"#,
    ),
    ("/p/cache/compose.yaml", "services:\n  cache:\n    image: \"redis:${REDIS_TAG}\"\n"),
    ("/p/cache/cache.env", "REDIS_TAG=7.4\n"),
    ("/p/.env", "WORKER_TAG=2.0\nRUN_AS=1000:1000\n"),
];

fn load() -> (plimsoll::compose::project::Project, plimsoll::compose::model::ComposeModel) {
    let fs = MemoryFs(FILES.iter().map(|(p, t)| (PathBuf::from(p), (*t).to_owned())).collect());
    let options = LoadOptions { dir: PathBuf::from("/p"), use_process_env: false, ..LoadOptions::default() };
    let (project, model) = plimsoll::load_compose_project(&options, &fs);
    (project, model.expect("a model"))
}

#[test]
fn resolved_project_dumps_like_compose_config() {
    let (project, model) = load();
    let errors: Vec<_> = project.diagnostics.iter().filter(|(_, d)| d.severity == plimsoll::Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:?}");
    insta::assert_json_snapshot!("resolved_project", plimsoll::compose::dump::to_config_json(&model));
}

/// `file:line:col "text"` of an origin, then how the value travelled.
fn place(project: &plimsoll::compose::project::Project, origin: &Origin) -> String {
    let describe = |p: plimsoll::compose::tree::Place| {
        let file = project.file(p.file).expect("file");
        let source = plimsoll::SourceFile::new(file.path.clone(), file.text.clone());
        let at = source.line_col(p.range.start);
        format!("{}:{}:{} {:?}", file.path.display(), at.line, at.column, &file.text[p.range.as_usize()])
    };
    let mut out = describe(origin.place);
    for via in &origin.via {
        out.push_str(&match via {
            Via::Alias { at } => format!(" via alias {}", describe(*at)),
            Via::MergeKey { at } => format!(" via merge key {}", describe(*at)),
            Via::Extends { at } => format!(" via extends {}", describe(*at)),
            Via::Include { at } => format!(" via include {}", describe(*at)),
            Via::Interpolation { variable, value } => format!(" via ${{{variable}}}={value:?}"),
            Via::Unset { variable, at, offset } => format!(" with ${{{variable}}} empty at {offset} {}", describe(*at)),
        });
    }
    out
}

#[test]
fn every_value_points_at_its_source_text() {
    let (project, model) = load();
    let service = |name: &str| -> &Service { model.service(name).expect("service") };
    let web = service("web");
    let worker = service("worker");
    let cache = service("cache");
    let mut lines = Vec::new();
    let mut show = |what: &str, origin: Option<&Origin>| {
        lines.push(format!("{what}: {}", origin.map_or_else(|| "absent".to_owned(), |o| place(&project, o))));
    };
    show("web.image", web.image.as_ref().map(|v| &v.origin));
    show("web.read_only (anchor)", web.read_only.as_ref().map(|v| &v.origin));
    show("web.cap_drop[0] (anchor)", web.cap_drop.first().map(|v| &v.origin));
    show("web.security_opt[0] (extends)", web.security_opt.first().map(|v| &v.origin));
    show("web.volumes[0] (extends)", web.volumes.first().map(|v| &v.origin));
    show("web.ports[0] (override)", web.ports.first().map(|v| &v.origin));
    show("web.user (.env)", web.user.as_ref().map(|v| &v.origin));
    show("worker.image (.env)", worker.image.as_ref().map(|v| &v.origin));
    show("worker.privileged (override, default)", worker.privileged.as_ref().map(|v| &v.origin));
    show("cache.image (include env_file)", cache.image.as_ref().map(|v| &v.origin));
    lines.push(format!("worker.ports after !reset: {}", worker.ports.len()));
    lines.push(format!("web.ports after !override: {}", web.ports.len()));
    insta::assert_snapshot!("value_origins", lines.join("\n"));
}
