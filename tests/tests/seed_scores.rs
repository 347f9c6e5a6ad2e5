//! The seed's claims (../shared/seed/CLAIMS.md): the three DockSec example
//! Dockerfiles land in their score bands, and the vulnerable one has its
//! listed problems found. The Dockerfiles are vendored in tests/data/seed/.

#![allow(clippy::panic)]

mod common;
use common::options;
use drydock_core::analyze_with;

fn seed(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/seed")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn seeds_land_in_their_bands() {
    for (name, low, high) in [
        ("multi-stage-golang.Dockerfile", 90, 100),
        ("secure-python-app.Dockerfile", 85, 100),
        ("vulnerable-node-app.Dockerfile", 20, 35),
    ] {
        let a = analyze_with(&seed(name), &options());
        println!(
            "{name}: {} {} ({} findings)",
            a.score,
            a.grade.as_str(),
            a.findings.len()
        );
        assert!(
            (low..=high).contains(&a.score),
            "{name}: {} not in {low}..={high}",
            a.score
        );
        assert!(a.errors.is_empty(), "{name}: {:?}", a.errors);
    }
}

#[test]
fn the_vulnerable_example_has_its_problems_found() {
    let a = analyze_with(&seed("vulnerable-node-app.Dockerfile"), &options());
    let at = |rule: &str| -> Vec<usize> {
        a.findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.line)
            .collect()
    };
    assert_eq!(at("DD001"), [6], "latest tag");
    assert_eq!(at("DD002"), [6], "runs as root");
    assert_eq!(at("DD105"), [18], "ssh server installed");
    assert_eq!(at("DD112"), [17], "sudo installed");
    assert_eq!(at("DD113"), [43], "global npm installs");
    assert_eq!(at("DD011"), [12], "apt lists not cleaned");
    assert_eq!(at("DD100"), [30, 31, 32], "three hard-coded secrets");
    // Port 22 among the four EXPOSEd ports, and the Node inspector port.
    let ports: Vec<&str> = a
        .findings
        .iter()
        .filter(|f| f.rule == "DD106")
        .map(|f| f.message.split('`').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(ports, ["EXPOSE 9229", "EXPOSE 22"]);
    assert_eq!(at("DD107"), [52, 53], "NODE_ENV=development and DEBUG=*");
    assert_eq!(at("DD015"), [59], "shell-form CMD");
    assert_eq!(at("DD111"), [6], "no HEALTHCHECK");
    // Secrets are never echoed whole.
    for f in a.findings.iter().filter(|f| f.rule == "DD100") {
        for secret in ["mysecretpassword123", "sk-1234567890abcdef", "supersecret"] {
            assert!(!f.message.contains(secret), "{}", f.message);
        }
    }
    // Three critical findings cap the score at 35.
    assert_eq!(a.score_report.capped_by, Some("DD100"));
}
