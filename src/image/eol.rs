//! Releases of Docker Official Images that are past their end of life, and how to tell from a reference.
//!
//! Rules are pure, so there is no clock here: the table lists only releases whose end of life is on or before
//! [`CHECKED`], the day it was last compared with the projects' own release pages. A release that ends later is
//! added when the table is next checked. Where a project has several stages of support, the date is the end of
//! the last free, public one: Debian LTS, Ubuntu standard support (not paid ESM), Alpine's `main` repository.
//!
//! An image is judged by its repository (a Docker Official Image such as `node`, `library/node`,
//! `docker.io/library/node`, or its mirror `public.ecr.aws/docker/library/node`) and the version at the start of
//! its tag: `node:16-alpine` is Node.js 16, `debian:buster-slim` is Debian 10. A tag without a version (`node:lts`,
//! `python:3`, `latest`) is not judged. The distribution named later in the tag is judged too:
//! `python:3.8-slim-buster` is Python 3.8 on Debian 10, and both are past their end of life.

use super::ImageRef;

/// The day the table was last checked against the projects' release pages.
pub const CHECKED: &str = "2026-11-23";

/// A release past its end of life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndOfLife {
    /// `Node.js`.
    pub product: &'static str,
    /// The release or cycle: `16`, `10 (buster)`.
    pub release: &'static str,
    /// The end of life, `YYYY-MM-DD`.
    pub date: &'static str,
    /// What to move to: `node:24 (LTS)`.
    pub successor: &'static str,
}

/// One release: the tag prefixes that name it, its label and its end of life.
struct Release {
    keys: &'static [&'static str],
    label: &'static str,
    date: &'static str,
}

const fn r(keys: &'static [&'static str], label: &'static str, date: &'static str) -> Release {
    Release { keys, label, date }
}

struct Product {
    name: &'static str,
    /// Docker Official Image names.
    images: &'static [&'static str],
    successor: &'static str,
    releases: &'static [Release],
}

const DEBIAN: Product = Product {
    name: "Debian",
    images: &["debian"],
    successor: "debian:13 (trixie)",
    releases: &[
        r(&["6", "squeeze"], "6 (squeeze)", "2016-02-29"),
        r(&["7", "wheezy"], "7 (wheezy)", "2018-05-31"),
        r(&["8", "jessie"], "8 (jessie)", "2020-06-30"),
        r(&["9", "stretch"], "9 (stretch)", "2022-06-30"),
        r(&["10", "buster"], "10 (buster)", "2024-06-30"),
        r(&["11", "bullseye"], "11 (bullseye)", "2026-08-31"),
    ],
};

/// Standard support; Ubuntu Pro's paid ESM goes on longer. 14.04 and 16.04 are given to the month by Ubuntu's
/// release table, written here as its last day.
const UBUNTU: Product = Product {
    name: "Ubuntu",
    images: &["ubuntu"],
    successor: "ubuntu:24.04 (noble)",
    releases: &[
        r(&["14.04", "trusty"], "14.04 LTS (trusty)", "2019-04-30"),
        r(&["16.04", "xenial"], "16.04 LTS (xenial)", "2021-04-30"),
        r(&["18.04", "bionic"], "18.04 LTS (bionic)", "2023-05-31"),
        r(&["18.10", "cosmic"], "18.10 (cosmic)", "2019-07-18"),
        r(&["19.04", "disco"], "19.04 (disco)", "2020-01-23"),
        r(&["19.10", "eoan"], "19.10 (eoan)", "2020-07-17"),
        r(&["20.04", "focal"], "20.04 LTS (focal)", "2025-05-31"),
        r(&["20.10", "groovy"], "20.10 (groovy)", "2021-07-22"),
        r(&["21.04", "hirsute"], "21.04 (hirsute)", "2022-01-20"),
        r(&["21.10", "impish"], "21.10 (impish)", "2022-07-14"),
        r(&["22.10", "kinetic"], "22.10 (kinetic)", "2023-07-20"),
        r(&["23.04", "lunar"], "23.04 (lunar)", "2024-01-25"),
        r(&["23.10", "mantic"], "23.10 (mantic)", "2024-07-11"),
        r(&["24.10", "oracular"], "24.10 (oracular)", "2025-07-10"),
    ],
};

