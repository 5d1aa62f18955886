//! PLC501 port-on-all-interfaces: a published port bound to every interface of the host (no host address,
//! `0.0.0.0`, `::`); an error for database, cache, admin and remote-access ports.

use crate::Severity;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::TextRange;

use super::ports::{Knowable, Published, published};
use super::service_image::image_names;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC501",
        name: "port-on-all-interfaces",
        summary: "A published port listens on every interface of the host, past its firewall",
        severity: Severity::Warning,
        target: Target::Compose,
        fix: FixAvailability::Sometimes,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.14"],
            compose_lint: &["CL-0005"],
            kics: &["Container Traffic Not Bound To Host Interface"],
        },
        page: include_str!("../../../lints/PLC501-port-on-all-interfaces.md"),
    },
    check: Check::Compose(check),
};

/// Ports of data stores, admin interfaces and remote access, which should never face every network, with the
/// product that listens there and the image names (parts of the image's last path component) that run it. A
/// port says what listens only together with the image: 9200 is Elasticsearch on `elasticsearch`, and ownCloud's
/// web interface on `ocis`; 9000 is Portainer on `portainer`, and SonarQube on `sonarqube`.
const SENSITIVE_PORTS: &[(u16, &str, &[&str])] = &[
    (22, "SSH", &["ssh", "sftp"]),
    (23, "Telnet", &["telnet"]),
    (1433, "SQL Server", &["mssql", "sqlserver", "sql-server", "azure-sql-edge"]),
    (1521, "Oracle Database", &["oracle"]),
    (2181, "ZooKeeper", &["zookeeper"]),
    (2375, "the Docker API, unencrypted", &["docker", "dind", "socket-proxy"]),
    (2376, "the Docker API", &["docker", "dind"]),
    (2379, "etcd", &["etcd"]),
    (3306, "MySQL", &["mysql", "percona"]),
    (3306, "MariaDB", &["mariadb"]),
    (3389, "RDP", &["rdp", "windows"]),
    (4369, "Erlang epmd", &["rabbitmq", "couchdb", "erlang", "emqx", "ejabberd"]),
    (5432, "PostgreSQL", &["postgres", "postgis", "timescale", "pgvector"]),
    (5601, "Kibana", &["kibana"]),
    (5601, "OpenSearch Dashboards", &["opensearch-dashboards"]),
    (5672, "AMQP", &["rabbitmq", "activemq", "artemis", "qpid", "lavinmq"]),
    (5900, "VNC", &["vnc"]),
    (5984, "CouchDB", &["couchdb"]),
    (6379, "Redis", &["redis", "valkey", "keydb", "dragonfly"]),
    (8086, "InfluxDB", &["influxdb"]),
    (8500, "Consul", &["consul"]),
    (9000, "Portainer's admin console", &["portainer"]),
    (9000, "MinIO's S3 API", &["minio"]),
    (9042, "Cassandra", &["cassandra", "scylla"]),
    (9092, "Kafka", &["kafka", "redpanda"]),
    (9200, "Elasticsearch", &["elasticsearch"]),
    (9200, "OpenSearch", &["opensearch"]),
    (9300, "Elasticsearch transport", &["elasticsearch"]),
    (9300, "OpenSearch transport", &["opensearch"]),
    (11211, "Memcached", &["memcached"]),
    (15672, "RabbitMQ management", &["rabbitmq"]),
    (27017, "MongoDB", &["mongo"]),
];

/// What a sensitive port is, by its container or host port and the service's image names.
fn sensitive(p: &Published<'_>, images: &[String]) -> Option<(u16, &'static str)> {
    let host = match p.host_ports {
        Knowable::Known(Some((start, end))) if start == end => Some(start),
        _ => None,
    };
    // Published on the web's ports, it is served as a web front end, whatever listens inside (`80:9000`).
    if host.is_some_and(|h| h == 80 || h == 443) {
        return None;
    }
    let runs = |names: &[&str]| images.iter().any(|image| names.iter().any(|n| image.contains(n)));
    [p.target, host].into_iter().flatten().find_map(|port| {
        SENSITIVE_PORTS.iter().find(|(n, _, names)| *n == port && runs(names)).map(|(n, what, _)| (*n, *what))
    })
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        let images = image_names(ctx, service);
        for p in published(service) {
            if !p.on_all_interfaces() {
                continue;
            }
            let shown = p.port.value.short.clone().unwrap_or_else(|| long_syntax(&p));
            let mut message = match p.host_ports {
                Knowable::Known(None) => format!(
                    "service `{name}` publishes port `{shown}` on an ephemeral host port on all interfaces of the host"
                ),
                _ => format!("service `{name}` publishes port `{shown}` on all interfaces of the host"),
            };
            let product = sensitive(&p, &images);
            if let Some((port, what)) = product {
                message.push_str(&format!(": {port} is {what}, which should not face every network"));
            }
            let (file, mut d) = ctx.finding(&RULE.meta, &p.ip_origin, message);
            if product.is_some() {
                d.severity = Severity::Error;
            }
            d = d.with_help(
                "bind it to one address (`127.0.0.1:8080:80`, or `host_ip: 127.0.0.1`), and reach it from other \
                 hosts through a reverse proxy; services of the same project reach it without publishing",
            );
            d.fix = fix(ctx, &p);
            out.push((file, d));
        }
    }
}

