//! From the parsed file and its build model to the rewritten Dockerfile.
//!
//! Two shapes:
//! - **split**: the final stage builds the app (it has RUNs); it becomes
//!   the builder and a new runtime stage copies the app out of it;
//! - **rebase**: the final stage only copies and describes (its RUNs, if
//!   any, only add CA certificates, tzdata or users a distroless image
//!   already has); its `FROM` moves to the runtime image.
//!
//! Instructions are copied from the text by their spans, edited by span
//! (flags, words of a command) — never re-parsed from text.

use super::Change;
use super::command::{self, Argv};
use super::images::{self, Kind};
use super::stack::{Stack, base_name};
use crate::Analysis;
use crate::diagnostic::Span;
use crate::model::{BaseKind, BuildModel, RunInfo, Stage};
use crate::rules::packages::{install, package_name};
use crate::syntax::shell::{Command, program_name};
use crate::syntax::{Dockerfile, Instruction};

/// What a plan needs to see.
pub(crate) struct Input<'a> {
    pub text: &'a str,
    pub file: &'a Dockerfile,
    pub model: &'a BuildModel,
    pub before: &'a Analysis,
    pub stack: Stack,
}

/// The rewritten text and what changed.
#[derive(Debug)]
pub(crate) struct Plan {
    pub text: String,
    pub changes: Vec<Change>,
    /// The runtime image the final stage is built on.
    pub image: String,
}

/// Instructions that describe the runtime image rather than build it.
const RUNTIME_ONLY: [&str; 9] = [
    "EXPOSE",
    "HEALTHCHECK",
    "CMD",
    "ENTRYPOINT",
    "VOLUME",
    "STOPSIGNAL",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
];

/// The unprivileged user of distroless `:nonroot` images.
const NONROOT: &str = "65532:65532";

struct Out {
    lines: Vec<String>,
    changes: Vec<Change>,
}

impl Out {
    fn push(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }
    fn change(&mut self, summary: impl Into<String>, reason: impl Into<String>) {
        self.changes.push(Change {
            summary: summary.into(),
            reason: reason.into(),
        });
    }
}

/// How the runtime image starts its program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Runtime {
    /// A distroless image with an interpreter at this path.
    Interpreter(&'static str),
    /// A distroless image for a compiled program.
    Native,
    /// An image with a shell (slim), for commands that need one.
    Slim,
    /// nginx-unprivileged.
    Nginx,
    /// A distroless `:debug-nonroot` image: a compiled program started by
    /// a command that needs a shell (busybox's, at `/busybox/sh`).
    Debug,
}

pub(crate) fn plan(cx: &Input<'_>) -> Result<Plan, String> {
    let last = cx
        .model
        .final_stage()
        .ok_or_else(|| "the file has no stage".to_string())?;
    match last.base_kind {
        BaseKind::Image => {}
        BaseKind::Stage => {
            return Err(format!(
                "the final stage builds on the earlier stage `{}`; rewriting a chain of stages \
                 is not supported",
                last.base
            ));
        }
        _ => return Err("the final stage is not built on a known image".to_string()),
    }
    if cx.file.instructions.iter().any(|i| i.is("ONBUILD")) {
        return Err("`ONBUILD` triggers run in images built from this one".to_string());
    }
    let insts = stage_insts(cx.file, last);
    let entry = Entry::read(&insts)?;
    let removable_runs = insts
        .iter()
        .filter(|(_, i)| i.is("RUN"))
        .all(|(i, _)| cx.model.run(*i).is_some_and(removable));
    // nginx-unprivileged keeps a shell, so an nginx stage keeps its RUNs.
    let split = !removable_runs && cx.stack != Stack::Static;
    let shell_reason = entry.shell_reason();
    let runtime = runtime(cx, last, &entry, shell_reason.as_deref(), split)?;
    let mut out = Out {
        lines: Vec::new(),
        changes: Vec::new(),
    };
    if let Some(reason) = &shell_reason
        && runtime == Runtime::Slim
    {
        out.change(
            "Runtime on a slim image instead of distroless",
            format!(
                "The program needs a shell at run time ({reason}), which distroless images do \
                 not have; the slim image keeps one while dropping compilers and build tools."
            ),
        );
    }
    let mut image = images::runtime_image(
        cx.stack,
        runtime_kind(cx, last, runtime, split),
        java(cx),
        is_alpine(last),
    );
    if runtime == Runtime::Debug {
        image = image.replace(":nonroot", ":debug-nonroot");
    }
    // The text before the final stage: directives, global ARGs, earlier
    // stages (their EOL or unpinned bases moved to current tags).
    let head_end = cx
        .file
        .instructions
        .get(last.from)
        .map_or(0, |i| line_start(cx.text, i.span.start));
    let mut head = cx.text.get(..head_end).unwrap_or_default().to_string();
    let mut edits = Vec::new();
    for stage in cx.model.stages.iter().filter(|s| s.index < last.index) {
        let node_rebase =
            cx.stack == Stack::Node && !split && base_name(stage).as_deref() == Some("node");
        let new = if node_rebase {
            images::builder_image(cx.stack, "node", false, 0).filter(|b| *b != stage.base_resolved)
        } else {
            modern_base(cx, stage)?
        };
        if let Some(new) = new {
            edits.push((stage.base_span, new.clone()));
            let why = if node_rebase {
                "node_modules must be built by the runtime's Node.js major (24), whose native \
                 modules they load."
            } else {
                "The build stage's image is past its end of life or unpinned; the current \
                 release gets security fixes and builds reproducibly."
            };
            out.change(format!("Builder `{}` → `{new}`", stage.base), why);
        }
    }
    head = apply(&head, 0, &mut edits);
    if uses_cache_mounts(cx.stack) && split && !has_syntax(cx.file) {
        out.push("# syntax=docker/dockerfile:1");
    }
    let head = head.trim_end();
    if !head.is_empty() {
        out.push(head);
        // Comments just before the FROM stay attached to it.
        if !head
            .lines()
            .last()
            .is_some_and(|l| l.trim_start().starts_with('#'))
        {
            out.push("");
        }
    }
    let secrets = secret_keys(cx.file, &insts);
    let f = Final {
        last,
        insts: &insts,
        entry,
        runtime,
        image: image.clone(),
        secrets,
    };
    if split {
        write_split(cx, &f, &mut out)?;
    } else {
        write_rebase(cx, &f, &mut out)?;
    }
    let mut text = out.lines.join("\n");
    text.push('\n');
    Ok(Plan {
        text,
        changes: out.changes,
        image,
    })
}

/// The stage's instructions after its FROM, with their indexes.
fn stage_insts<'a>(file: &'a Dockerfile, stage: &Stage) -> Vec<(usize, &'a Instruction)> {
    stage
        .instructions
        .iter()
        .filter_map(|&i| file.instructions.get(i).map(|inst| (i, inst)))
        .collect()
}

fn has_syntax(file: &Dockerfile) -> bool {
    file.directives.iter().any(|d| d.name == "syntax")
}

fn uses_cache_mounts(stack: Stack) -> bool {
    matches!(stack, Stack::Go | Stack::Rust)
}

