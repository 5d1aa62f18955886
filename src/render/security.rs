//! GitHub code scanning's `security-severity` for each security rule: a score out of 10 from what a finding hands
//! an attacker, not from the finding's level. GitHub shows over 9 as critical, 7 to 9 high, 4 to 7 medium and under
//! 4 low.
//!
//! - 9 and over, root on the host: the runtime socket, privileged mode, the host's `/` or `/etc` mounted, a
//!   build step run without its sandbox.
//! - 7 to 9, the container's isolation broken or a secret handed out: host namespaces, dangerous capabilities,
//!   devices, confinement switched off, credentials in the image or the environment, code run unverified.
//! - 4 to 7, an isolation weakened or an attack made easier: root inside the container, a port open to every
//!   network, packages unverified, setuid files, end-of-life images.
//! - 2 to 4, hardening not applied: defaults that a stricter setting would close (capabilities not dropped, a
//!   writable root filesystem, no resource limits), unpinned images.

/// The score of a security rule (categories supply chain to exposure), `None` for a code without one.
pub fn score(code: &str) -> Option<&'static str> {
    SCORES.iter().find(|(c, _)| *c == code).map(|(_, s)| *s)
}

const SCORES: &[(&str, &str)] = &[
    // Root on the host.
    ("PLC201", "9.8"), // privileged-service
    ("PLC303", "9.8"), // runtime-socket-mount
    ("PLD502", "9.3"), // runtime-socket-volume
    ("PLC304", "9.1"), // sensitive-host-mount
    ("PLD301", "9.0"), // insecure-run
    ("PLC313", "9.0"), // insecure-build-entitlement
    ("PLC315", "9.1"), // inherited-host-mount
    // Isolation broken, secrets handed out, code run unverified.
    ("PLC301", "8.8"), // dangerous-capability
    ("PLC306", "8.6"), // host-namespace
    ("PLC309", "8.2"), // host-device
    ("PLD102", "8.1"), // remote-script-execution
    ("PLD402", "8.0"), // hardcoded-credential
    ("PLC308", "7.8"), // security-profile-disabled
    ("PLC402", "7.6"), // credential-in-connection-string
    ("PLD403", "7.5"), // secret-file-copied
    ("PLD104", "7.4"), // tls-verification-disabled
    ("PLD401", "7.2"), // secret-in-arg-or-env
    ("PLC401", "7.2"), // secret-in-environment
    ("PLX401", "7.2"), // secret-build-arg
    ("PLD404", "7.2"), // secret-on-command-line
    ("PLC403", "7.2"), // secret-in-command
    ("PLD105", "7.0"), // package-signatures-disabled
    // Isolation weakened, an attack made easier.
    ("PLC305", "6.8"), // shared-mount-propagation
    ("PLD302", "6.5"), // host-network-run
    ("PLC314", "6.5"), // host-network-build
    ("PLC501", "6.5"), // port-on-all-interfaces
    ("PLD305", "6.2"), // setuid-permissions
    ("PLD201", "6.0"), // root-user
    ("PLD203", "6.0"), // missing-user
    ("PLC202", "6.0"), // root-user-service
    ("PLX201", "6.0"), // service-runs-as-root
    ("PLD108", "5.8"), // end-of-life-base-image
    ("PLC104", "5.8"), // end-of-life-image
    ("PLD303", "5.5"), // setcap-in-run
    ("PLD103", "5.5"), // remote-add-without-checksum
    ("PLC307", "5.3"), // shared-container-namespace
    ("PLD304", "5.0"), // world-writable-permissions
    ("PLD202", "5.0"), // sudo-in-run
    ("PLD501", "5.0"), // ssh-port-exposed
    ("PLD107", "4.8"), // untrusted-base-image
    ("PLC103", "4.8"), // untrusted-image
    ("PLD101", "4.2"), // latest-base-image
    ("PLC101", "4.2"), // latest-image
    // Hardening not applied.
    ("PLC502", "3.5"), // privileged-host-port
    ("PLC203", "3.5"), // new-privileges-allowed
    ("PLC302", "3.5"), // capabilities-not-dropped
    ("PLC312", "3.0"), // tmpfs-exec
    ("PLC310", "3.0"), // writable-root-filesystem
    ("PLD106", "2.5"), // unpinned-base-image
    ("PLC102", "2.5"), // unpinned-image
    ("PLC311", "2.2"), // missing-resource-limits
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Category;

    #[test]
    fn every_security_rule_has_a_score_and_only_they_do() {
        for rule in crate::rules::all() {
            let m = &rule.meta;
            let security = !matches!(m.category(), Category::Hygiene | Category::Correctness | Category::Style);
            assert_eq!(score(m.code).is_some(), security, "{} {}: score {:?}", m.code, m.name, score(m.code));
        }
        for (code, value) in SCORES {
            assert!(crate::rules::find(code).is_some(), "{code} is not a rule");
            let value: f64 = value.parse().expect("a number");
            assert!((0.0..=10.0).contains(&value), "{code}: {value}");
        }
    }

    #[test]
    fn host_root_is_critical_and_hardening_is_low() {
        let critical = |c| score(c).and_then(|s| s.parse::<f64>().ok()).is_some_and(|s| s >= 9.0);
        let low = |c| score(c).and_then(|s| s.parse::<f64>().ok()).is_some_and(|s| s < 4.0);
        assert!(["PLC201", "PLC303", "PLD502", "PLC304", "PLD301"].into_iter().all(critical));
        assert!(["PLC302", "PLC310", "PLC311", "PLC203"].into_iter().all(low));
    }
}