/// `published:target` of a long-syntax port, for the message.
fn long_syntax(p: &Published<'_>) -> String {
    let target = p.target.map_or_else(|| "?".to_owned(), |t| t.to_string());
    match &p.port.value.published {
        Some(published) => format!("{published}:{target}"),
        None => target,
    }
}

/// Binds a short-syntax port written in place to `127.0.0.1`: `"8080:80"` → `"127.0.0.1:8080:80"`,
/// `0.0.0.0:8080:80` → `127.0.0.1:8080:80`, `"80"` → `"127.0.0.1::80"`.
fn fix(ctx: &ComposeContext<'_>, p: &Published<'_>) -> Option<Fix> {
    let short = p.port.value.short.as_deref()?;
    let origin = &p.port.origin;
    if !origin.via.is_empty() || short.contains('$') {
        return None;
    }
    let place = origin.place;
    let text = ctx.project.file(place.file)?.text.get(place.range.as_usize())?;
    let inner_start = usize::from(text.starts_with(['"', '\'']));
    if text.get(inner_start..inner_start + short.len())? != short {
        return None;
    }
    let at = place.range.start as usize + inner_start;
    let (range, replacement) = match p.host_ip {
        Knowable::Known(None) if !short.contains(':') => (TextRange::from_usize(at, at), "127.0.0.1::".to_owned()),
        Knowable::Known(None) => (TextRange::from_usize(at, at), "127.0.0.1:".to_owned()),
        Knowable::Known(Some(_)) => {
            // Everything before the host port and container port is the address.
            let cut = short.rmatch_indices(':').nth(1).map(|(i, _)| i)?;
            (TextRange::from_usize(at, at + cut), "127.0.0.1".to_owned())
        }
        Knowable::Unknown => return None,
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: "bind the port to 127.0.0.1".to_owned(),
        edits: vec![Edit { range, replacement }],
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::Severity;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    fn fixed(text: &str) -> Vec<String> {
        run_compose(&RULE, &[("/p/compose.yaml", text)])
            .into_iter()
            .map(|(_, d)| crate::rules::testing::fixed(text, &d))
            .collect()
    }

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"127.0.0.1:8080:80\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"[::1]:8080:80\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - 192.168.1.10:8080:80\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - target: 80\n        published: 8080\n        host_ip: 127.0.0.1\n",
            "services:\n  web:\n    image: nginx:1.27\n    expose:\n      - \"80\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n    ports:\n      - \"8080:80\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"${BIND_IP:-127.0.0.1}:8080:80\"\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - 8080:80\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"0.0.0.0:8080:80\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"[::]:8080:80\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \":::8080:80\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"80\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"${PORT}:80\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - target: 80\n        published: 8080\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - target: 80\n        host_ip: 0.0.0.0\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8000-8010:8000-8010\"\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn span_message_and_severity() {
        let text = "services:\n  db:\n    image: postgres:16.4\n    ports:\n      - \"5432:5432\"\n      - 8000-8002:8000-8002\n      - 80:9000\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 3, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "\"5432:5432\"");
        assert_eq!(found[2].1.severity, Severity::Warning);
        assert_eq!(
            d.message,
            "service `db` publishes port `5432:5432` on all interfaces of the host: 5432 is PostgreSQL, which should \
             not face every network"
        );
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(found[1].1.severity, Severity::Warning);
        assert_eq!(&text[found[1].1.range.as_usize()], "8000-8002:8000-8002");
    }

    #[test]
    fn a_port_names_its_product_and_is_an_error_only_when_the_image_runs_it() {
        let text = "services:\n  owncloud:\n    image: owncloud/ocis:5.0\n    ports: [\"9200:9200\"]\n  sonar:\n    image: sonarqube:10.7-community\n    ports: [\"9000:9000\"]\n  search:\n    image: docker.elastic.co/elasticsearch/elasticsearch:${ES_VERSION:-8.15.0}\n    ports: [\"9200:9200\"]\n  s3:\n    image: minio/minio:RELEASE.2024-10-13T13-34-11Z\n    ports: [\"9000:9000\"]\n  maria:\n    image: mariadb:11.4\n    ports: [\"3306:3306\"]\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let got: Vec<(Severity, &str)> = found.iter().map(|(_, d)| (d.severity, d.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (Severity::Warning, "service `owncloud` publishes port `9200:9200` on all interfaces of the host"),
                (Severity::Warning, "service `sonar` publishes port `9000:9000` on all interfaces of the host"),
                (
                    Severity::Error,
                    "service `search` publishes port `9200:9200` on all interfaces of the host: 9200 is Elasticsearch, \
                     which should not face every network"
                ),
                (
                    Severity::Error,
                    "service `s3` publishes port `9000:9000` on all interfaces of the host: 9000 is MinIO's S3 API, \
                     which should not face every network"
                ),
                (
                    Severity::Error,
                    "service `maria` publishes port `3306:3306` on all interfaces of the host: 3306 is MariaDB, which \
                     should not face every network"
                ),
            ]
        );
    }

    #[test]
    fn a_built_service_is_known_by_the_base_image_of_its_dockerfile() {
        let text = "services:\n  elasticsearch:\n    build: ./elasticsearch\n    ports: [\"9200:9200\"]\n  app:\n    build: ./app\n    ports: [\"9200:9200\"]\n";
        let es = "ARG ELASTIC_VERSION\nFROM docker.elastic.co/elasticsearch/elasticsearch:${ELASTIC_VERSION}\n";
        let app = "FROM node:22.11 AS build\nFROM build\nCMD [\"node\", \"server.js\"]\n";
        let files = [("/p/compose.yaml", text), ("/p/elasticsearch/Dockerfile", es), ("/p/app/Dockerfile", app)];
        let found = run_compose(&RULE, &files);
        let got: Vec<Severity> = found.iter().map(|(_, d)| d.severity).collect();
        assert_eq!(got, [Severity::Error, Severity::Warning], "{found:#?}");
    }

    #[test]
    fn an_invalid_long_syntax_published_port_is_the_loader_s_not_on_all_interfaces() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - target: 80\n        published: 127.0.0.1:8080\n";
        assert!(run_compose(&RULE, &[("/p/compose.yaml", text)]).is_empty());
        let fs = crate::compose::project::MemoryFs(
            [(std::path::PathBuf::from("/p/compose.yaml"), text.to_owned())].into_iter().collect(),
        );
        let options = crate::compose::project::LoadOptions { dir: "/p".into(), ..Default::default() };
        let (project, _) = crate::load_compose_project(&options, &fs);
        let loader: Vec<(&str, &str)> =
            project.diagnostics.iter().map(|(_, d)| (d.code, &text[d.range.as_usize()])).collect();
        assert_eq!(loader, [("PLC012", "127.0.0.1:8080")]);
    }

    #[test]
    fn a_bare_port_is_published_on_an_ephemeral_port() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"80\"\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(
            found[0].1.message,
            "service `web` publishes port `80` on an ephemeral host port on all interfaces of the host"
        );
    }

    #[test]
    fn fixes() {
        let head = "services:\n  web:\n    image: nginx:1.27\n    ports:\n";
        let cases = [
            ("      - \"8080:80\"\n", "      - \"127.0.0.1:8080:80\"\n"),
            ("      - 8080:80\n", "      - 127.0.0.1:8080:80\n"),
            ("      - '0.0.0.0:8080:80/udp'\n", "      - '127.0.0.1:8080:80/udp'\n"),
            ("      - \"[::]:8080:80\"\n", "      - \"127.0.0.1:8080:80\"\n"),
            ("      - \"80\"\n", "      - \"127.0.0.1::80\"\n"),
        ];
        for (before, after) in cases {
            assert_eq!(fixed(&format!("{head}{before}")), [format!("{head}{after}")]);
        }
    }

    #[test]
    fn no_fix_through_an_anchor_and_the_label_is_at_the_definition() {
        let text = "x-ports: &ports\n  - \"8080:80\"\nservices:\n  web:\n    image: nginx:1.27\n    ports: *ports\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "*ports");
        assert_eq!(&text[d.labels[0].range.as_usize()], "\"8080:80\"");
        assert!(d.fix.is_none());
        let long =
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - target: 80\n        published: 8080\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", long)]);
        assert!(found[0].1.fix.is_none());
        assert_eq!(found[0].1.message, "service `web` publishes port `8080:80` on all interfaces of the host");
    }
}