fn line_start(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// Applies `edits` (spans in the file, replacement) to `slice`, which
/// starts at file offset `base`. Edits outside it are left.
fn apply(slice: &str, base: usize, edits: &mut [(Span, String)]) -> String {
    edits.sort_by_key(|(s, _)| std::cmp::Reverse(s.start));
    let mut out = slice.to_string();
    let mut limit = usize::MAX;
    for (span, new) in edits.iter() {
        let (Some(start), Some(end)) = (span.start.checked_sub(base), span.end.checked_sub(base))
        else {
            continue;
        };
        if start > end || end > out.len() || end > limit {
            continue;
        }
        if out.is_char_boundary(start) && out.is_char_boundary(end) {
            out.replace_range(start..end, new);
            limit = start;
        }
    }
    out
}

/// The instruction's text with comments before it, edited.
fn inst_text(cx: &Input<'_>, inst: &Instruction, edits: &mut [(Span, String)]) -> String {
    let body = cx
        .text
        .get(inst.span.start..inst.span.end)
        .unwrap_or_default();
    apply(body, inst.span.start, edits)
}

fn push_comments(out: &mut Out, inst: &Instruction) {
    for c in &inst.comments {
        out.push(if c.is_empty() {
            "#".to_string()
        } else {
            format!("# {c}")
        });
    }
}

/// The final stage and what the plan decided for it.
struct Final<'a> {
    last: &'a Stage,
    insts: &'a [(usize, &'a Instruction)],
    entry: Entry<'a>,
    runtime: Runtime,
    image: String,
    secrets: Vec<String>,
}

impl<'a> Final<'a> {
    #[allow(clippy::type_complexity)]
    fn parts(
        &self,
    ) -> (
        &'a Stage,
        &'a [(usize, &'a Instruction)],
        &Entry<'a>,
        Runtime,
        &str,
        &[String],
    ) {
        (
            self.last,
            self.insts,
            &self.entry,
            self.runtime,
            &self.image,
            &self.secrets,
        )
    }

    fn from<'b>(&self, cx: &Input<'b>) -> Result<&'b Instruction, String> {
        cx.file
            .instructions
            .get(self.last.from)
            .ok_or_else(|| "no FROM".to_string())
    }
}

