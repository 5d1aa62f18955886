//! Well-known images whose default user is not root, so that an image built on them without a USER of its own
//! does not run as root.
//!
//! Each entry comes from the image's own Dockerfile or documentation, read on [`CHECKED`]. An image is matched by
//! its registry and path (as a trusted-registry pattern: `docker.io/bitnami/*`) and by its tag: .NET images are
//! non-root only in their chiseled and distroless variants, Chainguard's only outside their `-dev` variants. An
//! image the table does not know is not taken for non-root; the rules then name it ("unless `<image>` sets a
//! non-root user").

use super::{ImageRef, matches_registry_pattern};

/// The day the table was last compared with the images' Dockerfiles and documentation.
pub const CHECKED: &str = "2026-12-04";

/// An image's default user, as the table knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DefaultUser {
    /// The user the image's last USER sets: `app`, `1001`, `ContainerUser`.
    pub user: &'static str,
    /// The images the entry is about, for messages: `.NET chiseled images`.
    pub images: &'static str,
}

/// Which tags of a repository the entry is about.
#[derive(Clone, Copy)]
enum Tags {
    /// Every tag (and an untagged or digest-only reference).
    All,
    /// Tags containing one of these words.
    Containing(&'static [&'static str]),
    /// Tags containing none of these words (a digest-only reference is left out: its tag is unknown).
    Except(&'static [&'static str]),
}

/// Which repositories under an entry's patterns it is about, by the last component of their path.
#[derive(Clone, Copy)]
enum Names {
    Any,
    /// Any but these.
    Except(&'static [&'static str]),
    /// Exactly these.
    Among(&'static [&'static str]),
    /// Those starting with one of these.
    Starting(&'static [&'static str]),
}

struct Entry {
    /// Trusted-registry patterns (see [`matches_registry_pattern`]).
    patterns: &'static [&'static str],
    names: Names,
    tags: Tags,
    user: &'static str,
    images: &'static str,
}

const fn entry(
    patterns: &'static [&'static str],
    names: Names,
    tags: Tags,
    user: &'static str,
    images: &'static str,
) -> Entry {
    Entry { patterns, names, tags, user, images }
}

/// The Jupyter docker-stacks images (all end with `USER ${NB_UID}`, 1000, named `jovyan`).
const JUPYTER_STACKS: &[&str] = &[
    "docker-stacks-foundation",
    "base-notebook",
    "minimal-notebook",
    "scipy-notebook",
    "r-notebook",
    "julia-notebook",
    "tensorflow-notebook",
    "pytorch-notebook",
    "datascience-notebook",
    "pyspark-notebook",
    "all-spark-notebook",
];

