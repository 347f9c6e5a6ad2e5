//! Which stack a Dockerfile builds, from its FROM images, RUN commands and
//! copied files.

use serde::Serialize;

use crate::model::{BaseKind, BuildModel, Stage};
use crate::syntax::Dockerfile;
use crate::syntax::shell::program_name;

/// The kinds of application the rewriter knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stack {
    Go,
    Rust,
    Node,
    Python,
    /// Java built with Maven or Gradle, or a prebuilt jar.
    Java,
    DotNet,
    /// A static site served by nginx or httpd.
    Static,
    /// A compiled program of unknown origin.
    Binary,
}

impl Stack {
    /// Every stack, in display order.
    pub const ALL: [Stack; 8] = [
        Stack::Go,
        Stack::Rust,
        Stack::Node,
        Stack::Python,
        Stack::Java,
        Stack::DotNet,
        Stack::Static,
        Stack::Binary,
    ];

    /// A lower-case name (`go`, `dotnet`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Stack::Go => "go",
            Stack::Rust => "rust",
            Stack::Node => "node",
            Stack::Python => "python",
            Stack::Java => "java",
            Stack::DotNet => "dotnet",
            Stack::Static => "static",
            Stack::Binary => "binary",
        }
    }

    /// Whether a rewrite of this stack must score 90 or more.
    pub fn must_excel(self) -> bool {
        !matches!(self, Stack::DotNet | Stack::Binary)
    }
}

/// The last path component of a stage's base repository, lower-cased
/// (`library/golang` → `golang`); `None` unless the base is an image.
pub(crate) fn base_name(stage: &Stage) -> Option<String> {
    (stage.base_kind == BaseKind::Image).then(|| {
        let repo = stage.base_image.repository.to_ascii_lowercase();
        repo.rsplit('/').next().unwrap_or_default().to_string()
    })
}

/// What the file's stages, commands and copied files point at.
#[derive(Debug, Default)]
struct Evidence {
    bases: Vec<String>,
    full_bases: Vec<String>,
    programs: Vec<String>,
    files: Vec<String>,
}

impl Evidence {
    fn base(&self, names: &[&str]) -> bool {
        self.bases.iter().any(|b| names.contains(&b.as_str()))
    }
    fn program(&self, names: &[&str]) -> bool {
        self.programs.iter().any(|p| names.contains(&p.as_str()))
    }
    fn file(&self, names: &[&str]) -> bool {
        self.files.iter().any(|f| {
            let last = f.rsplit('/').next().unwrap_or(f);
            names.iter().any(|n| {
                n.strip_prefix('*')
                    .map_or(last == *n, |suffix| last.ends_with(suffix))
            })
        })
    }
}

fn evidence(file: &Dockerfile, model: &BuildModel) -> Evidence {
    let mut ev = Evidence::default();
    for stage in model.stages.iter().filter(|s| s.reachable) {
        if let Some(name) = base_name(stage) {
            ev.bases.push(name);
            ev.full_bases.push(
                stage
                    .base_image
                    .normalized_repository()
                    .to_ascii_lowercase(),
            );
        }
        for &i in &stage.instructions {
            let Some(inst) = file.instructions.get(i) else {
                continue;
            };
            if inst.is("COPY") || inst.is("ADD") {
                let n = inst.value.len().saturating_sub(1);
                ev.files.extend(inst.value.iter().take(n).cloned());
            }
        }
        for run in stage.runs.iter().filter_map(|&r| model.runs.get(r)) {
            for cmd in run.commands() {
                if let Some(name) = cmd.name() {
                    ev.programs.push(program_name(name));
                }
            }
            if let Some(first) = run.argv.first() {
                ev.programs.push(program_name(first));
            }
        }
    }
    ev
}

/// The stack `file` builds, if the rewriter knows it. `entry` is the final
/// image's program name.
pub(crate) fn detect(file: &Dockerfile, model: &BuildModel, entry: Option<&str>) -> Option<Stack> {
    let ev = evidence(file, model);
    let final_base = model
        .final_stage()
        .map(|s| model.root_stage(s))
        .and_then(base_name);
    if matches!(
        final_base.as_deref(),
        Some("nginx" | "httpd" | "nginx-unprivileged")
    ) {
        return Some(Stack::Static);
    }
    if ev.base(&["golang"]) || ev.program(&["go"]) || ev.file(&["go.mod"]) {
        return Some(Stack::Go);
    }
    if ev.base(&["rust"]) || ev.program(&["cargo", "rustc"]) || ev.file(&["Cargo.toml"]) {
        return Some(Stack::Rust);
    }
    if ev
        .full_bases
        .iter()
        .any(|b| b.starts_with("mcr.microsoft.com/dotnet") || b.starts_with("dotnet/"))
        || ev.program(&["dotnet"])
        || ev.file(&["*.csproj", "*.sln", "*.fsproj"])
    {
        return Some(Stack::DotNet);
    }
    if ev.base(&[
        "maven",
        "gradle",
        "openjdk",
        "eclipse-temurin",
        "amazoncorretto",
        "sapmachine",
        "ibmjava",
    ]) || ev.program(&["mvn", "gradle", "./mvnw", "./gradlew", "mvnw", "gradlew"])
        || ev.file(&["pom.xml", "build.gradle", "build.gradle.kts", "*.jar"])
        || entry == Some("java")
    {
        return Some(Stack::Java);
    }
    let python_entry = entry.is_some_and(|e| e.starts_with("python"));
    if ev.base(&["python"])
        || ev.program(&["pip", "pip3", "poetry", "pipenv", "uv"])
        || ev.file(&["requirements.txt", "pyproject.toml", "Pipfile"])
        || python_entry
    {
        return Some(Stack::Python);
    }
    if ev.base(&["node"])
        || ev.program(&["npm", "yarn", "pnpm"])
        || ev.file(&["package.json"])
        || entry == Some("node")
    {
        return Some(Stack::Node);
    }
    let distro = final_base.as_deref().is_some_and(|b| {
        matches!(
            b,
            "debian" | "ubuntu" | "alpine" | "busybox" | "centos" | "fedora" | "rockylinux"
        )
    });
    (distro && entry.is_some()).then_some(Stack::Binary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BuildOptions;
    use crate::syntax::parse;

    fn stack(text: &str) -> Option<Stack> {
        let file = parse(text);
        let model = BuildModel::new(&file, &BuildOptions::default());
        detect(&file, &model, None)
    }

    #[test]
    fn stacks_from_images_commands_and_files() {
        assert_eq!(stack("FROM golang:1.21\nRUN go build\n"), Some(Stack::Go));
        assert_eq!(stack("FROM debian\nCOPY go.mod .\n"), Some(Stack::Go));
        assert_eq!(stack("FROM rust:1\nRUN cargo build\n"), Some(Stack::Rust));
        assert_eq!(
            stack(
                "FROM node:20 AS b\nRUN npm ci\nFROM nginx:1\nCOPY --from=b /d /usr/share/nginx/html\n"
            ),
            Some(Stack::Static)
        );
        assert_eq!(
            stack("FROM python:3.12\nRUN pip install x\n"),
            Some(Stack::Python)
        );
        assert_eq!(
            stack("FROM maven:3 AS b\nRUN mvn package\n"),
            Some(Stack::Java)
        );
        assert_eq!(
            stack("FROM mcr.microsoft.com/dotnet/sdk:8.0\nRUN dotnet publish\n"),
            Some(Stack::DotNet)
        );
        assert_eq!(
            stack("FROM node:22\nCOPY package.json .\n"),
            Some(Stack::Node)
        );
        assert_eq!(stack("FROM scratch\n"), None);
    }
}
