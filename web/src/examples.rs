//! The examples gallery's Dockerfiles (`web/examples/`, sources in its
//! README), each with the band it should get — tests hold them to it.

use drydock_core::score::Grade;

/// One example of the gallery.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub stack: &'static str,
    pub text: &'static str,
    /// The band on 2026-11-27 (end-of-life verdicts move with the date).
    pub band: Grade,
    pub note: &'static str,
}

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "multi-stage-golang",
        title: "Multi-stage Go build (DockSec)",
        stack: "Go",
        text: include_str!("../examples/multi-stage-golang.Dockerfile"),
        band: Grade::Excellent,
        note: "DockSec's own good example: builder stage, distroless runtime, non-root.",
    },
    Example {
        id: "secure-python-app",
        title: "Secure Python app (DockSec)",
        stack: "Python",
        text: include_str!("../examples/secure-python-app.Dockerfile"),
        band: Grade::Excellent,
        note: "Digest-pinned slim base, non-root user, health check.",
    },
    Example {
        id: "vulnerable-node-app",
        title: "Vulnerable Node app (DockSec)",
        stack: "Node",
        text: include_str!("../examples/vulnerable-node-app.Dockerfile"),
        band: Grade::Poor,
        note: "Hard-coded secrets, SSH, root, curl | sh: almost everything to avoid.",
    },
    Example {
        id: "go-api",
        title: "Go API on distroless/static",
        stack: "Go",
        text: include_str!("../examples/go-api.Dockerfile"),
        band: Grade::Excellent,
        note: "Module cache mounts, a static binary, nonroot.",
    },
    Example {
        id: "rust-service",
        title: "Rust service on distroless/cc",
        stack: "Rust",
        text: include_str!("../examples/rust-service.Dockerfile"),
        band: Grade::Excellent,
        note: "Cargo caches mounted, the binary copied out.",
    },
    Example {
        id: "node-web",
        title: "Node web app, first draft",
        stack: "Node",
        text: include_str!("../examples/node-web.Dockerfile"),
        band: Grade::Good,
        note: "One stage, root, an end-of-life Node, development mode: try the Rewrite panel.",
    },
    Example {
        id: "python-worker",
        title: "Python worker on slim",
        stack: "Python",
        text: include_str!("../examples/python-worker.Dockerfile"),
        band: Grade::Excellent,
        note: "No pip cache, a numeric non-root user, an exec-form health check.",
    },
    Example {
        id: "java-spring",
        title: "Spring Boot with Maven",
        stack: "Java",
        text: include_str!("../examples/java-spring.Dockerfile"),
        band: Grade::Excellent,
        note: "Build in a JDK, run on a JRE as a numeric user.",
    },
    Example {
        id: "dotnet-api",
        title: "ASP.NET Core API",
        stack: ".NET",
        text: include_str!("../examples/dotnet-api.Dockerfile"),
        band: Grade::Good,
        note: "SDK to runtime; .NET 8 reaches its end of life in November 2026.",
    },
    Example {
        id: "static-nginx",
        title: "Static site on nginx",
        stack: "Static",
        text: include_str!("../examples/static-nginx.Dockerfile"),
        band: Grade::Good,
        note: "Built with Node, served by nginx as root: see the Rewrite panel.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use drydock_core::eol::Date;
    use drydock_core::{AnalysisOptions, analyze_with};

    #[test]
    fn every_example_lands_in_its_band() {
        let options = AnalysisOptions {
            today: Date::parse("2026-11-27"),
            ..AnalysisOptions::default()
        };
        for e in EXAMPLES {
            let a = analyze_with(e.text, &options);
            assert!(a.errors.is_empty(), "{}: {:?}", e.id, a.errors);
            assert_eq!(a.grade, e.band, "{}: score {}", e.id, a.score);
        }
        // The gallery covers the seed's three and one per stack.
        for stack in ["Go", "Rust", "Node", "Python", "Java", ".NET", "Static"] {
            assert!(EXAMPLES.iter().any(|e| e.stack == stack), "{stack}");
        }
    }
}