const ALPINE: Product = Product {
    name: "Alpine Linux",
    images: &["alpine"],
    successor: "alpine:3.23 or later",
    releases: &[
        r(&["3.0"], "3.0", "2016-05-01"),
        r(&["3.1"], "3.1", "2016-11-01"),
        r(&["3.2"], "3.2", "2017-05-01"),
        r(&["3.3"], "3.3", "2017-11-01"),
        r(&["3.4"], "3.4", "2018-05-01"),
        r(&["3.5"], "3.5", "2018-11-01"),
        r(&["3.6"], "3.6", "2019-05-01"),
        r(&["3.7"], "3.7", "2019-11-01"),
        r(&["3.8"], "3.8", "2020-05-01"),
        r(&["3.9"], "3.9", "2020-11-01"),
        r(&["3.10"], "3.10", "2021-05-01"),
        r(&["3.11"], "3.11", "2021-11-01"),
        r(&["3.12"], "3.12", "2022-05-01"),
        r(&["3.13"], "3.13", "2022-11-01"),
        r(&["3.14"], "3.14", "2023-05-01"),
        r(&["3.15"], "3.15", "2023-11-01"),
        r(&["3.16"], "3.16", "2024-05-23"),
        r(&["3.17"], "3.17", "2024-11-22"),
        r(&["3.18"], "3.18", "2025-05-09"),
        r(&["3.19"], "3.19", "2025-11-01"),
        r(&["3.20"], "3.20", "2026-04-01"),
        r(&["3.21"], "3.21", "2026-11-01"),
    ],
};

const CENTOS: Product = Product {
    name: "CentOS",
    images: &["centos"],
    successor: "almalinux:9 or another maintained RHEL-compatible image",
    releases: &[
        r(&["6", "centos6"], "6", "2020-11-30"),
        r(&["7", "centos7"], "7", "2024-06-30"),
        r(&["8", "centos8"], "8", "2021-12-31"),
        r(&["stream8"], "Stream 8", "2024-05-31"),
    ],
};

const FEDORA: Product = Product {
    name: "Fedora",
    images: &["fedora"],
    successor: "fedora:43 or later",
    releases: &[
        r(&["28"], "28", "2019-05-28"),
        r(&["29"], "29", "2019-11-26"),
        r(&["30"], "30", "2020-05-26"),
        r(&["31"], "31", "2020-11-24"),
        r(&["32"], "32", "2021-05-25"),
        r(&["33"], "33", "2021-11-30"),
        r(&["34"], "34", "2022-06-07"),
        r(&["35"], "35", "2022-12-13"),
        r(&["36"], "36", "2023-05-16"),
        r(&["37"], "37", "2023-12-05"),
        r(&["38"], "38", "2024-05-21"),
        r(&["39"], "39", "2024-11-26"),
        r(&["40"], "40", "2025-05-13"),
    ],
};

const NODE: Product = Product {
    name: "Node.js",
    images: &["node"],
    successor: "node:24 (LTS)",
    releases: &[
        r(&["0.10"], "0.10", "2016-10-31"),
        r(&["0.12"], "0.12", "2016-12-31"),
        r(&["4"], "4", "2018-04-30"),
        r(&["5"], "5", "2016-06-30"),
        r(&["6"], "6", "2019-04-30"),
        r(&["7"], "7", "2017-06-30"),
        r(&["8"], "8", "2019-12-31"),
        r(&["9"], "9", "2018-06-30"),
        r(&["10"], "10", "2021-04-30"),
        r(&["11"], "11", "2019-06-01"),
        r(&["12"], "12", "2022-04-30"),
        r(&["13"], "13", "2020-06-01"),
        r(&["14"], "14", "2023-04-30"),
        r(&["15"], "15", "2021-06-01"),
        r(&["16"], "16", "2023-09-11"),
        r(&["17"], "17", "2022-06-01"),
        r(&["18"], "18", "2025-04-30"),
        r(&["19"], "19", "2023-06-01"),
        r(&["20"], "20", "2026-04-30"),
        r(&["21"], "21", "2024-06-01"),
        r(&["23"], "23", "2025-06-01"),
        r(&["25"], "25", "2026-06-01"),
    ],
};

