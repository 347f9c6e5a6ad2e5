use crate::diagnostic::{Finding, Severity};
use crate::model::BaseKind;
use crate::rules::base_digest::name;
use crate::rules::packages::install;
use crate::rules::scope;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::program_name;

/// A full distribution under an app that needs none of it.
#[derive(Debug)]
pub struct DistrolessCandidate;

static META: RuleMeta = RuleMeta {
    id: "DD108",
    name: "shell-and-package-manager-in-final-image",
    severity: Severity::Info,
    category: Category::Security,
    aliases: &[],
    summary: "The final image keeps a shell and package manager a distroless base would drop",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Suggests a distroless or static base when three things hold. (1) The \
        final image is built on a full distribution or a language image with one \
        (`debian`, `ubuntu`, `alpine`, `fedora`…, `node`, `python`, `openjdk`/\
        `eclipse-temurin`/`amazoncorretto`, `golang`, `rust`), slim variants included. \
        (2) It runs an application: its `ENTRYPOINT` (else `CMD`) starts a binary by path \
        (`/app/server`, `./app`: a compiled program) or the language's interpreter (`node`, \
        `python`, `gunicorn`, `java`…) — not a shell, a shell script, an init system \
        (`tini`, `dumb-init`, `/init`, `supervisord`) or `npm`/`yarn`, which run package \
        scripts with `sh`. Only official Docker Hub images are recognised. (3) No system \
        package is installed in it (`apt-get`/`apk`/`dnf install`), since native \
        dependencies may need the distribution. A heuristic, so only info; drydock can \
        rewrite the file as a multi-stage build.",
    why_it_matters: "A shell, a package manager and hundreds of utilities ship with the app \
        though it never calls them: they carry most of the image's CVEs and give an \
        attacker who gets code execution the tools to download and run more. Distroless \
        images (`gcr.io/distroless/static`, `…/nodejs22`, `…/python3`, `…/java21`) hold \
        the runtime and its libraries only; the build keeps its tools in an earlier stage.",
    bad_example: "FROM golang:1.24 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM debian:12-slim\nCOPY --from=build /out/app /usr/local/bin/app\nUSER 65532\nENTRYPOINT [\"/usr/local/bin/app\"]\n",
    good_example: "FROM golang:1.24 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n",
    references: &[
        "https://github.com/GoogleContainerTools/distroless",
        "https://docs.docker.com/build/building/multi-stage/",
    ],
};

/// What a base image is: which programs start an app on it, and the
/// distroless image that would do.
#[derive(Debug, Clone, Copy)]
enum Family {
    /// A distribution or a compiled language's toolchain: a binary by path.
    Compiled,
    Node,
    Python,
    Java,
}

fn family(repository: &str) -> Option<Family> {
    let last = repository.rsplit('/').next().unwrap_or(repository);
    Some(match last {
        "debian" | "ubuntu" | "alpine" | "fedora" | "centos" | "rockylinux" | "almalinux"
        | "amazonlinux" | "oraclelinux" | "buildpack-deps" | "golang" | "rust" | "gcc" => {
            Family::Compiled
        }
        "node" => Family::Node,
        "python" => Family::Python,
        "openjdk" | "eclipse-temurin" | "amazoncorretto" | "ibmjava" | "sapmachine" => Family::Java,
        _ => return None,
    })
}

impl Family {
    fn runs(self, program: &str) -> bool {
        let by_path =
            (program.starts_with('/') || program.starts_with("./")) && !program.ends_with(".sh");
        let name = program_name(program);
        // Shells, and init systems and launchers that start shell scripts or
        // package scripts (`npm start` runs `sh -c`).
        let needs_shell = matches!(
            name.as_str(),
            "sh" | "bash"
                | "ash"
                | "dash"
                | "zsh"
                | "init"
                | "my_init"
                | "dumb-init"
                | "tini"
                | "supervisord"
                | "s6-svscan"
                | "runsvdir"
                | "npm"
                | "yarn"
                | "pnpm"
        );
        if needs_shell {
            return false;
        }
        let interpreter = match self {
            Family::Compiled => false,
            Family::Node => name == "node",
            Family::Python => {
                name.starts_with("python") || matches!(name.as_str(), "gunicorn" | "uvicorn")
            }
            Family::Java => name == "java",
        };
        interpreter || by_path
    }

