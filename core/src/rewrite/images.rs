//! The images a rewrite moves to: current, supported tags (checked against
//! drydock's own end-of-life data by the tests) and distroless runtimes.

use super::stack::Stack;

/// The flavour of runtime image to pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `distroless/static`: statically linked programs.
    Static,
    /// `distroless/cc`: glibc and libgcc (Rust).
    Cc,
    /// `distroless/base`: glibc and OpenSSL.
    Base,
    /// The stack's distroless interpreter image.
    Interpreter,
    /// The language's slim image (Debian), with a shell.
    Slim,
    /// nginx running unprivileged.
    Nginx,
}

/// The runtime image for `stack`; `java` is the Java release built for.
pub(crate) fn runtime_image(stack: Stack, kind: Kind, java: u32, alpine: bool) -> String {
    let distroless = |name: &str| format!("gcr.io/distroless/{name}:nonroot");
    match (kind, stack) {
        (Kind::Static, _) => distroless("static-debian13"),
        (Kind::Cc, _) => distroless("cc-debian13"),
        (Kind::Base, _) => distroless("base-debian13"),
        (Kind::Interpreter, Stack::Node) => distroless("nodejs24-debian13"),
        (Kind::Interpreter, Stack::Python) => distroless("python3-debian13"),
        (Kind::Interpreter, Stack::Java) => match java {
            0..=17 => distroless("java17-debian12"),
            18..=21 => distroless("java21-debian13"),
            _ => distroless("java25-debian13"),
        },
        (Kind::Interpreter, _) => distroless("base-debian13"),
        (Kind::Slim, Stack::Python) => "python:3.13-slim-trixie".to_string(),
        (Kind::Slim, _) => "node:24-slim".to_string(),
        // The same distribution as the nginx image it replaces, so the
        // stage's RUNs find their package manager.
        (Kind::Nginx, _) if alpine => "nginxinc/nginx-unprivileged:1.30-alpine".to_string(),
        (Kind::Nginx, _) => "nginxinc/nginx-unprivileged:1.30".to_string(),
    }
}

/// A current build image replacing `name` (the repository's last
/// component), keeping an Alpine variant where the stack allows it.
pub(crate) fn builder_image(stack: Stack, name: &str, alpine: bool, java: u32) -> Option<String> {
    let suffix = if alpine { "-alpine" } else { "" };
    let jdk = match java {
        0..=17 => 17,
        18..=21 => 21,
        _ => 25,
    };
    Some(match (stack, name) {
        (_, "golang") => format!("golang:1.27{suffix}"),
        (_, "rust") => format!("rust:1.98{suffix}"),
        (Stack::Python, _) => "python:3.13-slim-trixie".to_string(),
        (_, "node") => "node:24".to_string(),
        (_, "maven") => format!("maven:3.9-eclipse-temurin-{jdk}"),
        (_, "gradle") => format!("gradle:9-jdk{jdk}"),
        // Build stages on a distribution keep it, at a supported release.
        (_, "alpine") => "alpine:3.23".to_string(),
        (_, "debian") => "debian:13".to_string(),
        (_, "ubuntu") => "ubuntu:24.04".to_string(),
        (_, "openjdk" | "eclipse-temurin" | "amazoncorretto") => {
            format!("eclipse-temurin:{jdk}-jdk")
        }
        _ => return None,
    })
}