const PYTHON: Product = Product {
    name: "Python",
    images: &["python"],
    successor: "python:3.13 or later",
    releases: &[
        r(&["2.7"], "2.7", "2020-01-01"),
        r(&["3.2"], "3.2", "2016-02-20"),
        r(&["3.3"], "3.3", "2017-09-29"),
        r(&["3.4"], "3.4", "2019-03-18"),
        r(&["3.5"], "3.5", "2020-09-30"),
        r(&["3.6"], "3.6", "2021-12-23"),
        r(&["3.7"], "3.7", "2023-06-27"),
        r(&["3.8"], "3.8", "2024-10-07"),
        r(&["3.9"], "3.9", "2025-10-31"),
        r(&["3.10"], "3.10", "2026-10-31"),
    ],
};

/// Go supports the two newest minor releases; each ends when the release two after it comes out.
const GO: Product = Product {
    name: "Go",
    images: &["golang"],
    successor: "golang:1.26 or later",
    releases: &[
        r(&["1.10"], "1.10", "2019-02-25"),
        r(&["1.11"], "1.11", "2019-09-03"),
        r(&["1.12"], "1.12", "2020-02-25"),
        r(&["1.13"], "1.13", "2020-08-11"),
        r(&["1.14"], "1.14", "2021-02-16"),
        r(&["1.15"], "1.15", "2021-08-16"),
        r(&["1.16"], "1.16", "2022-03-15"),
        r(&["1.17"], "1.17", "2022-08-02"),
        r(&["1.18"], "1.18", "2023-02-01"),
        r(&["1.19"], "1.19", "2023-08-08"),
        r(&["1.20"], "1.20", "2024-02-06"),
        r(&["1.21"], "1.21", "2024-08-13"),
        r(&["1.22"], "1.22", "2025-02-11"),
        r(&["1.23"], "1.23", "2025-08-12"),
    ],
};

/// Feature releases of the JDK that are not LTS: updates stop when the next release comes out.
const NON_LTS_JDK: &[Release] = &[
    r(&["12"], "12", "2019-09-17"),
    r(&["13"], "13", "2020-03-17"),
    r(&["14"], "14", "2020-09-15"),
    r(&["15"], "15", "2021-03-16"),
    r(&["16"], "16", "2021-09-14"),
    r(&["18"], "18", "2022-09-20"),
    r(&["19"], "19", "2023-03-21"),
    r(&["20"], "20", "2023-09-19"),
    r(&["22"], "22", "2024-09-17"),
    r(&["23"], "23", "2025-03-18"),
    r(&["24"], "24", "2025-09-16"),
];

const TEMURIN: Product = Product {
    name: "Eclipse Temurin (Java)",
    images: &["eclipse-temurin"],
    successor: "eclipse-temurin:25 (LTS)",
    releases: NON_LTS_JDK,
};

const OPENJDK: Product = Product {
    name: "OpenJDK",
    images: &["openjdk"],
    successor: "eclipse-temurin:25 (LTS); the openjdk image itself is deprecated",
    releases: NON_LTS_JDK,
};

const PHP: Product = Product {
    name: "PHP",
    images: &["php"],
    successor: "php:8.4 or later",
    releases: &[
        r(&["5.4"], "5.4", "2015-09-03"),
        r(&["5.5"], "5.5", "2016-07-21"),
        r(&["5.6"], "5.6", "2018-12-31"),
        r(&["7.0"], "7.0", "2019-01-10"),
        r(&["7.1"], "7.1", "2019-12-01"),
        r(&["7.2"], "7.2", "2020-11-30"),
        r(&["7.3"], "7.3", "2021-12-06"),
        r(&["7.4"], "7.4", "2022-11-28"),
        r(&["8.0"], "8.0", "2023-11-26"),
        r(&["8.1"], "8.1", "2025-12-31"),
    ],
};

const RUBY: Product = Product {
    name: "Ruby",
    images: &["ruby"],
    successor: "ruby:3.4 or later",
    releases: &[
        r(&["2.1"], "2.1", "2017-03-31"),
        r(&["2.2"], "2.2", "2018-03-31"),
        r(&["2.3"], "2.3", "2019-03-31"),
        r(&["2.4"], "2.4", "2020-03-31"),
        r(&["2.5"], "2.5", "2021-04-05"),
        r(&["2.6"], "2.6", "2022-04-12"),
        r(&["2.7"], "2.7", "2023-03-31"),
        r(&["3.0"], "3.0", "2024-04-23"),
        r(&["3.1"], "3.1", "2025-03-26"),
    ],
};