const TABLE: &[Entry] = &[
    // .NET 8+: chiseled (Ubuntu) and distroless (Azure Linux) images set `USER $APP_UID` (app, 1654).
    entry(
        &["mcr.microsoft.com/dotnet/*"],
        Names::Any,
        Tags::Containing(&["chiseled", "distroless"]),
        "app",
        ".NET chiseled and distroless images",
    ),
    // Nano Server runs as ContainerUser since version 1709; 2016 (sac2016, 10.0.14393) ran as
    // ContainerAdministrator, and so does the untagged Docker Hub `microsoft/nanoserver` (2016). The .NET Nano
    // Server images keep its user.
    entry(
        &["mcr.microsoft.com/windows/nanoserver", "docker.io/microsoft/nanoserver"],
        Names::Any,
        Tags::Except(&["sac2016", "10.0.14393", "latest"]),
        "ContainerUser",
        "Windows Nano Server (1709 and later)",
    ),
    entry(
        &["mcr.microsoft.com/dotnet/*"],
        Names::Any,
        Tags::Containing(&["nanoserver"]),
        "ContainerUser",
        ".NET Nano Server images",
    ),
    // Chainguard images run as `nonroot` (65532), except their `-dev` variants and the base images meant to be
    // built on as root.
    entry(
        &["cgr.dev/*"],
        Names::Except(&["wolfi-base", "chainguard-base", "busybox"]),
        Tags::Except(&["dev"]),
        "nonroot",
        "Chainguard images (not their `-dev` variants)",
    ),
    // Distroless: the `nonroot` tags (`:nonroot`, `:debug-nonroot`, `:latest-nonroot`) set user 65532.
    entry(
        &["gcr.io/distroless/*"],
        Names::Any,
        Tags::Containing(&["nonroot"]),
        "nonroot",
        "distroless `nonroot` images",
    ),
    // The Jupyter docker-stacks images all end with `USER ${NB_UID}` (1000, named jovyan).
    entry(
        &["docker.io/jupyter/*", "quay.io/jupyter/*"],
        Names::Among(JUPYTER_STACKS),
        Tags::All,
        "jovyan",
        "Jupyter docker-stacks images",
    ),
    // Bitnami's application images run as 1001; minideb is a plain Debian base, run as root.
    entry(
        &["docker.io/bitnami/*", "docker.io/bitnamilegacy/*", "public.ecr.aws/bitnami/*"],
        Names::Except(&["minideb", "minideb-extras"]),
        Tags::All,
        "1001",
        "Bitnami images",
    ),
    entry(
        &[
            "docker.io/nginxinc/nginx-unprivileged",
            "ghcr.io/nginxinc/nginx-unprivileged",
            "public.ecr.aws/nginx/nginx-unprivileged",
        ],
        Names::Any,
        Tags::All,
        "nginx",
        "nginx-unprivileged",
    ),
    // Red Hat's UBI OpenJDK images run as 185 (jboss), its other language images (s2i) as 1001.
    entry(
        &["registry.access.redhat.com/ubi*", "registry.redhat.io/ubi*"],
        Names::Starting(&["openjdk-"]),
        Tags::All,
        "185",
        "Red Hat UBI OpenJDK images",
    ),
    entry(
        &["registry.access.redhat.com/ubi*", "registry.redhat.io/ubi*"],
        Names::Starting(&["python-", "nodejs-", "php-", "ruby-", "perl-", "go-toolset", "dotnet-"]),
        Tags::All,
        "1001",
        "Red Hat UBI language images",
    ),
    entry(&["docker.io/grafana/grafana", "docker.io/grafana/grafana-oss"], Names::Any, Tags::All, "472", "Grafana"),
    entry(
        &["docker.io/prom/*", "quay.io/prometheus/*"],
        Names::Except(&["busybox"]),
        Tags::All,
        "nobody",
        "Prometheus images",
    ),
    entry(&["docker.io/jenkins/jenkins"], Names::Any, Tags::All, "jenkins", "Jenkins"),
    entry(
        &["docker.elastic.co/elasticsearch/*", "docker.elastic.co/kibana/*", "docker.elastic.co/logstash/*"],
        Names::Any,
        Tags::All,
        "1000",
        "Elasticsearch, Kibana and Logstash",
    ),
    entry(&["quay.io/keycloak/keycloak"], Names::Any, Tags::All, "1000", "Keycloak"),
    entry(&["docker.io/library/sonarqube"], Names::Any, Tags::All, "sonarqube", "SonarQube"),
    entry(&["docker.io/apache/airflow"], Names::Any, Tags::All, "airflow", "Apache Airflow"),
    // SQL Server images run as mssql (10001) from 2019 on; 2017 ran as root.
    entry(
        &["mcr.microsoft.com/mssql/server"],
        Names::Any,
        Tags::Except(&["2017"]),
        "mssql",
        "SQL Server 2019 and later",
    ),
    // Last, a convention many publishers follow: a tag that says `nonroot` (`:nonroot`, `:1.2-nonroot`).
    entry(&["*"], Names::Any, Tags::Containing(&["nonroot"]), "nonroot", "images tagged `nonroot`"),
];

