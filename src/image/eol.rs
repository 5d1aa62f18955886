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
pub const CHECKED: &str = "2026-12-04";

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
    /// Docker Official Image names, or the names [`OTHER_HOMES`] gives images elsewhere.
    images: &'static [&'static str],
    successor: &'static str,
    /// A product all of whose images are past their end of life, whatever the tag (`ubi7`): its label and date.
    all: Option<(&'static str, &'static str)>,
    releases: &'static [Release],
}

const DEBIAN: Product = Product {
    name: "Debian",
    images: &["debian"],
    successor: "debian:13 (trixie)",
    all: None,
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
    all: None,
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
    all: None,
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
    all: None,
    releases: &[
        r(&["5", "centos5"], "5", "2017-03-31"),
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
    all: None,
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
    all: None,
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
    all: None,
    releases: &[
        r(&["2.7"], "2.7", "2020-01-01"),
        r(&["2"], "2", "2020-01-01"),
        r(&["3.0"], "3.0", "2009-06-27"),
        r(&["3.1"], "3.1", "2012-04-09"),
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
    all: None,
    releases: &[
        r(&["1.2"], "1.2", "2014-12-10"),
        r(&["1.3"], "1.3", "2015-08-19"),
        r(&["1.4"], "1.4", "2016-02-17"),
        r(&["1.5"], "1.5", "2016-08-15"),
        r(&["1.6"], "1.6", "2017-02-16"),
        r(&["1.7"], "1.7", "2017-08-24"),
        r(&["1.8"], "1.8", "2018-02-16"),
        r(&["1.9"], "1.9", "2018-08-24"),
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
    all: None,
    releases: NON_LTS_JDK,
};

/// The `openjdk` image is deprecated: since July 2022 only early-access builds are updated, so every release
/// it published as generally available (6 to 17) is frozen from then on (or earlier, where the JDK release ended
/// first). Its early-access builds of releases that have since shipped end with the release.
const OPENJDK: Product = Product {
    name: "OpenJDK",
    images: &["openjdk"],
    successor: "eclipse-temurin:25 (LTS); the openjdk image itself is deprecated",
    all: None,
    releases: &[
        r(&["6"], "6 (deprecated image)", "2022-07-31"),
        r(&["7"], "7 (deprecated image)", "2022-07-31"),
        r(&["8"], "8 (deprecated image)", "2022-07-31"),
        r(&["9"], "9", "2018-03-20"),
        r(&["10"], "10", "2018-09-25"),
        r(&["11"], "11 (deprecated image)", "2022-07-31"),
        r(&["12"], "12", "2019-09-17"),
        r(&["13"], "13", "2020-03-17"),
        r(&["14"], "14", "2020-09-15"),
        r(&["15"], "15", "2021-03-16"),
        r(&["16"], "16", "2021-09-14"),
        r(&["17"], "17 (deprecated image)", "2022-07-31"),
        r(&["18"], "18", "2022-09-20"),
        r(&["19"], "19", "2023-03-21"),
        r(&["20"], "20", "2023-09-19"),
        r(&["22"], "22", "2024-09-17"),
        r(&["23"], "23", "2025-03-18"),
        r(&["24"], "24", "2025-09-16"),
    ],
};

const PHP: Product = Product {
    name: "PHP",
    images: &["php"],
    successor: "php:8.4 or later",
    all: None,
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
    all: None,
    releases: &[
        r(&["1.9"], "1.9", "2015-02-23"),
        r(&["2.0"], "2.0", "2016-02-24"),
        r(&["2.1"], "2.1", "2017-03-31"),
        r(&["2.2"], "2.2", "2018-03-31"),
        r(&["2.3"], "2.3", "2019-03-31"),
        r(&["2.4"], "2.4", "2020-03-31"),
        r(&["2.5"], "2.5", "2021-04-05"),
        r(&["2.6"], "2.6", "2022-04-12"),
        r(&["2.7"], "2.7", "2023-03-31"),
        r(&["3.0"], "3.0", "2024-04-23"),
        r(&["3.1"], "3.1", "2025-03-26"),
        r(&["3.2"], "3.2", "2026-03-31"),
    ],
};

const POSTGRES: Product = Product {
    name: "PostgreSQL",
    images: &["postgres"],
    successor: "postgres:17 or later",
    all: None,
    releases: &[
        r(&["9.3"], "9.3", "2018-11-08"),
        r(&["9.4"], "9.4", "2020-02-13"),
        r(&["9.5"], "9.5", "2021-02-11"),
        r(&["9.6"], "9.6", "2021-11-11"),
        r(&["10"], "10", "2022-11-10"),
        r(&["11"], "11", "2023-11-09"),
        r(&["12"], "12", "2024-11-21"),
        r(&["13"], "13", "2025-11-13"),
        r(&["14"], "14", "2026-11-12"),
    ],
};

const MYSQL: Product = Product {
    name: "MySQL",
    images: &["mysql"],
    successor: "mysql:8.4 (LTS)",
    all: None,
    releases: &[r(&["5.6"], "5.6", "2021-02-05"), r(&["5.7"], "5.7", "2023-10-21"), r(&["8.0"], "8.0", "2026-04-30")],
};

/// .NET (and .NET Core before 5): each release ends on the date Microsoft gives; STS releases get 24 months since
/// .NET 9, which ends with .NET 8.
const DOTNET: Product = Product {
    name: ".NET",
    images: &[DOTNET_NAME],
    successor: "the .NET 10.0 (LTS) images (`mcr.microsoft.com/dotnet/aspnet:10.0` …)",
    all: None,
    releases: &[
        r(&["1.0"], "Core 1.0", "2019-06-27"),
        r(&["1.1"], "Core 1.1", "2019-06-27"),
        r(&["2.0"], "Core 2.0", "2018-10-01"),
        r(&["2.1"], "Core 2.1", "2021-08-21"),
        r(&["2.2"], "Core 2.2", "2019-12-23"),
        r(&["3.0"], "Core 3.0", "2020-03-03"),
        r(&["3.1"], "Core 3.1", "2022-12-13"),
        r(&["5.0"], "5", "2022-05-10"),
        r(&["6.0"], "6", "2024-11-12"),
        r(&["7.0"], "7", "2024-05-14"),
        r(&["8.0"], "8", "2026-11-10"),
        r(&["9.0"], "9", "2026-11-10"),
    ],
};

/// Windows Server's Semi-Annual Channel releases (18 months each); the LTSC releases (`ltsc2016`, `1809` =
/// `ltsc2019`, `ltsc2022`, `ltsc2025`) are supported for years more.
const WINDOWS: Product = Product {
    name: "Windows Server",
    images: &[WINDOWS_NAME],
    successor: "the ltsc2022 or ltsc2025 images",
    all: None,
    releases: &[
        r(&["sac2016"], "1607 (Nano Server, sac2016)", "2018-10-09"),
        r(&["1709", "10.0.16299"], "1709", "2019-04-09"),
        r(&["1803", "10.0.17134"], "1803", "2019-11-12"),
        r(&["1903", "10.0.18362"], "1903", "2020-12-08"),
        r(&["1909", "10.0.18363"], "1909", "2021-05-11"),
        r(&["2004", "10.0.19041"], "2004", "2021-12-14"),
        r(&["20H2", "10.0.19042"], "20H2", "2022-08-09"),
    ],
};

/// Oracle Linux's Premier Support (Extended Support is paid).
const ORACLE_LINUX: Product = Product {
    name: "Oracle Linux",
    images: &["oraclelinux"],
    successor: "oraclelinux:9 or later",
    all: None,
    releases: &[r(&["5"], "5", "2017-06-30"), r(&["6"], "6", "2021-03-01"), r(&["7"], "7", "2024-12-31")],
};

/// nginx supports only the newest stable (even) and mainline (odd) branch: a stable branch ends when the next
/// stable one is released, a mainline branch when the next mainline one is.
const NGINX: Product = Product {
    name: "nginx",
    images: &["nginx"],
    successor: "a current release of the stable or mainline branch",
    all: None,
    releases: &[
        r(&["1.10"], "1.10", "2017-04-12"),
        r(&["1.11"], "1.11", "2017-04-25"),
        r(&["1.12"], "1.12", "2018-04-17"),
        r(&["1.13"], "1.13", "2018-06-05"),
        r(&["1.14"], "1.14", "2019-04-23"),
        r(&["1.15"], "1.15", "2019-05-21"),
        r(&["1.16"], "1.16", "2020-04-21"),
        r(&["1.17"], "1.17", "2020-05-26"),
        r(&["1.18"], "1.18", "2021-04-20"),
        r(&["1.19"], "1.19", "2021-05-25"),
        r(&["1.20"], "1.20", "2022-05-24"),
        r(&["1.21"], "1.21", "2022-06-21"),
        r(&["1.22"], "1.22", "2023-04-11"),
        r(&["1.23"], "1.23", "2023-05-23"),
        r(&["1.24"], "1.24", "2024-04-23"),
        r(&["1.25"], "1.25", "2024-05-29"),
        r(&["1.26"], "1.26", "2025-04-23"),
        r(&["1.27"], "1.27", "2025-06-24"),
    ],
};

const OPENSUSE_LEAP: Product = Product {
    name: "openSUSE Leap",
    images: &[LEAP_NAME],
    successor: "opensuse/leap:16.0",
    all: None,
    releases: &[
        r(&["42.1"], "42.1", "2017-05-17"),
        r(&["42.2"], "42.2", "2018-01-26"),
        r(&["42.3"], "42.3", "2019-07-01"),
        r(&["15.0"], "15.0", "2019-12-03"),
        r(&["15.1"], "15.1", "2021-01-31"),
        r(&["15.2"], "15.2", "2021-12-31"),
        r(&["15.3"], "15.3", "2022-12-31"),
        r(&["15.4"], "15.4", "2023-12-07"),
        r(&["15.5"], "15.5", "2024-12-31"),
        r(&["15.6"], "15.6", "2026-04-30"),
    ],
};

/// SUSE Linux Enterprise 15's service packs, as the BCI base images tag them (`15.6`): general support ends six
/// months after the next service pack.
const SLE: Product = Product {
    name: "SUSE Linux Enterprise",
    images: &[SLE_NAME],
    successor: "registry.suse.com/bci/bci-base:15.7 or 16.0",
    all: None,
    releases: &[
        r(&["15.0"], "15 GA", "2019-12-31"),
        r(&["15.1"], "15 SP1", "2021-01-31"),
        r(&["15.2"], "15 SP2", "2021-12-31"),
        r(&["15.3"], "15 SP3", "2022-12-31"),
        r(&["15.4"], "15 SP4", "2023-12-31"),
        r(&["15.5"], "15 SP5", "2024-12-31"),
        r(&["15.6"], "15 SP6", "2025-12-31"),
    ],
};

/// Red Hat Enterprise Linux 7 (UBI 7) left maintenance on 2024-06-30 (Extended Life is paid).
const UBI7: Product = Product {
    name: "Red Hat UBI",
    images: &[UBI7_NAME],
    successor: "ubi9 or ubi10",
    all: Some(("7", "2024-06-30")),
    releases: &[],
};

/// A RHEL 8 minor release (a UBI 8 tag such as `8.4`) gets no more updates once the next minor is out; Extended
/// Update Support is paid and does not reach the UBI images.
const UBI8: Product = Product {
    name: "Red Hat UBI",
    images: &[UBI8_NAME],
    successor: "ubi8 at its last minor (`8.10`, or the untagged `ubi8`), or ubi9",
    all: None,
    releases: &[
        r(&["8.0"], "8.0", "2019-11-05"),
        r(&["8.1"], "8.1", "2020-04-28"),
        r(&["8.2"], "8.2", "2020-11-03"),
        r(&["8.3"], "8.3", "2021-05-18"),
        r(&["8.4"], "8.4", "2021-11-09"),
        r(&["8.5"], "8.5", "2022-05-10"),
        r(&["8.6"], "8.6", "2022-11-09"),
        r(&["8.7"], "8.7", "2023-05-16"),
        r(&["8.8"], "8.8", "2023-11-14"),
        r(&["8.9"], "8.9", "2024-05-22"),
    ],
};

/// RHEL 9 minor releases, as for [`UBI8`].
const UBI9: Product = Product {
    name: "Red Hat UBI",
    images: &[UBI9_NAME],
    successor: "the current ubi9 (untagged `ubi9`), or ubi10",
    all: None,
    releases: &[
        r(&["9.0"], "9.0", "2022-11-15"),
        r(&["9.1"], "9.1", "2023-05-10"),
        r(&["9.2"], "9.2", "2023-11-07"),
        r(&["9.3"], "9.3", "2024-04-30"),
        r(&["9.4"], "9.4", "2024-11-12"),
        r(&["9.5"], "9.5", "2025-05-20"),
    ],
};

const PRODUCTS: &[Product] = &[
    DEBIAN,
    UBUNTU,
    ALPINE,
    CENTOS,
    FEDORA,
    NODE,
    PYTHON,
    GO,
    TEMURIN,
    OPENJDK,
    PHP,
    RUBY,
    POSTGRES,
    MYSQL,
    DOTNET,
    WINDOWS,
    ORACLE_LINUX,
    NGINX,
    OPENSUSE_LEAP,
    SLE,
    UBI7,
    UBI8,
    UBI9,
];

/// Names for products whose images are not Docker Official Images (they cannot clash with one: they hold a `/`).
const DOTNET_NAME: &str = "mcr.microsoft.com/dotnet";
const WINDOWS_NAME: &str = "mcr.microsoft.com/windows";
const LEAP_NAME: &str = "opensuse/leap";
const SLE_NAME: &str = "registry.suse.com/bci";
const UBI7_NAME: &str = "ubi7";
const UBI8_NAME: &str = "ubi8";
const UBI9_NAME: &str = "ubi9";

/// Distributions whose releases may also be named later in another image's tag (`-buster`, `-alpine3.15`).
const BASES: &[(&Product, &str)] = &[(&DEBIAN, ""), (&UBUNTU, ""), (&ALPINE, "alpine")];

/// Registries that mirror the Docker Official Images, with the path prefix they keep them under.
const MIRRORS: &[(&str, &str)] = &[("public.ecr.aws", "docker/library/")];

/// Images outside the Docker Official Images that the table knows: (registry, path, product image name).
const OTHER_HOMES: &[(&str, &str, &str)] = &[
    ("quay.io", "centos/centos", "centos"),
    ("mcr.microsoft.com", "dotnet/sdk", DOTNET_NAME),
    ("mcr.microsoft.com", "dotnet/aspnet", DOTNET_NAME),
    ("mcr.microsoft.com", "dotnet/runtime", DOTNET_NAME),
    ("mcr.microsoft.com", "dotnet/runtime-deps", DOTNET_NAME),
    ("mcr.microsoft.com", "dotnet/core/sdk", DOTNET_NAME),
    ("mcr.microsoft.com", "dotnet/core/aspnet", DOTNET_NAME),
    ("mcr.microsoft.com", "dotnet/core/runtime", DOTNET_NAME),
    ("mcr.microsoft.com", "dotnet/core/runtime-deps", DOTNET_NAME),
    ("docker.io", "microsoft/dotnet", DOTNET_NAME),
    ("docker.io", "microsoft/aspnetcore", DOTNET_NAME),
    ("docker.io", "microsoft/aspnetcore-build", DOTNET_NAME),
    ("mcr.microsoft.com", "windows/servercore", WINDOWS_NAME),
    ("mcr.microsoft.com", "windows/nanoserver", WINDOWS_NAME),
    ("mcr.microsoft.com", "windows", WINDOWS_NAME),
    ("docker.io", "microsoft/windowsservercore", WINDOWS_NAME),
    ("docker.io", "microsoft/nanoserver", WINDOWS_NAME),
    ("docker.io", "opensuse/leap", LEAP_NAME),
    ("registry.opensuse.org", "opensuse/leap", LEAP_NAME),
    ("registry.suse.com", "bci/bci-base", SLE_NAME),
    ("registry.suse.com", "bci/bci-minimal", SLE_NAME),
    ("registry.suse.com", "bci/bci-micro", SLE_NAME),
    ("registry.suse.com", "bci/bci-init", SLE_NAME),
    ("registry.suse.com", "suse/sle15", SLE_NAME),
    ("registry.access.redhat.com", "ubi7", UBI7_NAME),
    ("registry.access.redhat.com", "ubi7/ubi", UBI7_NAME),
    ("registry.access.redhat.com", "ubi7/ubi-minimal", UBI7_NAME),
    ("registry.access.redhat.com", "ubi7/ubi-init", UBI7_NAME),
    ("registry.access.redhat.com", "ubi7-minimal", UBI7_NAME),
    ("registry.access.redhat.com", "rhel7", UBI7_NAME),
    ("registry.access.redhat.com", "ubi8", UBI8_NAME),
    ("registry.access.redhat.com", "ubi8/ubi", UBI8_NAME),
    ("registry.access.redhat.com", "ubi8/ubi-minimal", UBI8_NAME),
    ("registry.access.redhat.com", "ubi8/ubi-micro", UBI8_NAME),
    ("registry.access.redhat.com", "ubi8/ubi-init", UBI8_NAME),
    ("registry.access.redhat.com", "ubi8-minimal", UBI8_NAME),
    ("docker.io", "redhat/ubi8", UBI8_NAME),
    ("docker.io", "redhat/ubi8-minimal", UBI8_NAME),
    ("docker.io", "redhat/ubi8-micro", UBI8_NAME),
    ("registry.access.redhat.com", "ubi9", UBI9_NAME),
    ("registry.access.redhat.com", "ubi9/ubi", UBI9_NAME),
    ("registry.access.redhat.com", "ubi9/ubi-minimal", UBI9_NAME),
    ("registry.access.redhat.com", "ubi9/ubi-micro", UBI9_NAME),
    ("registry.access.redhat.com", "ubi9/ubi-init", UBI9_NAME),
    ("registry.access.redhat.com", "ubi9-minimal", UBI9_NAME),
    ("docker.io", "redhat/ubi9", UBI9_NAME),
    ("docker.io", "redhat/ubi9-minimal", UBI9_NAME),
    ("docker.io", "redhat/ubi9-micro", UBI9_NAME),
];

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
    let Some(name) = official_name(reference) else { return found };
    let product = PRODUCTS.iter().find(|p| p.images.contains(&name));
    if let Some((p, (label, date))) = product.and_then(|p| p.all.map(|all| (p, all))) {
        found.push(EndOfLife { product: p.name, release: label, date, successor: p.successor });
        return found;
    }
    let Some(tag) = reference.tag.as_deref() else { return found };
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
            .find(|(host, home, _)| {
                let host_matches = registry.eq_ignore_ascii_case(host)
                    || (*host == "registry.access.redhat.com" && registry.eq_ignore_ascii_case("registry.redhat.io"));
                host_matches && path == *home
            })
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
            "openjdk:26-ea-jdk",
            "redis:7.4",
            "nginx:1.29-alpine",
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
        assert_eq!(judge("golang:1.2"), Some(("Go", "1.2")));
        assert_eq!(judge("golang:1.20"), Some(("Go", "1.20")));
        assert_eq!(judge("golang:1.200"), None);
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
        assert_eq!(all("nginx:1.21-alpine3.14"), [("nginx", "1.21"), ("Alpine Linux", "3.14")]);
        assert_eq!(all("nginx:1.29-alpine3.14"), [("Alpine Linux", "3.14")]);
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
    fn images_outside_docker_hub_and_the_releases_added_on_2026_12_04() {
        assert_eq!(judge("mcr.microsoft.com/dotnet/aspnet:6.0"), Some((".NET", "6")));
        assert_eq!(judge("mcr.microsoft.com/dotnet/sdk:7.0.410-bookworm-slim"), Some((".NET", "7")));
        assert_eq!(judge("mcr.microsoft.com/dotnet/runtime:8.0-noble-chiseled"), Some((".NET", "8")));
        assert_eq!(judge("mcr.microsoft.com/dotnet/aspnet:9.0"), Some((".NET", "9")));
        assert_eq!(judge("mcr.microsoft.com/dotnet/core/sdk:2.1"), Some((".NET", "Core 2.1")));
        assert_eq!(judge("mcr.microsoft.com/dotnet/core/aspnet:3.1-buster-slim"), Some((".NET", "Core 3.1")));
        assert_eq!(judge("mcr.microsoft.com/dotnet/aspnet:10.0"), None);
        assert_eq!(judge("python:2"), Some(("Python", "2")));
        assert_eq!(judge("python:2-slim"), Some(("Python", "2")));
        assert_eq!(judge("python:2.7-alpine"), Some(("Python", "2.7")));
        assert_eq!(judge("python:3.1"), Some(("Python", "3.1")));
        assert_eq!(judge("python:3.11"), None);
        assert_eq!(judge("openjdk:8-jdk"), Some(("OpenJDK", "8 (deprecated image)")));
        assert_eq!(judge("openjdk:11-jre-slim"), Some(("OpenJDK", "11 (deprecated image)")));
        assert_eq!(judge("openjdk:17-jdk-slim"), Some(("OpenJDK", "17 (deprecated image)")));
        assert_eq!(judge("openjdk:26-ea-jdk"), None);
        assert_eq!(judge("opensuse/leap:15.5"), Some(("openSUSE Leap", "15.5")));
        assert_eq!(judge("registry.opensuse.org/opensuse/leap:15.6"), Some(("openSUSE Leap", "15.6")));
        assert_eq!(judge("opensuse/leap:16.0"), None);
        assert_eq!(judge("registry.suse.com/bci/bci-base:15.6"), Some(("SUSE Linux Enterprise", "15 SP6")));
        assert_eq!(judge("registry.suse.com/bci/bci-base:15.7"), None);
        assert_eq!(judge("registry.access.redhat.com/ubi7/ubi:7.9"), Some(("Red Hat UBI", "7")));
        assert_eq!(judge("registry.access.redhat.com/ubi7"), Some(("Red Hat UBI", "7")));
        assert_eq!(judge("registry.access.redhat.com/ubi8/ubi-minimal:8.4"), Some(("Red Hat UBI", "8.4")));
        assert_eq!(judge("registry.redhat.io/ubi8/ubi:8.9-1028"), Some(("Red Hat UBI", "8.9")));
        assert_eq!(judge("redhat/ubi8:8.6"), Some(("Red Hat UBI", "8.6")));
        assert_eq!(judge("registry.access.redhat.com/ubi8/ubi:8.10"), None);
        assert_eq!(judge("registry.access.redhat.com/ubi8"), None);
        assert_eq!(judge("registry.access.redhat.com/ubi9/ubi:9.2"), Some(("Red Hat UBI", "9.2")));
        assert_eq!(judge("redhat/ubi9-minimal"), None);
        assert_eq!(judge("oraclelinux:7-slim"), Some(("Oracle Linux", "7")));
        assert_eq!(judge("oraclelinux:8-slim"), None);
        assert_eq!(judge("mcr.microsoft.com/windows/servercore:1803"), Some(("Windows Server", "1803")));
        assert_eq!(judge("microsoft/windowsservercore:1709"), Some(("Windows Server", "1709")));
        assert_eq!(
            judge("mcr.microsoft.com/windows/nanoserver:sac2016"),
            Some(("Windows Server", "1607 (Nano Server, sac2016)"))
        );
        assert_eq!(judge("mcr.microsoft.com/windows/servercore:ltsc2016"), None);
        assert_eq!(judge("mcr.microsoft.com/windows/servercore:1809"), None);
        assert_eq!(judge("mcr.microsoft.com/windows/nanoserver:ltsc2022"), None);
        assert_eq!(judge("nginx:1.13-alpine"), Some(("nginx", "1.13")));
        assert_eq!(judge("nginx:1.27.4"), Some(("nginx", "1.27")));
        assert_eq!(judge("nginx:1.29"), None);
        assert_eq!(judge("centos:5"), Some(("CentOS", "5")));
        assert_eq!(judge("ruby:2.0"), Some(("Ruby", "2.0")));
        assert_eq!(judge("ruby:3.2-slim"), Some(("Ruby", "3.2")));
        assert_eq!(judge("golang:1.4"), Some(("Go", "1.4")));
        assert_eq!(judge("golang:1.2.2"), Some(("Go", "1.2")));
        assert_eq!(judge("postgres:14-alpine"), Some(("PostgreSQL", "14")));
        assert_eq!(judge("postgres:15"), None);
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
            if let Some((label, date)) = product.all {
                assert!(is_date(date) && date <= CHECKED, "{} {label}: {date}", product.name);
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