const POSTGRES: Product = Product {
    name: "PostgreSQL",
    images: &["postgres"],
    successor: "postgres:17 or later",
    releases: &[
        r(&["9.3"], "9.3", "2018-11-08"),
        r(&["9.4"], "9.4", "2020-02-13"),
        r(&["9.5"], "9.5", "2021-02-11"),
        r(&["9.6"], "9.6", "2021-11-11"),
        r(&["10"], "10", "2022-11-10"),
        r(&["11"], "11", "2023-11-09"),
        r(&["12"], "12", "2024-11-21"),
        r(&["13"], "13", "2025-11-13"),
    ],
};

const MYSQL: Product = Product {
    name: "MySQL",
    images: &["mysql"],
    successor: "mysql:8.4 (LTS)",
    releases: &[r(&["5.6"], "5.6", "2021-02-05"), r(&["5.7"], "5.7", "2023-10-21"), r(&["8.0"], "8.0", "2026-04-30")],
};

const PRODUCTS: &[Product] =
    &[DEBIAN, UBUNTU, ALPINE, CENTOS, FEDORA, NODE, PYTHON, GO, TEMURIN, OPENJDK, PHP, RUBY, POSTGRES, MYSQL];

/// Distributions whose releases may also be named later in another image's tag (`-buster`, `-alpine3.15`).
const BASES: &[(&Product, &str)] = &[(&DEBIAN, ""), (&UBUNTU, ""), (&ALPINE, "alpine")];

/// Registries that mirror the Docker Official Images, with the path prefix they keep them under.
const MIRRORS: &[(&str, &str)] = &[("public.ecr.aws", "docker/library/")];

/// Images outside Docker Hub that are the same product as an official image.
const OTHER_HOMES: &[(&str, &str, &str)] = &[("quay.io", "centos/centos", "centos")];

/// What a list from [`end_of_life_all`] says, for a message: "is Python 3.8, past its end of life since
/// 2024-10-07; move to python:3.13 or later (its base Debian 10 (buster) too, since 2024-06-30)". `None` when
/// the list is empty.
pub fn describe(found: &[EndOfLife]) -> Option<String> {
    let first = found.first()?;
    let mut text = format!(
        "is {} {}, past its end of life since {}; move to {}",
        first.product, first.release, first.date, first.successor
    );
    if let Some(base) = found.get(1) {
        text.push_str(&format!(" (its base {} {} too, since {})", base.product, base.release, base.date));
    }
    Some(text)
}

/// The help line of an end-of-life finding, with the date the table was last checked.
pub fn help() -> String {
    format!(
        "a release past its end of life gets no security fixes, so every new vulnerability in it stays open \
         (end-of-life table last checked {CHECKED})"
    )
}

/// The release of `reference` that is past its end of life, if any: the image's own release first
/// (`python:3.8-slim-buster` gives Python 3.8), else the distribution its tag names (Debian 10 there).
pub fn end_of_life(reference: &ImageRef) -> Option<EndOfLife> {
    end_of_life_all(reference).into_iter().next()
}

/// Every release of `reference` past its end of life: the image's own release, then the distribution its tag
/// names. At most two.
pub fn end_of_life_all(reference: &ImageRef) -> Vec<EndOfLife> {
    let mut found = Vec::new();
    let (Some(name), Some(tag)) = (official_name(reference), reference.tag.as_deref()) else { return found };
    let product = PRODUCTS.iter().find(|p| p.images.contains(&name));
    let rest = match product.and_then(|p| release_at_start(p, tag).map(|(release, rest)| (p, release, rest))) {
        Some((product, Some(release), rest)) => {
            found.push(eol(product, release));
            rest
        }
        Some((_, None, rest)) => rest,
        None => tag,
    };
    let is_distribution = product.is_some_and(|p| BASES.iter().any(|(base, _)| base.name == p.name));
    if !is_distribution && let Some(base) = base_in_variant(rest) {
        found.push(base);
    }
    found
}