/// The default user of `reference` when the table knows it is not root.
pub fn default_user(reference: &ImageRef) -> Option<DefaultUser> {
    let name = reference.repository_basename();
    let tag = reference.effective_tag();
    TABLE.iter().find_map(|e| {
        let names = match e.names {
            Names::Any => true,
            Names::Except(names) => !names.contains(&name),
            Names::Among(names) => names.contains(&name),
            Names::Starting(starts) => starts.iter().any(|s| name.starts_with(s)),
        };
        let tags = match (e.tags, tag) {
            (Tags::All, _) => true,
            (Tags::Containing(words), Some(tag)) => words.iter().any(|w| tag.contains(w)),
            (Tags::Except(words), Some(tag)) => !words.iter().any(|w| tag_has_word(tag, w)),
            (_, None) => false,
        };
        let listed = names && tags && e.patterns.iter().any(|p| matches_registry_pattern(reference, p));
        listed.then_some(DefaultUser { user: e.user, images: e.images })
    })
}

/// Whether `word` is one of the `-`/`.`/`_`-separated words of `tag`, or starts it (`2017-latest`, `latest-dev`,
/// `sac2016`).
fn tag_has_word(tag: &str, word: &str) -> bool {
    tag.starts_with(word) || tag.split(['-', '_']).any(|w| w == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(image: &str) -> Option<&'static str> {
        let reference = ImageRef::parse(image).unwrap_or_else(|e| panic!("{image}: {e}"));
        default_user(&reference).map(|u| u.user)
    }

    #[test]
    fn known_non_root_images() {
        for (image, expected) in [
            ("mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled", "app"),
            ("mcr.microsoft.com/dotnet/runtime-deps:9.0-noble-chiseled-extra", "app"),
            ("mcr.microsoft.com/dotnet/runtime:8.0-azurelinux3.0-distroless", "app"),
            ("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022", "ContainerUser"),
            ("mcr.microsoft.com/windows/nanoserver:ltsc2022", "ContainerUser"),
            ("mcr.microsoft.com/windows/nanoserver:1809", "ContainerUser"),
            ("quay.io/jupyter/scipy-notebook:2024-10-07", "jovyan"),
            ("jupyter/base-notebook", "jovyan"),
            ("bitnami/redis:7.4", "1001"),
            ("docker.io/bitnami/postgresql:16", "1001"),
            ("nginxinc/nginx-unprivileged:1.27-alpine", "nginx"),
            ("cgr.dev/chainguard/python:latest", "nonroot"),
            ("cgr.dev/chainguard/static", "nonroot"),
            ("gcr.io/distroless/static-debian12:nonroot", "nonroot"),
            ("gcr.io/distroless/base-debian12:debug-nonroot", "nonroot"),
            ("registry.access.redhat.com/ubi9/python-312", "1001"),
            ("registry.access.redhat.com/ubi9/openjdk-21:1.20", "185"),
            ("grafana/grafana:11.3.0", "472"),
            ("prom/prometheus:v3.0.0", "nobody"),
            ("jenkins/jenkins:lts-jdk21", "jenkins"),
            ("docker.elastic.co/elasticsearch/elasticsearch:8.16.1", "1000"),
            ("sonarqube:10-community", "sonarqube"),
            ("mcr.microsoft.com/mssql/server:2022-latest", "mssql"),
            ("ghcr.io/org/app:1.2-nonroot", "nonroot"),
        ] {
            assert_eq!(user(image), Some(expected), "{image}");
        }
    }

    #[test]
    fn images_that_run_as_root_are_not_listed() {
        for image in [
            "mcr.microsoft.com/dotnet/aspnet:8.0",
            "mcr.microsoft.com/dotnet/sdk:9.0-noble",
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            "mcr.microsoft.com/windows/nanoserver:sac2016",
            "mcr.microsoft.com/windows/nanoserver:10.0.14393.2430",
            "microsoft/nanoserver",
            "cgr.dev/chainguard/python:latest-dev",
            "cgr.dev/chainguard/wolfi-base",
            "gcr.io/distroless/static-debian12",
            "jupyter/repo2docker",
            "bitnami/minideb:bookworm",
            "nginx:1.27",
            "registry.access.redhat.com/ubi9/ubi-minimal",
            "mcr.microsoft.com/mssql/server:2017-latest",
            "alpine:3.22",
            "ghcr.io/bitnami/redis:7",
            "mcr.microsoft.com/dotnet/aspnet@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(user(image), None, "{image}");
        }
    }
}