    fn distroless(self) -> &'static str {
        match self {
            Family::Compiled => "gcr.io/distroless/static-debian12 (or cc-debian12 for glibc)",
            Family::Node => "gcr.io/distroless/nodejs22-debian12",
            Family::Python => "gcr.io/distroless/python3-debian12",
            Family::Java => "gcr.io/distroless/java21-debian12",
        }
    }
}

impl Rule for DistrolessCandidate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(last) = cx.model.final_stage() else {
            return;
        };
        let root = cx.model.root_stage(last);
        if root.base_kind != BaseKind::Image {
            return;
        }
        let Some(family) = family(&root.base_image.repository.to_ascii_lowercase()) else {
            return;
        };
        // Official images only: `someone/python` may be anything.
        let image = &root.base_image;
        if !image.is_docker_hub() || image.normalized_repository().matches('/').count() != 1 {
            return;
        }
        if !image.normalized_repository().starts_with("library/") {
            return;
        }
        let chain = scope::final_chain(cx.model);
        let Some(program) = scope::final_program(cx, &chain) else {
            return;
        };
        if !family.runs(&program) {
            return;
        }
        let installs = scope::runs(cx, |s| chain.contains(&s))
            .any(|run| run.commands().iter().any(|c| install(c).is_some()));
        if installs {
            return;
        }
        let message = format!(
            "The final image is built on `{}`, which ships a shell and a package manager that \
             `{program}` does not need at run time. A distroless base such as {} would do; \
             drydock can rewrite this as a multi-stage build.",
            name(&root.base_image),
            family.distroless()
        );
        out.push(cx.finding(&META, root.base_span, message));
    }
}

#[cfg(test)]
mod tests {

    fn lines(text: &str) -> Vec<usize> {
        crate::rules::check::lines("DD108", text)
    }

    #[test]
    fn apps_on_full_bases() {
        assert_eq!(
            lines(
                "FROM node:22-slim\nCOPY . /app\nRUN npm ci\nCMD [\"node\", \"/app/server.js\"]\n"
            ),
            [1]
        );
        assert_eq!(
            lines("FROM python:3.12-slim AS base\nFROM base\nCMD python app.py\n"),
            [1]
        );
        assert_eq!(
            lines(
                "FROM alpine:3.20\nCOPY app /usr/bin/app\nENTRYPOINT [\"/usr/bin/app\"]\nCMD [\"serve\"]\n"
            ),
            [1]
        );
    }

    #[test]
    fn not_apps_or_needing_the_distribution() {
        for text in [
            // A base image: no command.
            "FROM debian:12-slim\nRUN useradd app\n",
            // Shell scripts need a shell.
            "FROM alpine:3.20\nCOPY run.sh /\nCMD [\"/run.sh\"]\n",
            "FROM alpine:3.20\nCMD [\"sh\", \"-c\", \"/app\"]\n",
            // System packages: native dependencies.
            "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y libpq5\nCMD [\"python\", \"app.py\"]\n",
            // Already minimal, or an unknown base.
            "FROM gcr.io/distroless/static\nCMD [\"/app\"]\n",
            "FROM nginx:1.27\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
            "FROM scratch\nCMD [\"/app\"]\n",
            // node on a distribution base: not the distribution's app.
            "FROM debian:12\nCMD [\"node\", \"x.js\"]\n",
            // npm runs package scripts with sh; init systems run scripts.
            "FROM node:22\nCMD [\"npm\", \"start\"]\n",
            "FROM ubuntu:24.04\nENTRYPOINT [\"/usr/bin/dumb-init\", \"--\"]\n",
            // Not an official image.
            "FROM someone/python:3.12\nCMD [\"python\", \"app.py\"]\n",
        ] {
            assert_eq!(lines(text), [] as [usize; 0], "{text}");
        }
    }
}