fn eol(product: &Product, release: &Release) -> EndOfLife {
    EndOfLife { product: product.name, release: release.label, date: release.date, successor: product.successor }
}

/// The name of an official image (`node`), whether written `node`, `library/node`, `docker.io/library/node`, or
/// on a mirror of the official images.
fn official_name(reference: &ImageRef) -> Option<&str> {
    if reference.is_official() {
        return Some(reference.repository_basename());
    }
    let registry = reference.normalized_registry();
    let path = reference.path.as_str();
    let mirrored = MIRRORS
        .iter()
        .filter(|(host, _)| registry.eq_ignore_ascii_case(host))
        .find_map(|(_, prefix)| path.strip_prefix(prefix).filter(|name| !name.contains('/')));
    mirrored.or_else(|| {
        OTHER_HOMES
            .iter()
            .find(|(host, home, _)| registry.eq_ignore_ascii_case(host) && path == *home)
            .map(|(_, _, name)| *name)
    })
}

/// The release a tag starts with, `None` when it is not past its end of life, and the rest of the tag; `None`
/// overall when the tag does not start with a version of this product the table knows of (`lts`, `3`, `22`).
fn release_at_start<'p, 't>(product: &'p Product, tag: &'t str) -> Option<(Option<&'p Release>, &'t str)> {
    let eol = product.releases.iter().find_map(|release| {
        release.keys.iter().find_map(|key| version_prefix(tag, key)).map(|rest| (Some(release), rest))
    });
    // A supported version still ends where its digits end, so the variant after it can be judged.
    eol.or_else(|| {
        let end = tag.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(tag.len());
        (end > 0).then(|| (None, &tag[end..]))
    })
}

/// The rest of `tag` after `key`, when `tag` starts with the release `key`: `16` starts `16`, `16.20.2` and
/// `16-alpine`, not `160`; `3.1` starts `3.1.4`, not `3.10`.
fn version_prefix<'t>(tag: &'t str, key: &str) -> Option<&'t str> {
    let rest = tag.strip_prefix(key)?;
    match rest.bytes().next() {
        Some(b) if b.is_ascii_alphanumeric() => None,
        _ => Some(rest),
    }
}