/// ENTRYPOINT and CMD of the final stage.
struct Entry<'a> {
    entrypoint: Option<(&'a Instruction, Result<Argv, String>)>,
    cmd: Option<(&'a Instruction, Result<Argv, String>)>,
    healthcheck: Option<&'a Instruction>,
}

impl<'a> Entry<'a> {
    fn read(insts: &[(usize, &'a Instruction)]) -> Result<Entry<'a>, String> {
        let last = |k: &str| insts.iter().rev().find(|(_, i)| i.is(k)).map(|(_, i)| *i);
        let entrypoint = last("ENTRYPOINT").map(|i| (i, command::argv(i)));
        let cmd = last("CMD").map(|i| (i, command::argv(i)));
        Ok(Entry {
            entrypoint,
            cmd,
            healthcheck: last("HEALTHCHECK"),
        })
    }

    /// The argv that starts the program (ENTRYPOINT, else CMD).
    fn start(&self) -> Option<&Result<Argv, String>> {
        self.entrypoint
            .as_ref()
            .or(self.cmd.as_ref())
            .map(|(_, a)| a)
    }

    fn program(&self) -> Option<String> {
        self.first_word().map(|w| program_name(&w))
    }

    /// The program as written: argv's first word, or a shell form's first
    /// word when it needs a shell.
    fn first_word(&self) -> Option<String> {
        let (inst, argv) = self.entrypoint.as_ref().or(self.cmd.as_ref())?;
        match argv {
            Ok(a) => a.words.first().cloned(),
            Err(_) => inst
                .value
                .first()
                .and_then(|v| v.split_whitespace().next())
                .map(str::to_string),
        }
    }

    /// A shell-form ENTRYPOINT ignores CMD.
    fn cmd_ignored(&self) -> bool {
        self.entrypoint.as_ref().is_some_and(|(i, _)| !i.json)
    }

    /// Whether the program started is itself a shell, a script or a
    /// process manager (not only a command line with shell features).
    fn runs_shell_or_script(&self) -> bool {
        let mut parts = [self.entrypoint.as_ref(), self.cmd.as_ref()];
        if self.cmd_ignored() {
            parts[1] = None;
        }
        parts.into_iter().flatten().any(|(inst, a)| match a {
            Ok(a) => command::needs_shell(a).is_some(),
            Err(_) => {
                let first = inst
                    .value
                    .first()
                    .and_then(|v| v.split_whitespace().next())
                    .unwrap_or_default();
                command::needs_shell_program(&program_name(first)).is_some()
            }
        })
    }

    fn shell_reason(&self) -> Option<String> {
        let mut parts = [self.entrypoint.as_ref(), self.cmd.as_ref()];
        if self.cmd_ignored() {
            parts[1] = None;
        }
        parts.into_iter().flatten().find_map(|(_, a)| match a {
            Err(e) => Some(e.clone()),
            Ok(a) => command::needs_shell(a),
        })
    }
}

/// A RUN in a final stage that distroless makes pointless: CA
/// certificates, tzdata, users and package-index housekeeping.
fn removable(run: &RunInfo) -> bool {
    run.is_analysable()
        && !run.commands().is_empty()
        && run.commands().iter().all(|c| {
            let Some(name) = c.name().map(program_name) else {
                return false;
            };
            if let Some(inst) = install(c) {
                return inst.packages.iter().all(|p| {
                    matches!(
                        package_name(&p.value).as_str(),
                        "ca-certificates" | "tzdata"
                    )
                });
            }
            let args: Vec<&str> = c.args().skip(1).collect();
            match name.as_str() {
                "adduser" | "addgroup" | "useradd" | "groupadd" | "update-ca-certificates" => true,
                "apt-get" | "apt" | "apk" => matches!(
                    args.first().copied(),
                    Some("update" | "clean" | "autoremove" | "cache")
                ),
                "rm" => args.iter().all(|a| {
                    a.starts_with('-')
                        || a.starts_with("/var/lib/apt")
                        || a.starts_with("/var/cache")
                }),
                _ => false,
            }
        })
}

fn runtime(
    cx: &Input<'_>,
    last: &Stage,
    entry: &Entry<'_>,
    shell_reason: Option<&str>,
    split: bool,
) -> Result<Runtime, String> {
    let program = entry.program();
    let alpine_build = cx
        .model
        .stages
        .iter()
        .filter(|s| s.reachable)
        .any(is_alpine);
    if split
        && installs_packages(cx, last)
        && matches!(
            cx.stack,
            Stack::Node | Stack::Python | Stack::Binary | Stack::Java
        )
    {
        return Err(format!(
            "the final stage installs system packages ({}) that the app may need at run time and \
             a distroless image does not have",
            installed(cx, last).join(", ")
        ));
    }
    match cx.stack {
        Stack::Static => {
            if base_name(last).as_deref() == Some("httpd") {
                return Err("httpd has no unprivileged official image to move to".to_string());
            }
            if entry.start().is_some() {
                return Err("the nginx stage replaces nginx's command".to_string());
            }
            Ok(Runtime::Nginx)
        }
        Stack::Node | Stack::Python => {
            let interp = if cx.stack == Stack::Node {
                "/nodejs/bin/node"
            } else {
                "/usr/bin/python3"
            };
            let program = program.ok_or_else(|| no_program(last))?;
            let is_interp = if cx.stack == Stack::Node {
                program == "node"
            } else {
                program.starts_with("python")
            };
            if !split && cx.stack == Stack::Python {
                return Err(
                    "the final stage copies a Python app from another stage; only \
                            single-stage Python builds are rewritten"
                        .to_string(),
                );
            }
            if !split {
                // The app and its node_modules come from earlier stages: they
                // must be built by the runtime's Node major on glibc.
                if alpine_build {
                    return Err(
                        "the build runs on Alpine (musl); its native modules would not \
                                run on a glibc runtime image"
                            .to_string(),
                    );
                }
                let foreign = cx.model.stages.iter().find(|s| {
                    s.reachable && s.is_external() && base_name(s).as_deref() != Some("node")
                });
                if let Some(s) = foreign {
                    return Err(format!(
                        "stage {} builds on `{}`, so its Node.js and node_modules may not match \
                         the runtime's",
                        s.index, s.base
                    ));
                }
            }
            let official = if cx.stack == Stack::Node {
                "node"
            } else {
                "python"
            };
            if base_name(last).as_deref() != Some(official) {
                return Err(format!(
                    "the app runs on `{}`, not the official `{official}` image, so its \
                     interpreter and packages may live anywhere",
                    last.base
                ));
            }
            let word = entry
                .start()
                .and_then(|a| a.as_ref().ok())
                .and_then(|a| a.words.first().cloned())
                .unwrap_or_default();
            if word.contains('/')
                && !(word.starts_with("/usr/local/bin/") || word.starts_with("/usr/bin/"))
            {
                return Err(format!("`{word}` is not the image's own interpreter"));
            }
            if alpine_build && (installs_packages(cx, last) || cx.stack == Stack::Python) {
                return Err(
                    "the build runs on Alpine (musl); its native modules would not run on \
                            a glibc runtime image"
                        .to_string(),
                );
            }
            if shell_reason.is_some()
                || !is_interp
                || entry.entrypoint.is_some() && entry.cmd.is_some()
            {
                Ok(Runtime::Slim)
            } else {
                Ok(Runtime::Interpreter(interp))
            }
        }
        Stack::Java => {
            if let Some(reason) = shell_reason {
                return Err(format!("the command needs a shell: {reason}"));
            }
            let program = program.ok_or_else(|| no_program(last))?;
            if program != "java" {
                return Err(format!(
                    "the image starts `{program}`, not `java`; distroless Java images run `java` \
                     only"
                ));
            }
            Ok(Runtime::Interpreter("/usr/bin/java"))
        }
        Stack::Go | Stack::Rust | Stack::Binary => {
            if cx.stack == Stack::Binary && split {
                return Err(
                    "the final stage builds a program of unknown kind; what besides \
                            the program the image needs cannot be told"
                        .to_string(),
                );
            }
            if !split {
                copied_program(cx, last, entry)?;
            }
            let mut runtime = Runtime::Native;
            if let Some(reason) = shell_reason {
                if entry.runs_shell_or_script() {
                    return Err(format!(
                        "the command needs a shell ({reason}); distroless images have none — \
                         make the entrypoint the program itself"
                    ));
                }
                // The program is the binary; only the command line needs a
                // shell: the debug image's busybox gives one.
                runtime = Runtime::Debug;
            }
            program.ok_or_else(|| no_program(last))?;
            let alpine = cx
                .model
                .stages
                .iter()
                .filter(|s| s.reachable)
                .any(is_alpine);
            let musl_cgo = if split {
                cgo_needed(cx, last)
            } else {
                !cgo_disabled(cx) && c_toolchain(cx)
            };
            if cx.stack == Stack::Go && alpine && musl_cgo {
                return Err(
                    "the Go build on Alpine has cgo on (a C compiler or C libraries are \
                            installed), so the program links musl, which distroless images \
                            lack; build with `CGO_ENABLED=0` first"
                        .to_string(),
                );
            }
            if cx.stack == Stack::Binary && is_alpine(last) {
                return Err(
                    "a program from an Alpine image may be linked against musl, which \
                            distroless images lack"
                        .to_string(),
                );
            }
            Ok(runtime)
        }
        Stack::DotNet => Err(
            ".NET rewrites are not supported yet (a chiseled `aspnet` image is \
                              the usual target)"
                .to_string(),
        ),
    }
}

fn no_program(last: &Stage) -> String {
    format!(
        "the final stage sets no ENTRYPOINT or CMD, so the program is `{}`'s own, which the \
         runtime image would not have",
        last.base
    )
}

fn is_alpine(stage: &Stage) -> bool {
    stage.base_kind == BaseKind::Image
        && (base_name(stage).as_deref() == Some("alpine")
            || stage
                .base_image
                .tag
                .as_deref()
                .is_some_and(|t| t.contains("alpine")))
}

/// Whether a RUN of `stage` runs `program`.
fn runs_program(cx: &Input<'_>, stage: &Stage, program: &str) -> bool {
    stage
        .runs
        .iter()
        .filter_map(|&r| cx.model.runs.get(r))
        .flat_map(|r| r.commands())
        .any(|c| c.name().map(program_name).as_deref() == Some(program))
}

fn installed(cx: &Input<'_>, stage: &Stage) -> Vec<String> {
    stage
        .runs
        .iter()
        .filter_map(|&r| cx.model.runs.get(r))
        .flat_map(|r| r.commands())
        .filter_map(install)
        .flat_map(|i| i.packages.into_iter().map(|p| package_name(&p.value)))
        .collect()
}

/// Whether `stage` installs system packages other than build tools.
fn installs_packages(cx: &Input<'_>, stage: &Stage) -> bool {
    installed(cx, stage).iter().any(|p| !is_build_tool(p))
}

fn is_build_tool(p: &str) -> bool {
    matches!(
        p,
        "gcc"
            | "g++"
            | "make"
            | "build-essential"
            | "build-base"
            | "git"
            | "curl"
            | "wget"
            | "ca-certificates"
            | "tzdata"
            | "musl-dev"
            | "libc-dev"
            | "libc6-dev"
            | "pkg-config"
            | "pkgconfig"
            | "python3-dev"
            | "python-dev"
            | "libffi-dev"
            | "upx"
            | "bash"
            | "openssh-client"
    )
}

fn runtime_kind(cx: &Input<'_>, last: &Stage, runtime: Runtime, split: bool) -> Kind {
    match runtime {
        Runtime::Interpreter(_) => Kind::Interpreter,
        Runtime::Nginx => Kind::Nginx,
        // The builder is Debian-based (moved off Alpine if need be), so is
        // the runtime: node_modules and packages are built for glibc.
        Runtime::Slim => Kind::Slim,
        Runtime::Native | Runtime::Debug => match cx.stack {
            Stack::Go => {
                if split {
                    if cgo_needed(cx, last) {
                        Kind::Base
                    } else {
                        Kind::Static
                    }
                } else if cgo_disabled(cx)
                    || (cx.model.stages.iter().any(is_alpine) && !c_toolchain(cx))
                {
                    Kind::Static
                } else {
                    Kind::Base
                }
            }
            Stack::Rust
                if cx
                    .model
                    .stages
                    .iter()
                    .filter(|s| s.reachable)
                    .any(is_alpine) =>
            {
                // Rust on Alpine links musl statically.
                Kind::Static
            }
            Stack::Rust => {
                let all: Vec<String> = cx
                    .model
                    .stages
                    .iter()
                    .filter(|s| s.reachable)
                    .flat_map(|s| installed(cx, s))
                    .collect();
                if all.iter().any(|p| p.contains("ssl")) {
                    Kind::Base
                } else {
                    Kind::Cc
                }
            }
            _ => Kind::Base,
        },
    }
}

fn go_commands<'a>(cx: &'a Input<'_>) -> impl Iterator<Item = &'a Command> + 'a {
    cx.model
        .runs
        .iter()
        .flat_map(|r| r.commands())
        .filter(|c| c.name().map(program_name).as_deref() == Some("go"))
}

fn cgo_disabled(cx: &Input<'_>) -> bool {
    let env = cx
        .model
        .stages
        .iter()
        .any(|s| cx.model.var(s.env, "CGO_ENABLED") == Some("0"));
    env || go_commands(cx).any(|c| {
        c.assignments
            .iter()
            .any(|a| a.name == "CGO_ENABLED" && a.value.value == "0")
    })
}

/// Whether a build stage installs a C compiler (so cgo is on by default).
fn c_toolchain(cx: &Input<'_>) -> bool {
    cx.model
        .stages
        .iter()
        .filter(|s| s.reachable)
        .flat_map(|s| installed(cx, s))
        .any(|p| {
            matches!(
                p.as_str(),
                "gcc" | "build-base" | "build-essential" | "musl-dev" | "clang"
            )
        })
}

fn cgo_needed(cx: &Input<'_>, stage: &Stage) -> bool {
    let set_one = cx.model.var(stage.env, "CGO_ENABLED") == Some("1")
        || go_commands(cx).any(|c| {
            c.assignments
                .iter()
                .any(|a| a.name == "CGO_ENABLED" && a.value.value == "1")
        });
    set_one
        || installed(cx, stage).iter().any(|p| {
            p.starts_with("lib") && p.ends_with("-dev") && p != "libc-dev" && p != "libc6-dev"
        })
}

/// The Java release the file builds for (8, 11, 17, 21, 25…).
fn java(cx: &Input<'_>) -> u32 {
    let mut best = None;
    for s in cx.model.stages.iter().filter(|s| s.reachable) {
        let tag = s.base_image.tag.as_deref().unwrap_or_default();
        let name = base_name(s).unwrap_or_default();
        let from_tag = |t: &str| -> Option<u32> {
            let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
            digits.parse().ok()
        };
        let v = match name.as_str() {
            "openjdk" | "eclipse-temurin" | "amazoncorretto" | "sapmachine" | "ibmjava" => {
                from_tag(tag)
            }
            "maven" | "gradle" => ["jdk-", "jdk", "temurin-", "openjdk-", "corretto-"]
                .iter()
                .find_map(|p| tag.find(p).and_then(|i| from_tag(tag.get(i + p.len()..)?))),
            _ => None,
        };
        if v.is_some() {
            best = v;
        }
    }
    best.unwrap_or(21)
}

/// A current tag for a build stage whose image the input's own analysis
/// flags as end of life or unpinned; `Err` when it cannot be replaced.
fn modern_base(cx: &Input<'_>, stage: &Stage) -> Result<Option<String>, String> {
    let Some(from) = cx.file.instructions.get(stage.from) else {
        return Ok(None);
    };
    let flagged = cx.before.findings.iter().any(|f| {
        matches!(f.rule, "DD110" | "DD001")
            && f.span.start >= from.span.start
            && f.span.start < from.span.end
    });
    if !flagged || stage.base_kind != BaseKind::Image {
        return Ok(None);
    }
    let name = base_name(stage).unwrap_or_default();
    let alpine = is_alpine(stage);
    images::builder_image(cx.stack, &name, alpine, java(cx))
        .map(Some)
        .ok_or_else(|| {
            format!(
                "the build stage's image `{}` is past its end of life or unpinned, and there is \
                 no known current replacement",
                stage.base
            )
        })
}

/// ENV keys whose values drydock's secret detector flags.
fn secret_keys(file: &Dockerfile, insts: &[(usize, &Instruction)]) -> Vec<String> {
    let _ = file;
    insts
        .iter()
        .filter(|(_, i)| i.is("ENV"))
        .flat_map(|(_, i)| i.value.chunks(3))
        .filter_map(|kv| match kv {
            [k, v, ..] => crate::secrets::classify_assignment(k, v).map(|_| k.clone()),
            _ => None,
        })
        .collect()
}

/// An ENV instruction without its secret keys; `None` when none is left.
fn env_text(
    cx: &Input<'_>,
    inst: &Instruction,
    secrets: &[String],
    out: &mut Out,
) -> Option<String> {
    let pairs: Vec<(&String, &String)> = inst
        .value
        .chunks(3)
        .filter_map(|kv| match kv {
            [k, v, ..] => Some((k, v)),
            _ => None,
        })
        .collect();
    let dropped: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| secrets.contains(k))
        .map(|(k, _)| k.as_str())
        .collect();
    if dropped.is_empty() {
        return Some(inst_text(cx, inst, &mut []));
    }
    out.change(
        format!("Removed `ENV {}`", dropped.join("`, `")),
        "A secret written in the Dockerfile is in every copy of the image and its history; \
         pass it at run time (`docker run -e`, a secrets manager) instead.",
    );
    let kept: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| !secrets.contains(k))
        .map(|(k, v)| format!("{k}=\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    (!kept.is_empty()).then(|| format!("ENV {}", kept.join(" ")))
}

/// `--chown=name` to the non-root ids when the user may not exist.
fn chown_edits(inst: &Instruction, uid: &str) -> Vec<(Span, String)> {
    let Some(owner) = inst.flag("chown") else {
        return Vec::new();
    };
    let numeric = owner
        .split(':')
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    match inst.flag_span("chown") {
        Some(span) if !numeric => vec![(span, format!("--chown={uid}"))],
        _ => Vec::new(),
    }
}

/// The argv the runtime stage starts, rendered as ENTRYPOINT/CMD lines.
fn entry_lines(entry: &Entry<'_>, runtime: Runtime, out: &mut Out) -> Result<Vec<String>, String> {
    if runtime == Runtime::Debug {
        let mut lines = vec![r#"SHELL ["/busybox/sh", "-c"]"#.to_string()];
        lines.extend(
            entry
                .entrypoint
                .iter()
                .chain(entry.cmd.iter())
                .map(|(inst, _)| inst.original.clone()),
        );
        out.change(
            "Shell form kept on the `:debug-nonroot` image",
            format!(
                "The command line needs a shell ({}); the debug variant of the distroless image \
                 has busybox at `/busybox/sh`, which `SHELL` points to. Write the command in exec \
                 form to move to the plain `:nonroot` image.",
                entry.shell_reason().unwrap_or_default()
            ),
        );
        return Ok(lines);
    }
    let mut lines = Vec::new();
    let ep = entry.entrypoint.as_ref();
    let cmd = if entry.cmd_ignored() {
        if entry.cmd.is_some() {
            out.change(
                "Dropped `CMD`",
                "A shell-form ENTRYPOINT ignores CMD; with an exec-form ENTRYPOINT it would \
                 become arguments.",
            );
        }
        None
    } else {
        entry.cmd.as_ref()
    };
    let shell_ok = runtime == Runtime::Slim;
    let render =
        |inst: &Instruction, a: &Result<Argv, String>| -> Result<(Vec<String>, bool), String> {
            match a {
                Ok(a) => Ok((a.words.clone(), a.from_shell)),
                Err(e) if shell_ok => {
                    let _ = e;
                    Err(inst.original.clone())
                }
                Err(e) => Err(e.clone()),
            }
        };
    let mut converted = false;
    let mut emit = |kw: &str,
                    inst: &Instruction,
                    a: &Result<Argv, String>,
                    lines: &mut Vec<String>|
     -> Result<Option<Vec<String>>, String> {
        match render(inst, a) {
            Ok((words, from_shell)) => {
                converted |= from_shell;
                Ok(Some(words))
            }
            Err(original) if shell_ok => {
                lines.push(original);
                let _ = kw;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    };
    match runtime {
        Runtime::Interpreter(path) => {
            if let Some((inst, a)) = ep {
                if let Some(mut words) = emit("ENTRYPOINT", inst, a, &mut lines)? {
                    if let Some(first) = words.first_mut() {
                        *first = path.to_string();
                    }
                    lines.push(format!("ENTRYPOINT {}", command::exec_form(&words)));
                }
                if let Some((inst, a)) = cmd
                    && let Some(words) = emit("CMD", inst, a, &mut lines)?
                {
                    lines.push(format!("CMD {}", command::exec_form(&words)));
                }
            } else if let Some((inst, a)) = cmd
                && let Some(words) = emit("CMD", inst, a, &mut lines)?
            {
                lines.push(format!(
                    "ENTRYPOINT {}",
                    command::exec_form(&[path.to_string()])
                ));
                let rest = words.get(1..).unwrap_or_default();
                if !rest.is_empty() {
                    lines.push(format!("CMD {}", command::exec_form(rest)));
                }
                out.change(
                    format!("`{}` is the ENTRYPOINT", path),
                    "The distroless image starts its interpreter itself; naming it keeps `docker \
                     run IMAGE args` meaning what it did.",
                );
            }
        }
        _ => {
            for (kw, part) in [("ENTRYPOINT", ep), ("CMD", cmd)] {
                if let Some((inst, a)) = part
                    && let Some(words) = emit(kw, inst, a, &mut lines)?
                {
                    lines.push(format!("{kw} {}", command::exec_form(&words)));
                }
            }
        }
    }
    if converted {
        out.change(
            "Shell-form command → exec form",
            "In shell form `/bin/sh -c` is PID 1 and swallows SIGTERM, so `docker stop` waits \
             and kills; in exec form the program gets signals itself (and distroless has no \
             shell).",
        );
    }
    Ok(lines)
}

/// The HEALTHCHECK line to keep, if it can stay.
fn healthcheck_line(
    cx: &Input<'_>,
    entry: &Entry<'_>,
    runtime: Runtime,
    out: &mut Out,
) -> Option<String> {
    let hc = entry.healthcheck?;
    if hc
        .value
        .first()
        .is_some_and(|v| v.eq_ignore_ascii_case("NONE"))
    {
        return Some(inst_text(cx, hc, &mut []));
    }
    let argv = command::argv(hc);
    let program = argv.as_ref().ok().and_then(Argv::program);
    let entry_program = entry.program();
    let interp = match runtime {
        Runtime::Interpreter(p) => Some(p),
        _ => None,
    };
    let keeps = match (&argv, runtime) {
        (_, Runtime::Debug) => {
            // busybox has wget, not curl.
            program.as_deref() != Some("curl")
        }
        (_, Runtime::Slim | Runtime::Nginx) => {
            let p = program.clone().unwrap_or_default();
            Some(&p) == entry_program.as_ref() || p.starts_with("python") || p == "node"
        }
        (Ok(_), _) => program.is_some() && program == entry_program,
        (Err(_), _) => false,
    };
    if !keeps {
        out.change(
            "Dropped `HEALTHCHECK`",
            format!(
                "It runs `{}`, which the runtime image does not have (no shell, curl or wget). \
                 Give the program a health subcommand and check with `HEALTHCHECK CMD \
                 [\"<program>\", \"health\"]`, or use the orchestrator's probe.",
                program.unwrap_or_else(|| "a shell command".to_string())
            ),
        );
        return None;
    }
    match (argv, interp) {
        (Ok(a), Some(path)) => {
            let mut words = a.words;
            if let Some(first) = words.first_mut() {
                *first = path.to_string();
            }
            let opts = hc
                .flag_spans
                .iter()
                .filter_map(|s| cx.text.get(s.start..s.end));
            let opts: Vec<&str> = opts.collect();
            let sep = if opts.is_empty() { "" } else { " " };
            Some(format!(
                "HEALTHCHECK {}{sep}CMD {}",
                opts.join(" "),
                command::exec_form(&words)
            ))
        }
        (Ok(a), None) if a.from_shell && runtime == Runtime::Native => {
            let opts: Vec<&str> = hc
                .flag_spans
                .iter()
                .filter_map(|s| cx.text.get(s.start..s.end))
                .collect();
            let sep = if opts.is_empty() { "" } else { " " };
            Some(format!(
                "HEALTHCHECK {}{sep}CMD {}",
                opts.join(" "),
                command::exec_form(&a.words)
            ))
        }
        _ => Some(inst_text(cx, hc, &mut [])),
    }
}

/// The user the runtime image runs as.
fn uid(stack: Stack, runtime: Runtime) -> &'static str {
    match (runtime, stack) {
        (Runtime::Nginx, _) => "101:101",
        // npm writes its cache and logs under the user's home.
        (Runtime::Slim, Stack::Node) => "1000:1000",
        _ => NONROOT,
    }
}

fn user_line(stack: Stack, runtime: Runtime) -> String {
    format!("USER {}", uid(stack, runtime))
}

fn user_change(out: &mut Out, stack: Stack, runtime: Runtime) {
    let who = match (runtime, stack) {
        (Runtime::Nginx, _) => "nginx-unprivileged's user 101",
        (Runtime::Slim, Stack::Node) => "the image's `node` user (1000)",
        _ => "the `nonroot` user (65532)",
    };
    out.change(
        format!("Runs as {who}"),
        "A process running as root in the container is root on its files and one kernel bug \
         from the host; a numeric id lets `runAsNonRoot` policies check it.",
    );
}

fn runtime_change(out: &mut Out, image: &str, runtime: Runtime) {
    let why = match runtime {
        Runtime::Slim => {
            "It has the language runtime and a shell but no compilers or build \
                          tools."
        }
        Runtime::Nginx => {
            "The same nginx, running as an unprivileged user (its default site listens on \
             8080). A config of yours that listens below 1024 needs the runtime to allow \
             unprivileged ports (Docker does by default; Kubernetes needs \
             `net.ipv4.ip_unprivileged_port_start`)."
        }
        Runtime::Debug => {
            "It holds the program's libraries and busybox only — no package manager, no \
             compilers — so most CVEs and an attacker's tools are gone. It already ships CA \
             certificates, tzdata and a `nonroot` user."
        }
        _ => {
            "It holds the runtime and its libraries only — no shell, no package manager — so \
              most CVEs and an attacker's tools are gone. It already ships CA certificates, \
              tzdata and a `nonroot` user."
        }
    };
    out.change(format!("Runtime image `{image}`"), why);
}

fn write_rebase(cx: &Input<'_>, f: &Final<'_>, out: &mut Out) -> Result<(), String> {
    let (last, insts, entry, runtime, image, secrets) = f.parts();
    let from = f.from(cx)?;
    if runtime == Runtime::Nginx {
        let copies_conf = insts.iter().any(|(_, i)| {
            (i.is("COPY") || i.is("ADD"))
                && i.value.last().is_some_and(|d| d.starts_with("/etc/nginx"))
        });
        let ports: Vec<&str> = insts
            .iter()
            .filter(|(_, i)| i.is("EXPOSE"))
            .flat_map(|(_, i)| i.value.iter().map(String::as_str))
            .collect();
        if !copies_conf && ports.iter().any(|p| p.split('/').next() != Some("8080")) {
            return Err(format!(
                "nginx-unprivileged listens on 8080, but the image exposes {}; a config that \
                 listens there is needed first",
                ports.join(", ")
            ));
        }
        if !copies_conf && ports.is_empty() {
            return Err("nginx-unprivileged listens on 8080 instead of nginx's 80".to_string());
        }
    }
    let mut edits = vec![(last.base_span, image.to_string())];
    out.push(inst_text(cx, from, &mut edits));
    runtime_change(out, image, runtime);
    let mut dropped_runs = 0;
    let mut as_root = false;
    let mut tail = Vec::new();
    for (_, inst) in insts {
        if inst.is("RUN") && runtime == Runtime::Nginx {
            // The base runs as user 101; the build's commands need root.
            if !as_root {
                out.push("USER root");
                as_root = true;
            }
            push_comments(out, inst);
            out.push(inst_text(cx, inst, &mut []));
            continue;
        }
        if inst.is("RUN") {
            dropped_runs += 1;
            continue;
        }
        if inst.is("USER") || inst.is("CMD") || inst.is("ENTRYPOINT") || inst.is("HEALTHCHECK") {
            continue;
        }
        push_comments(out, inst);
        if inst.is("ENV") {
            if let Some(line) = env_text(cx, inst, secrets, out) {
                out.push(line);
            }
            continue;
        }
        let mut edits = if inst.is("COPY") || inst.is("ADD") {
            chown_edits(inst, uid(cx.stack, runtime))
        } else {
            Vec::new()
        };
        out.push(inst_text(cx, inst, &mut edits));
    }
    if dropped_runs > 0 {
        out.change(
            "Dropped the final stage's RUNs",
            "They only installed CA certificates or tzdata or created a user; the runtime image \
             already has them (and no shell to run RUN with).",
        );
    }
    tail.push(user_line(cx.stack, runtime));
    user_change(out, cx.stack, runtime);
    if let Some(line) = healthcheck_line(cx, entry, runtime, out) {
        tail.push(line);
    }
    tail.extend(entry_lines(entry, runtime, out)?);
    for line in tail {
        out.push(line);
    }
    Ok(())
}

/// `path` made absolute against the stage's WORKDIR (`/` without one).
fn absolute(last: &Stage, path: &str) -> String {
    if path.starts_with('/') {
        return path.to_string();
    }
    let dir = last.workdir.as_ref().map_or("/", |w| w.value.as_str());
    format!(
        "{}/{}",
        dir.trim_end_matches('/'),
        path.trim_start_matches("./")
    )
}

/// Checks that the final stage copies the program it starts (else it is
/// the base image's own, which distroless lacks), and no whole filesystem.
fn copied_program(cx: &Input<'_>, last: &Stage, entry: &Entry<'_>) -> Result<(), String> {
    let insts = stage_insts(cx.file, last);
    let copies: Vec<&Instruction> = insts
        .iter()
        .map(|(_, i)| *i)
        .filter(|i| i.is("COPY") || i.is("ADD"))
        .collect();
    if copies
        .iter()
        .any(|i| i.value.len() >= 2 && i.value.first().is_some_and(|s| s == "/"))
    {
        return Err(
            "the final stage copies a whole filesystem, which a distroless base \
                    would not make smaller"
                .to_string(),
        );
    }
    let word = entry.first_word().ok_or_else(|| no_program(last))?;
    let path = absolute(last, &word);
    let name = program_name(&word);
    let found = copies.iter().any(|i| {
        let Some(dest) = i.value.last() else {
            return false;
        };
        let dest = absolute(last, dest);
        if word.contains('/') {
            dest == path
                || (dest.ends_with('/') && path.starts_with(&dest))
                || path.starts_with(&format!("{dest}/"))
        } else {
            dest.rsplit('/').next() == Some(name.as_str())
                || (dest.ends_with('/')
                    && i.value
                        .iter()
                        .rev()
                        .skip(1)
                        .any(|s| program_name(s) == name))
        }
    });
    if found {
        Ok(())
    } else {
        Err(format!(
            "`{word}` is not copied in by the final stage: it comes with `{}`, which a \
             distroless image does not have",
            last.base
        ))
    }
}

/// Where the program the image starts lies in the builder, for compiled
/// stacks and jars.
fn artifact(cx: &Input<'_>, last: &Stage, entry: &Entry<'_>) -> Result<(String, String), String> {
    let first = entry.first_word().ok_or_else(|| no_program(last))?;
    let workdir = last.workdir.as_ref().map(|w| w.value.clone());
    let word = if cx.stack == Stack::Java {
        let all: Vec<String> = entry
            .entrypoint
            .iter()
            .chain(entry.cmd.iter())
            .filter_map(|(_, a)| a.as_ref().ok())
            .flat_map(|a| a.words.clone())
            .collect();
        let j = all
            .iter()
            .position(|w| w == "-jar")
            .ok_or_else(|| "the java command does not run a jar (`-jar`)".to_string())?;
        all.get(j + 1)
            .cloned()
            .ok_or_else(|| "`-jar` names no file".to_string())?
    } else {
        first
    };
    if word.contains('$') || word.is_empty() {
        return Err(format!("the program `{word}` is named through a variable"));
    }
    if word.starts_with('/') {
        return Ok((word.clone(), word));
    }
    if word.contains('/') || cx.stack == Stack::Java {
        let dir =
            workdir.ok_or_else(|| format!("`{word}` is relative and the stage sets no WORKDIR"))?;
        let rel = word.trim_start_matches("./");
        let path = format!("{}/{rel}", dir.trim_end_matches('/'));
        return Ok((path.clone(), path));
    }
    // A bare name found on PATH: where did the build put it?
    let mut installs = cx
        .model
        .runs
        .iter()
        .filter(|r| r.stage == last.index)
        .flat_map(|r| r.commands())
        .filter_map(|c| {
            let p = c.name().map(program_name)?;
            let sub = c.argv.get(1).map(|w| w.value.as_str());
            match (p.as_str(), sub) {
                ("go", Some("install" | "get")) => Some("/go/bin"),
                ("cargo", Some("install")) => Some("/usr/local/cargo/bin"),
                _ => None,
            }
        });
    if let Some(dir) = installs.next() {
        return Ok((format!("{dir}/{word}"), format!("/usr/local/bin/{word}")));
    }
    for (_, inst) in stage_insts(cx.file, last) {
        if !(inst.is("COPY") || inst.is("ADD")) {
            continue;
        }
        let Some(dest) = inst.value.last() else {
            continue;
        };
        if dest.ends_with(&format!("/{word}")) && dest.starts_with('/') {
            return Ok((dest.clone(), dest.clone()));
        }
    }
    Err(format!("cannot tell where the build puts `{word}`"))
}

fn write_split(cx: &Input<'_>, f: &Final<'_>, out: &mut Out) -> Result<(), String> {
    let (last, insts, entry, runtime, image, secrets) = f.parts();
    let from = f.from(cx)?;
    let (build_name, runtime_name) = match &last.name {
        Some(n) => (format!("{n}-build"), Some(n.clone())),
        None => ("build".to_string(), None),
    };
    // The builder: the final stage with runtime-only instructions moved.
    // (The FROM's comments are in the text kept before it.)
    let mut edits = Vec::new();
    let mut new_base = None;
    if cx.stack == Stack::Python || modern_base(cx, last)?.is_some() || node_off_alpine(cx, last) {
        let name = base_name(last).unwrap_or_default();
        let b = images::builder_image(
            cx.stack,
            &name,
            is_alpine(last) && matches!(cx.stack, Stack::Go | Stack::Rust),
            java(cx),
        )
        .ok_or_else(|| format!("no current builder image for `{}` is known", last.base))?;
        if is_alpine(last) && !b.contains("alpine") && runs_program(cx, last, "apk") {
            return Err(format!(
                "the build runs `apk` on Alpine, and its builder has to move to `{b}` (Debian)"
            ));
        }
        if b != last.base_resolved {
            edits.push((last.base_span, b.clone()));
            new_base = Some(b);
        }
    }
    let from_text = inst_text(cx, from, &mut edits);
    let from_line = match &last.name {
        Some(_) => {
            // Rename the stage: `AS name` → `AS name-build`.
            let lower = from_text.to_ascii_lowercase();
            match lower.rfind(" as ") {
                Some(i) => format!("{} AS {build_name}", from_text.get(..i).unwrap_or_default()),
                None => format!("{from_text} AS {build_name}"),
            }
        }
        None => format!("{from_text} AS {build_name}"),
    };
    out.push(from_line);
    if let Some(b) = &new_base {
        let why = match cx.stack {
            Stack::Python => {
                "The build must use the Python release of the runtime image (3.13 \
                              on Debian 13) so that compiled packages load."
            }
            Stack::Node if node_off_alpine(cx, last) => {
                "Native modules built on Alpine (musl) would not load on the glibc \
                            runtime image."
            }
            _ => {
                "The old image is past its end of life or unpinned; the current release gets \
                  security fixes and builds reproducibly."
            }
        };
        out.change(format!("Builder `{}` → `{b}`", last.base), why);
    }
    let reordered = builder_body(cx, last, insts, out)?;
    out.push("");
    // The runtime stage.
    let first = match &runtime_name {
        Some(n) => format!("FROM {image} AS {n}"),
        None => format!("FROM {image}"),
    };
    out.push(first);
    runtime_change(out, image, runtime);
    let _ = reordered;
    for (_, inst) in insts.iter().filter(|(_, i)| i.is("ARG")) {
        out.push(inst_text(cx, inst, &mut []));
    }
    if let Some(w) = &last.workdir {
        out.push(format!("WORKDIR {}", w.value));
    }
    for (_, inst) in insts.iter().filter(|(_, i)| i.is("ENV")) {
        if let Some(line) = env_text(cx, inst, secrets, out) {
            out.push(line);
        }
    }
    let from_build = format!("--from={build_name}");
    match cx.stack {
        Stack::Node | Stack::Python => {
            // The app directory: the WORKDIR, else where `COPY . <dir>`
            // put the sources.
            let copied = insts
                .iter()
                .find(|(_, i)| is_copy_all(i))
                .and_then(|(_, i)| i.value.last())
                .filter(|d| d.starts_with('/') && !d.contains('$'))
                .map(|d| d.trim_end_matches('/').to_string());
            let dir = last
                .workdir
                .as_ref()
                .map(|w| w.value.clone())
                .or(copied)
                .filter(|w| !w.is_empty() && w != "/")
                .ok_or_else(|| {
                    "the app's files are not in a WORKDIR, so it is unclear what to copy"
                        .to_string()
                })?;
            if cx.stack == Stack::Python {
                let site = "/usr/local/lib/python3.13/site-packages";
                out.push(format!("COPY {from_build} {site} {site}"));
                if runtime == Runtime::Slim {
                    out.push(format!("COPY {from_build} /usr/local/bin /usr/local/bin"));
                } else {
                    out.push(format!("ENV PYTHONPATH={site}"));
                }
                out.change(
                    "Copied the installed packages and the app only",
                    "pip, compilers and build dependencies stay in the builder.",
                );
            }
            out.push(format!("COPY {from_build} {dir} {dir}"));
        }
        _ => {
            let (src, dest) = artifact(cx, last, entry)?;
            out.push(format!("COPY {from_build} {src} {dest}"));
            out.change(
                format!("Copied `{src}` only"),
                "The runtime image gets the program, not the toolchain, sources and caches. If \
                 the program reads files from the sources (templates, static assets), copy \
                 those too.",
            );
        }
    }
    for (_, inst) in insts {
        if ["LABEL", "EXPOSE", "VOLUME", "STOPSIGNAL", "MAINTAINER"]
            .iter()
            .any(|k| inst.is(k))
        {
            push_comments(out, inst);
            out.push(inst_text(cx, inst, &mut []));
        }
    }
    out.push(user_line(cx.stack, runtime));
    user_change(out, cx.stack, runtime);
    if let Some(line) = healthcheck_line(cx, entry, runtime, out) {
        out.push(line);
    }
    for line in entry_lines(entry, runtime, out)? {
        out.push(line);
    }
    Ok(())
}

fn node_off_alpine(cx: &Input<'_>, last: &Stage) -> bool {
    cx.stack == Stack::Node && is_alpine(last)
}

/// Writes the builder's instructions: RUN edits (Go flags, cache mounts)
/// and dependency manifests copied before the sources. Returns whether
/// it reordered.
fn builder_body(
    cx: &Input<'_>,
    last: &Stage,
    insts: &[(usize, &Instruction)],
    out: &mut Out,
) -> Result<bool, String> {
    let kept: Vec<&(usize, &Instruction)> = insts
        .iter()
        .filter(|(_, i)| !RUNTIME_ONLY.iter().any(|k| i.is(k)))
        .collect();
    // Dependency manifests before sources: `COPY . <dest>` followed by the
    // install step.
    let mut hoist: Option<(usize, usize, &'static str, String)> = None;
    if let Some(pos) = kept.iter().position(|(_, i)| is_copy_all(i)) {
        let manifests_copied = kept.iter().take(pos).any(|(_, i)| {
            (i.is("COPY") || i.is("ADD")) && i.value.iter().any(|v| manifest(cx.stack, v))
        });
        let between_ok = |to: usize| {
            kept.iter()
                .skip(pos + 1)
                .take(to.saturating_sub(pos + 1))
                .all(|(_, i)| i.is("RUN") || i.is("COPY") || i.is("ADD"))
        };
        if !manifests_copied && let Some((_, copy)) = kept.get(pos) {
            let mut dest = copy.value.last().cloned().unwrap_or_default();
            if !dest.ends_with('/') {
                dest.push('/');
            }
            for (k, (idx, inst)) in kept.iter().enumerate().skip(pos + 1) {
                if !inst.is("RUN") {
                    continue;
                }
                if let Some(files) = cx
                    .model
                    .run(*idx)
                    .and_then(|r| dependency_step(cx.stack, r))
                {
                    if between_ok(k) {
                        hoist = Some((pos, k, files, dest.clone()));
                    }
                    break;
                }
            }
            if hoist.is_none() && cx.stack == Stack::Go && go_builds(cx, &kept) {
                hoist = Some((pos, usize::MAX, "go.mod go.sum*", dest));
            }
        }
    }
    let mut go_flags_added = false;
    let mut mounts_added = false;
    for (k, (idx, inst)) in kept.iter().enumerate() {
        if let Some((pos, run_at, files, dest)) = &hoist {
            if k == *pos {
                out.push(format!("COPY {files} {dest}"));
                if *run_at == usize::MAX {
                    out.push("RUN --mount=type=cache,target=/go/pkg/mod go mod download");
                } else if let Some((ri, rinst)) = kept.get(*run_at) {
                    out.push(edited_run(
                        cx,
                        *ri,
                        rinst,
                        &mut go_flags_added,
                        &mut mounts_added,
                    ));
                }
                out.change(
                    format!("`COPY {files}` before the sources"),
                    "Dependencies are downloaded in their own layer, which the build cache keeps \
                     until the manifests change — not on every source edit.",
                );
            }
            if k == *run_at {
                continue;
            }
        }
        push_comments(out, inst);
        if inst.is("RUN") {
            out.push(edited_run(
                cx,
                *idx,
                inst,
                &mut go_flags_added,
                &mut mounts_added,
            ));
        } else {
            out.push(inst_text(cx, inst, &mut []));
        }
    }
    let _ = last;
    if go_flags_added {
        out.change(
            "`CGO_ENABLED=0 go build -trimpath -ldflags='-s -w'`",
            "A static binary runs on distroless/static; `-trimpath` drops local paths and \
             `-s -w` the symbol tables, making the binary smaller and the build reproducible.",
        );
    }
    if mounts_added {
        out.change(
            "Cache mounts for module and build caches",
            "`RUN --mount=type=cache` keeps downloaded modules and compiled packages between \
             builds without storing them in any layer.",
        );
    }
    Ok(hoist.is_some())
}

fn go_builds(cx: &Input<'_>, kept: &[&(usize, &Instruction)]) -> bool {
    kept.iter().any(|(i, _)| {
        cx.model.run(*i).is_some_and(|r| {
            r.commands().iter().any(|c| {
                c.name().map(program_name).as_deref() == Some("go")
                    && c.argv.get(1).is_some_and(|w| w.value == "build")
            })
        })
    })
}

fn is_copy_all(inst: &Instruction) -> bool {
    inst.is("COPY")
        && inst.flags.is_empty()
        && inst.value.len() == 2
        && inst.value.first().is_some_and(|s| s == "." || s == "./")
}

fn manifest(stack: Stack, path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    match stack {
        Stack::Go => last.starts_with("go.mod") || last.starts_with("go.sum"),
        Stack::Node => {
            last.starts_with("package") || last.ends_with(".lock") || last.contains("lock")
        }
        Stack::Python => last.starts_with("requirements") || last == "pyproject.toml",
        _ => true,
    }
}

/// A RUN that only installs dependencies from manifests: the files to
/// copy before it.
fn dependency_step(stack: Stack, run: &RunInfo) -> Option<&'static str> {
    let [cmd] = run.commands() else {
        return None;
    };
    let name = cmd.name().map(program_name)?;
    let args: Vec<&str> = cmd.args().skip(1).collect();
    let flags_only = |from: usize| args.iter().skip(from).all(|a| a.starts_with('-'));
    match (stack, name.as_str(), args.first().copied()) {
        (Stack::Node, "npm", Some("ci")) if flags_only(1) => Some("package*.json"),
        (Stack::Node, "npm", Some("install" | "i")) if flags_only(1) => Some("package*.json"),
        (Stack::Node, "yarn", None) => Some("package.json yarn.lock*"),
        (Stack::Node, "yarn", Some("install")) if flags_only(1) => Some("package.json yarn.lock*"),
        (Stack::Python, "pip" | "pip3", Some("install")) => {
            let req = args.contains(&"requirements.txt");
            let others = args
                .iter()
                .skip(1)
                .all(|a| a.starts_with('-') || *a == "requirements.txt");
            (req && others).then_some("requirements.txt")
        }
        (Stack::Go, "go", Some("mod")) if args.get(1) == Some(&"download") => {
            Some("go.mod go.sum*")
        }
        _ => None,
    }
}

/// A RUN of the builder, with Go build flags and cache mounts added.
fn edited_run(
    cx: &Input<'_>,
    idx: usize,
    inst: &Instruction,
    go_flags: &mut bool,
    mounts: &mut bool,
) -> String {
    let Some(run) = cx.model.run(idx) else {
        return inst_text(cx, inst, &mut []);
    };
    let mut edits: Vec<(Span, String)> = Vec::new();
    let mut targets: Vec<&str> = Vec::new();
    for cmd in run.commands() {
        let name = cmd.name().map(program_name).unwrap_or_default();
        let sub = cmd.argv.get(1).map(|w| w.value.as_str());
        match (cx.stack, name.as_str(), sub) {
            (Stack::Go, "go", Some("build")) => {
                targets.extend(["/go/pkg/mod", "/root/.cache/go-build"]);
                if let Some(e) = go_build_edits(cx, run, inst, cmd) {
                    *go_flags = true;
                    edits.extend(e);
                }
            }
            (Stack::Go, "go", Some("mod" | "get" | "install")) => targets.push("/go/pkg/mod"),
            (Stack::Rust, "cargo", Some("build" | "install" | "fetch")) => {
                targets.push("/usr/local/cargo/registry");
            }
            _ => {}
        }
    }
    targets.dedup();
    let run_user_root = run.user.as_deref().is_none_or(|u| u == "root" || u == "0");
    let new_targets: Vec<&str> = targets
        .into_iter()
        .filter(|t| !run.mounts.iter().any(|m| m.target.as_deref() == Some(*t)))
        .collect();
    if !new_targets.is_empty() && run_user_root && !inst.json {
        let flags: Vec<String> = new_targets
            .iter()
            .map(|t| format!(" --mount=type=cache,target={t}"))
            .collect();
        edits.push((
            Span::new(inst.keyword_span.end, inst.keyword_span.end),
            flags.concat(),
        ));
        *mounts = true;
    }
    inst_text(cx, inst, &mut edits)
}

/// Edits adding `CGO_ENABLED=0`, `-trimpath` and `-ldflags='-s -w'` to a
/// `go build` whose words map onto the file.
fn go_build_edits(
    cx: &Input<'_>,
    run: &RunInfo,
    inst: &Instruction,
    cmd: &Command,
) -> Option<Vec<(Span, String)>> {
    let stage = cx.model.stages.get(run.stage)?;
    if cgo_needed(cx, stage) {
        return None;
    }
    let go = cmd.argv.first()?;
    let build = cmd.argv.get(1)?;
    let go_at = run.file_span(inst, go.span)?;
    let build_at = run.file_span(inst, build.span)?;
    let mut edits = Vec::new();
    let has_cgo = cmd.assignments.iter().any(|a| a.name == "CGO_ENABLED")
        || cx.model.var(run.env, "CGO_ENABLED").is_some();
    if !has_cgo {
        edits.push((
            Span::new(go_at.start, go_at.start),
            "CGO_ENABLED=0 ".to_string(),
        ));
    }
    let args: Vec<&str> = cmd.args().collect();
    let mut flags = String::new();
    if !args.contains(&"-trimpath") {
        flags.push_str(" -trimpath");
    }
    if !args.iter().any(|a| a.starts_with("-ldflags")) {
        flags.push_str(" -ldflags='-s -w'");
    }
    if !flags.is_empty() {
        edits.push((Span::new(build_at.end, build_at.end), flags));
    }
    (!edits.is_empty()).then_some(edits)
}