/// A distribution release named in the variant part of a tag: `-slim-buster`, `-alpine3.15`, `-jdk-focal`. A bare
/// number (`-10`) is not taken for a release.
fn base_in_variant(variant: &str) -> Option<EndOfLife> {
    variant.split(['-', '_']).find_map(|word| {
        BASES.iter().find_map(|(product, prefix)| {
            let release = if prefix.is_empty() {
                let is_codename = |key: &str| key.bytes().all(|b| b.is_ascii_lowercase());
                product.releases.iter().find(|r| r.keys.iter().any(|key| *key == word && is_codename(key)))
            } else {
                let version = word.strip_prefix(prefix).filter(|v| !v.is_empty())?;
                product.releases.iter().find(|r| r.keys.iter().any(|key| version_prefix(version, key).is_some()))
            }?;
            Some(eol(product, release))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(image: &str) -> Option<(&'static str, &'static str)> {
        let reference = ImageRef::parse(image).unwrap_or_else(|e| panic!("{image}: {e}"));
        end_of_life(&reference).map(|e| (e.product, e.release))
    }

    fn all(image: &str) -> Vec<(&'static str, &'static str)> {
        let reference = ImageRef::parse(image).unwrap_or_else(|e| panic!("{image}: {e}"));
        end_of_life_all(&reference).into_iter().map(|e| (e.product, e.release)).collect()
    }

    #[test]
    fn distributions_by_version_and_codename() {
        assert_eq!(judge("debian:buster-slim"), Some(("Debian", "10 (buster)")));
        assert_eq!(judge("debian:10"), Some(("Debian", "10 (buster)")));
        assert_eq!(judge("debian:10.13-slim"), Some(("Debian", "10 (buster)")));
        assert_eq!(judge("debian:stretch-20220622"), Some(("Debian", "9 (stretch)")));
        assert_eq!(judge("debian:bullseye"), Some(("Debian", "11 (bullseye)")));
        assert_eq!(judge("debian:jessie"), Some(("Debian", "8 (jessie)")));
        assert_eq!(judge("ubuntu:bionic"), Some(("Ubuntu", "18.04 LTS (bionic)")));
        assert_eq!(judge("ubuntu:18.04"), Some(("Ubuntu", "18.04 LTS (bionic)")));
        assert_eq!(judge("ubuntu:focal-20240530"), Some(("Ubuntu", "20.04 LTS (focal)")));
        assert_eq!(judge("ubuntu:23.10"), Some(("Ubuntu", "23.10 (mantic)")));
        assert_eq!(judge("alpine:3.19"), Some(("Alpine Linux", "3.19")));
        assert_eq!(judge("alpine:3.19.1"), Some(("Alpine Linux", "3.19")));
        assert_eq!(judge("alpine:3.21"), Some(("Alpine Linux", "3.21")));
        assert_eq!(judge("alpine:3.22"), None);
        assert_eq!(judge("alpine:3.1"), Some(("Alpine Linux", "3.1")));
        assert_eq!(judge("centos:7"), Some(("CentOS", "7")));
        assert_eq!(judge("centos:centos7.9.2009"), Some(("CentOS", "7")));
        assert_eq!(judge("quay.io/centos/centos:stream8"), Some(("CentOS", "Stream 8")));
        assert_eq!(judge("fedora:38"), Some(("Fedora", "38")));
    }

    #[test]
    fn supported_distributions_pass() {
        for image in [
            "debian:12",
            "debian:bookworm-slim",
            "debian:trixie",
            "debian:13.1",
            "ubuntu:22.04",
            "ubuntu:jammy",
            "ubuntu:24.04",
            "ubuntu:noble-20240801",
            "alpine:3.22",
            "alpine:3.23.0",
            "alpine:edge",
            "quay.io/centos/centos:stream9",
            "fedora:43",
        ] {
            assert_eq!(judge(image), None, "{image}");
        }
    }

    #[test]
    fn languages_and_their_variants() {
        assert_eq!(judge("node:16-alpine"), Some(("Node.js", "16")));
        assert_eq!(judge("node:18.20.4-bookworm-slim"), Some(("Node.js", "18")));
        assert_eq!(judge("node:21"), Some(("Node.js", "21")));
        assert_eq!(judge("python:3.9-slim"), Some(("Python", "3.9")));
        assert_eq!(judge("python:2.7.18"), Some(("Python", "2.7")));
        assert_eq!(judge("golang:1.19-alpine"), Some(("Go", "1.19")));
        assert_eq!(judge("golang:1.20.14-bookworm"), Some(("Go", "1.20")));
        assert_eq!(judge("php:8.1-fpm"), Some(("PHP", "8.1")));
        assert_eq!(judge("php:7.4-apache"), Some(("PHP", "7.4")));
        assert_eq!(judge("ruby:3.1-slim"), Some(("Ruby", "3.1")));
        assert_eq!(judge("postgres:13-alpine"), Some(("PostgreSQL", "13")));
        assert_eq!(judge("postgres:9.6.24"), Some(("PostgreSQL", "9.6")));
        assert_eq!(judge("mysql:5.7"), Some(("MySQL", "5.7")));
        assert_eq!(judge("mysql:8.0.36-debian"), Some(("MySQL", "8.0")));
        assert_eq!(judge("eclipse-temurin:20-jdk"), Some(("Eclipse Temurin (Java)", "20")));
        assert_eq!(judge("eclipse-temurin:24_36-jre-alpine"), Some(("Eclipse Temurin (Java)", "24")));
        assert_eq!(judge("openjdk:18-jdk-slim"), Some(("OpenJDK", "18")));
    }

    #[test]
    fn supported_languages_pass() {
        for image in [
            "node:22",
            "node:24-alpine",
            "node:22.11.0-bookworm-slim",
            "python:3.12-slim",
            "python:3.13",
            "golang:1.25-alpine",
            "golang:1.26",
            "php:8.3-fpm",
            "ruby:3.3",
            "postgres:16",
            "postgres:17.2-alpine",
            "mysql:8.4",
            "eclipse-temurin:21-jre",
            "eclipse-temurin:17.0.8_7-jdk",
            "eclipse-temurin:25-jdk-noble",
            "openjdk:17-jdk",
            "redis:7.4",
            "nginx:1.27-alpine",
        ] {
            assert_eq!(judge(image), None, "{image}");
        }
    }

    #[test]
    fn versions_do_not_match_longer_numbers() {
        // `3.1` is not `3.10`, `1.2` is not `1.20`, `1` is not `16`.
        assert_eq!(judge("ruby:3.10"), None);
        assert_eq!(judge("alpine:3.190"), None);
        assert_eq!(judge("node:160"), None);
        assert_eq!(judge("python:3.10"), Some(("Python", "3.10")));
        assert_eq!(judge("python:3.11"), None);
        assert_eq!(judge("python:3.90"), None);
        assert_eq!(judge("golang:1.2"), None);
        assert_eq!(judge("node:4"), Some(("Node.js", "4")));
        assert_eq!(judge("node:4a"), None);
    }

    #[test]
    fn tags_without_a_version_are_not_judged() {
        for image in [
            "node",
            "node:lts",
            "node:lts-alpine",
            "node:current",
            "python:3",
            "python:latest",
            "ubuntu:latest",
            "debian",
            "golang:alpine",
            "node@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(judge(image), None, "{image}");
        }
    }

    #[test]
    fn the_distribution_in_a_variant_is_judged_too() {
        assert_eq!(all("python:3.8-slim-buster"), [("Python", "3.8"), ("Debian", "10 (buster)")]);
        assert_eq!(all("python:3.12-slim-buster"), [("Debian", "10 (buster)")]);
        assert_eq!(all("node:lts-buster"), [("Debian", "10 (buster)")]);
        assert_eq!(all("node:20-alpine3.18"), [("Node.js", "20"), ("Alpine Linux", "3.18")]);
        assert_eq!(all("node:22-alpine3.15"), [("Alpine Linux", "3.15")]);
        assert_eq!(all("golang:1.25-alpine3.22"), []);
        assert_eq!(all("golang:1.25-alpine"), []);
        assert_eq!(all("eclipse-temurin:17-jdk-focal"), [("Ubuntu", "20.04 LTS (focal)")]);
        assert_eq!(all("ruby:3.3-bullseye"), [("Debian", "11 (bullseye)")]);
        assert_eq!(all("redis:6-buster"), [("Debian", "10 (buster)")]);
        assert_eq!(all("nginx:1.21-alpine3.14"), [("Alpine Linux", "3.14")]);
        // A bare number in a variant is not a Debian release.
        assert_eq!(all("php:8.3-fpm-10"), []);
        // The distributions themselves are judged once.
        assert_eq!(all("debian:buster-slim"), [("Debian", "10 (buster)")]);
        assert_eq!(all("alpine:3.18"), [("Alpine Linux", "3.18")]);
    }

    #[test]
    fn only_official_images_and_their_mirrors() {
        assert_eq!(judge("library/node:16"), Some(("Node.js", "16")));
        assert_eq!(judge("docker.io/library/node:16"), Some(("Node.js", "16")));
        assert_eq!(judge("index.docker.io/library/python:3.7"), Some(("Python", "3.7")));
        assert_eq!(judge("public.ecr.aws/docker/library/node:16-alpine"), Some(("Node.js", "16")));
        assert_eq!(judge("public.ecr.aws/docker/library/team/node:16"), None);
        assert_eq!(judge("bitnami/node:16"), None);
        assert_eq!(judge("ghcr.io/org/node:16"), None);
        assert_eq!(judge("registry.corp.example/library/node:16"), None);
        assert_eq!(judge("quay.io/other/centos:7"), None);
    }

    #[test]
    fn the_table_is_well_formed() {
        let is_date = |d: &str| {
            d.len() == 10
                && d.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
        };
        for product in PRODUCTS {
            for release in product.releases {
                assert!(is_date(release.date), "{} {}: {}", product.name, release.label, release.date);
                assert!(release.date <= CHECKED, "{} {} ends after the check date", product.name, release.label);
                assert!(!release.keys.is_empty());
            }
        }
    }

    #[test]
    fn the_whole_answer() {
        let reference = ImageRef::parse("python:3.8-slim-buster").unwrap();
        assert_eq!(
            end_of_life(&reference),
            Some(EndOfLife {
                product: "Python",
                release: "3.8",
                date: "2024-10-07",
                successor: "python:3.13 or later"
            })
        );
    }
}
