use super::*;
use crate::syntax::parse;

fn model(text: &str) -> BuildModel {
    BuildModel::new(&parse(text), &BuildOptions::default())
}

fn model_with(text: &str, options: &BuildOptions) -> BuildModel {
    BuildModel::new(&parse(text), options)
}

fn kinds(m: &BuildModel) -> Vec<DiagnosticKind> {
    m.diagnostics.iter().map(|d| d.kind).collect()
}

fn run_var<'a>(m: &'a BuildModel, run: usize, name: &str) -> Option<&'a str> {
    m.var(m.runs[run].env, name)
}

#[test]
fn stages_link_to_earlier_stages() {
    let m = model("ARG V=1\nFROM golang AS Build\nRUN go build\nFROM build\nUSER app\n");
    assert_eq!(m.preamble, [0]);
    assert_eq!(m.stages.len(), 2);
    assert_eq!(m.stages[0].name.as_deref(), Some("build"));
    assert_eq!(m.stages[0].instructions, [2]);
    assert_eq!(m.stages[1].base_stage, Some(0));
    assert_eq!(m.stages[1].base_kind, BaseKind::Stage);
    assert_eq!(m.stages[0].base_kind, BaseKind::Image);
    assert_eq!(m.final_stage().map(|s| s.index), Some(1));
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
}

#[test]
fn base_kinds_and_platform() {
    let m = model(
        "FROM scratch\nFROM --platform=$BUILDPLATFORM ghcr.io/o/r:1@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS x\n",
    );
    assert_eq!(m.stages[0].base_kind, BaseKind::Scratch);
    let s = &m.stages[1];
    assert_eq!(s.base_kind, BaseKind::Image);
    assert_eq!(s.base_image.registry.as_deref(), Some("ghcr.io"));
    assert_eq!(s.base_image.repository, "o/r");
    assert_eq!(s.base_image.tag.as_deref(), Some("1"));
    assert!(s.base_image.digest.is_some());
    let p = s.platform.as_ref().unwrap();
    assert_eq!(
        (p.raw.as_str(), p.value.as_str()),
        ("$BUILDPLATFORM", "linux/amd64")
    );
}

/// The reference's example: a global ARG is usable in FROM, and visible in
/// the stage only once redeclared without a value.
#[test]
fn global_arg_redeclared_in_stage() {
    let m = model(
        "ARG VERSION=latest\nFROM busybox:$VERSION\nARG VERSION\nRUN echo $VERSION > image_version\n",
    );
    let s = &m.stages[0];
    assert_eq!(s.base, "busybox:$VERSION");
    assert_eq!(s.base_resolved, "busybox:latest");
    assert_eq!(s.base_image.tag.as_deref(), Some("latest"));
    assert_eq!(s.args[0].source, ArgSource::Global);
    assert_eq!(run_var(&m, 0, "VERSION"), Some("latest"));
    assert_eq!(m.global_args[0].value.as_deref(), Some("latest"));
}

#[test]
fn global_arg_not_redeclared_is_invisible_in_stage() {
    let m = model("ARG VERSION=1\nFROM busybox:$VERSION\nRUN echo $VERSION\nUSER u$VERSION\n");
    assert_eq!(run_var(&m, 0, "VERSION"), None);
    let user = m.stages[0].user.as_ref().unwrap();
    assert_eq!(user.value, "u");
    assert_eq!(user.unset, ["VERSION"]);
}

#[test]
fn build_args_override_defaults() {
    let text = "ARG BASE=alpine:3.19\nFROM ${BASE}\nARG MODE=dev\nARG username\nRUN echo $MODE $username\n";
    let opts = BuildOptions::default()
        .with_build_arg("BASE", "alpine:3.20")
        .with_build_arg("MODE", "prod")
        .with_build_arg("username", "what_user");
    let m = model_with(text, &opts);
    assert_eq!(m.stages[0].base_resolved, "alpine:3.20");
    assert_eq!(run_var(&m, 0, "MODE"), Some("prod"));
    assert_eq!(run_var(&m, 0, "username"), Some("what_user"));
    assert_eq!(m.stages[0].args[0].source, ArgSource::BuildArg);
    // Without them: the defaults, and an unset ARG.
    let m = model(text);
    assert_eq!(m.stages[0].base_resolved, "alpine:3.19");
    assert_eq!(run_var(&m, 0, "MODE"), Some("dev"));
    assert_eq!(run_var(&m, 0, "username"), None);
    assert_eq!(m.stages[0].args[1].source, ArgSource::Unset);
}

/// The reference's scope example: a variable used before its ARG falls
/// back to the default of the `${:-}`.
#[test]
fn arg_comes_into_effect_at_its_line() {
    let text = "FROM busybox\nUSER ${username:-some_user}\nARG username\nUSER $username\n";
    let opts = BuildOptions::default().with_build_arg("username", "what_user");
    let m = model_with(text, &opts);
    let users: Vec<_> = m.stages[0].users.iter().map(|u| u.value.as_str()).collect();
    assert_eq!(users, ["some_user", "what_user"]);
}

#[test]
fn env_overrides_arg_and_expands_with_previous_values() {
    let text = "FROM ubuntu\nARG CONT_IMG_VER\nENV CONT_IMG_VER=v1.0.0\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\nRUN echo $CONT_IMG_VER\n";
    let opts = BuildOptions::default().with_build_arg("CONT_IMG_VER", "v2.0.1");
    let m = model_with(text, &opts);
    assert_eq!(run_var(&m, 0, "CONT_IMG_VER"), Some("v1.0.0"));
    assert_eq!(run_var(&m, 0, "def"), Some("hello"));
    assert_eq!(run_var(&m, 0, "ghi"), Some("bye"));
    let env: Vec<_> = m
        .visible(m.stages[0].env)
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(env, ["PATH", "CONT_IMG_VER", "abc", "def", "ghi"]);
    // Quotes are removed, the legacy form keeps the rest of the line.
    let m = model("FROM a\nENV X=\"a b\" Y='$X'\nENV Z hello  world\nRUN x\n");
    assert_eq!(run_var(&m, 0, "X"), Some("a b"));
    assert_eq!(run_var(&m, 0, "Y"), Some("$X"));
    assert_eq!(run_var(&m, 0, "Z"), Some("hello  world"));
}

#[test]
fn env_args_user_workdir_shell_inherit_through_from_stage() {
    let text = "FROM alpine:3.20 AS base\nARG A=1\nENV PATH=/opt/bin:$PATH X=1\nUSER app\nWORKDIR /srv\nSHELL [\"/bin/bash\", \"-c\"]\nFROM base AS child\nWORKDIR sub\nRUN echo $X $A\nFROM alpine:3.20\nRUN echo $X\n";
    let m = model(text);
    let child = &m.stages[1];
    assert_eq!(child.user.as_ref().map(|u| u.value.as_str()), Some("app"));
    assert_eq!(child.user.as_ref().map(|u| u.instruction), Some(3));
    assert_eq!(
        child.workdir.as_ref().map(|w| w.value.as_str()),
        Some("/srv/sub")
    );
    assert_eq!(
        child.shell.as_ref().map(|s| s.argv[0].as_str()),
        Some("/bin/bash")
    );
    assert_eq!(m.var(child.vars, "X"), Some("1"));
    assert_eq!(
        m.var(child.vars, "PATH"),
        Some(format!("/opt/bin:{DEFAULT_PATH}").as_str())
    );
    let run = &m.runs[0];
    assert_eq!(
        m.var(run.env, "A"),
        Some("1"),
        "stage ARGs carry over to child stages"
    );
    assert_eq!(run.shell, ["/bin/bash", "-c"]);
    assert_eq!(run.user.as_deref(), Some("app"));
    assert_eq!(run.workdir.as_deref(), Some("/srv/sub"));
    // An unrelated stage sees none of it.
    let other = &m.runs[1];
    assert_eq!(m.var(other.env, "X"), None);
    assert_eq!(other.user, None);
}

#[test]
fn workdir_relative_and_with_variables() {
    let m = model("FROM a\nWORKDIR /a\nWORKDIR b\nWORKDIR c\nRUN pwd\n");
    assert_eq!(m.runs[0].workdir.as_deref(), Some("/a/b/c"));
    let m = model("FROM a\nENV DIRPATH=/path\nWORKDIR $DIRPATH/$DIRNAME\nRUN pwd\n");
    assert_eq!(m.runs[0].workdir.as_deref(), Some("/path"));
    let w = &m.stages[0].workdirs[0];
    assert_eq!(w.unset, ["DIRNAME"]);
    let m = model("FROM a\nWORKDIR app\n");
    assert_eq!(m.stages[0].workdir.as_ref().unwrap().value, "/app");
}

#[test]
fn predefined_platform_args() {
    let m = model(
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS b\nARG TARGETOS TARGETARCH\nRUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build\nRUN echo $TARGETPLATFORM\n",
    );
    assert_eq!(run_var(&m, 0, "TARGETOS"), Some("linux"));
    assert_eq!(run_var(&m, 0, "TARGETARCH"), Some("amd64"));
    assert_eq!(
        run_var(&m, 1, "TARGETPLATFORM"),
        None,
        "not declared in the stage"
    );
    let opts = BuildOptions::default().with_target_platform("linux/arm64/v8");
    let m = model_with(
        "FROM --platform=$TARGETPLATFORM a:1\nARG TARGETARCH TARGETVARIANT BUILDARCH\nRUN x\n",
        &opts,
    );
    assert_eq!(
        m.stages[0].platform.as_ref().unwrap().value,
        "linux/arm64/v8"
    );
    assert_eq!(run_var(&m, 0, "TARGETARCH"), Some("arm64"));
    assert_eq!(run_var(&m, 0, "TARGETVARIANT"), Some("v8"));
    assert_eq!(run_var(&m, 0, "BUILDARCH"), Some("amd64"));
    let m = model("FROM a:1 AS final\nARG TARGETSTAGE\nRUN x\n");
    assert_eq!(run_var(&m, 0, "TARGETSTAGE"), Some("final"));
}

#[test]
fn from_variables_resolve_or_are_diagnosed() {
    let m = model("ARG BASE=node:20\nFROM $BASE\n");
    assert_eq!(m.stages[0].base_kind, BaseKind::Image);
    assert_eq!(m.stages[0].base_image.repository, "node");
    assert!(m.diagnostics.is_empty());

    // Used but never declared globally.
    let m = model("FROM node:${VERSION}\nFROM alpine:3.20\nARG VERSION=1\n");
    assert_eq!(
        kinds(&m),
        [
            DiagnosticKind::UndefinedArgInFrom,
            DiagnosticKind::InvalidBaseReference
        ]
    );
    assert_eq!(m.stages[0].base_kind, BaseKind::Invalid);
    assert_eq!(m.stages[0].base_unset, ["VERSION"]);
    assert_eq!(m.diagnostics[0].line, 1);

    // Declared without a default: blank.
    let m = model("ARG BASE\nFROM ${BASE}\n");
    assert_eq!(kinds(&m), [DiagnosticKind::UnresolvedBase]);
    assert_eq!(m.stages[0].base_kind, BaseKind::Unresolved);
    assert_eq!(m.stages[0].base_resolved, "");

    // A failing expansion keeps the raw text.
    let m = model("ARG B=x\nFROM ${B:?nobase}\nFROM ${B\n");
    assert_eq!(m.stages[0].base_resolved, "x");
    assert_eq!(m.stages[1].base_kind, BaseKind::Unresolved);
    assert_eq!(m.stages[1].base_resolved, "${B");
    assert_eq!(kinds(&m), [DiagnosticKind::UnresolvedBase]);

    // A global ARG may use an earlier one and a build arg.
    let opts = BuildOptions::default().with_build_arg("REG", "r.example");
    let m = model_with("ARG REG=docker.io\nARG IMG=$REG/app:1\nFROM $IMG\n", &opts);
    assert_eq!(m.stages[0].base_resolved, "r.example/app:1");
    assert_eq!(
        m.stages[0].base_image.registry.as_deref(),
        Some("r.example")
    );
}

#[test]
fn stage_names_are_checked() {
    let m = model(
        "FROM a:1 AS Build\nFROM b:1 AS build\nFROM c:1 AS 1st\nFROM d:1 AS scratch\nFROM Build\n",
    );
    assert_eq!(
        kinds(&m),
        [
            DiagnosticKind::DuplicateStageName,
            DiagnosticKind::InvalidStageName,
            DiagnosticKind::ReservedStageName,
            DiagnosticKind::InvalidBaseReference,
        ]
    );
    // `FROM Build` is matched as written: no stage, an invalid image.
    assert_eq!(m.stages[4].base_kind, BaseKind::Invalid);
    assert!(m.diagnostics[3].message.contains("use `build`"));
    // The later duplicate wins for lookups.
    assert_eq!(m.stage_by_name("BUILD").map(|s| s.index), Some(1));
}

#[test]
fn copy_from_by_name_index_and_image() {
    let text = "FROM golang:1.22 AS build\nRUN go build\nFROM alpine:3.20 AS assets\nFROM scratch\nCOPY --from=build /app /app\nCOPY --from=1 /a /a\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\nCOPY --from=Build /x /x\n";
    let m = model(text);
    let edges: Vec<_> = m
        .edges
        .iter()
        .map(|e| (e.stage, e.kind, e.source.clone(), e.instruction))
        .collect();
    assert_eq!(
        edges,
        [
            (2, EdgeKind::CopyFrom, EdgeSource::Stage(0), 4),
            (2, EdgeKind::CopyFrom, EdgeSource::Stage(1), 5),
            (
                2,
                EdgeKind::CopyFrom,
                EdgeSource::Image("nginx:1.27".into()),
                6
            ),
            (2, EdgeKind::CopyFrom, EdgeSource::Stage(0), 7),
        ]
    );
    assert_eq!(m.external_images.len(), 1);
    assert_eq!(
        m.external_images[0].image.normalized(),
        "docker.io/library/nginx:1.27"
    );
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
    assert!(m.stages.iter().all(|s| s.reachable));
}

#[test]
fn bad_copy_from_references_are_diagnosed() {
    let text = "FROM a:1 AS one\nCOPY --from=two /a /a\nCOPY --from=5 /b /b\nCOPY --from=one /c /c\nARG S=one\nCOPY --from=$S /d /d\nCOPY --from=buildr /e /e\nFROM b:1 AS two\n";
    let m = model(text);
    assert_eq!(
        kinds(&m),
        [
            DiagnosticKind::VariableInFrom,
            DiagnosticKind::StageNotYetDefined,
            DiagnosticKind::InvalidStageIndex,
            DiagnosticKind::StageNotYetDefined,
            DiagnosticKind::UnknownStage,
        ]
    );
    assert!(m.diagnostics[3].message.contains("circular"));
    assert!(
        m.diagnostics[4]
            .message
            .contains("docker.io/library/buildr:latest")
    );
    assert!(matches!(m.edges[2].source, EdgeSource::Stage(0)));
    assert!(matches!(m.edges[3].source, EdgeSource::Invalid(_)));
}

#[test]
fn run_mount_from_makes_edges() {
    let text = "FROM node:22 AS deps\nRUN npm ci\nFROM node:22 AS unused\nRUN true\nFROM node:22\nARG SRC=deps\nRUN --mount=type=bind,from=${SRC},source=/node_modules,target=/m \\\n    --mount=type=cache,target=/root/.npm \\\n    --mount=type=secret,id=npmrc,target=/root/.npmrc npm run build\n";
    let m = model(text);
    let run = m.runs.last().unwrap();
    assert_eq!(run.mounts.len(), 3);
    assert_eq!(run.mounts[0].from.as_deref(), Some("deps"));
    assert_eq!(run.mounts[1].kind, MountType::Cache);
    assert_eq!(run.mounts[2].id.as_deref(), Some("npmrc"));
    let mount_edges: Vec<_> = m
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::MountFrom)
        .map(|e| (e.stage, e.source.clone()))
        .collect();
    assert_eq!(mount_edges, [(2, EdgeSource::Stage(0))]);
    // Reachability: the unused stage is not needed.
    let reach: Vec<_> = m.stages.iter().map(|s| s.reachable).collect();
    assert_eq!(reach, [true, false, true]);
}

#[test]
fn target_option_and_reachability() {
    let text = "FROM a:1 AS base\nFROM base AS dev\nFROM base AS prod\nFROM b:1 AS test\nCOPY --from=prod / /\n";
    let m = model(text);
    assert_eq!(m.target, Some(3));
    let reach: Vec<_> = m.stages.iter().map(|s| s.reachable).collect();
    assert_eq!(reach, [true, false, true, true]);
    let m = model_with(text, &BuildOptions::default().with_target("DEV"));
    assert_eq!(m.final_stage().map(|s| s.index), Some(1));
    let reach: Vec<_> = m.stages.iter().map(|s| s.reachable).collect();
    assert_eq!(reach, [true, true, false, false]);
    let m = model_with(text, &BuildOptions::default().with_target("nope"));
    assert_eq!(kinds(&m), [DiagnosticKind::UnknownTarget]);
    assert_eq!(m.target, Some(3));
    assert_eq!(model("").target, None);
}

#[test]
fn runs_are_lexed_once_in_every_form() {
    let text = "FROM a:1\nRUN apt-get update && apt-get install -y curl\nRUN [\"/bin/sh\", \"-c\", \"make && make install\"]\nRUN [\"make\", \"all\"]\nRUN <<EOF\nset -e\napk add git\nEOF\nRUN cat <<EOF > /etc/conf\nkey=value\nEOF\nRUN <<EOF\n#!/usr/bin/env python3\nprint('hi')\nEOF\n";
    let file = parse(text);
    let m = BuildModel::new(&file, &BuildOptions::default());
    let forms: Vec<_> = m.runs.iter().map(|r| r.form).collect();
    assert_eq!(
        forms,
        [
            RunForm::Shell,
            RunForm::ExecShell,
            RunForm::Exec,
            RunForm::Heredoc,
            RunForm::ShellWithHeredocs,
            RunForm::Heredoc,
        ]
    );
    let names = |r: &RunInfo| {
        r.commands()
            .iter()
            .filter_map(|c| c.name())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&m.runs[0]), ["apt-get", "apt-get"]);
    assert_eq!(names(&m.runs[1]), ["make", "make"]);
    assert_eq!(m.runs[2].argv, ["make", "all"]);
    assert!(m.runs[2].script.is_none() && m.runs[2].not_analysable.is_none());
    assert_eq!(names(&m.runs[3]), ["set", "apk"]);
    assert_eq!(names(&m.runs[4]), ["cat"]);
    assert!(
        m.runs[4].commands()[0]
            .redirects
            .iter()
            .any(|r| r.heredoc.is_some())
    );
    assert_eq!(m.runs[5].shell_kind, ShellKind::Other);
    assert!(
        m.runs[5]
            .not_analysable
            .as_deref()
            .unwrap()
            .contains("python3")
    );

    // Offsets map script spans to the file when the text is verbatim.
    for r in [&m.runs[0], &m.runs[3]] {
        let off = r.offset.unwrap();
        let c = &r.commands()[1];
        assert_eq!(
            &text[off + c.span.start..off + c.span.end],
            &r.text[c.span.start..c.span.end]
        );
    }
    // ...and not when continuations were joined.
    let m = model("FROM a\nRUN a \\\n  && b\n");
    assert_eq!(m.runs[0].offset, None);
    assert_eq!(m.runs[0].commands().len(), 2);
}

#[test]
fn non_posix_shell_makes_runs_unanalysable() {
    let text = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\", \"$ErrorActionPreference = 'Stop';\"]\nRUN Get-ChildItem | Where-Object { $_.Length -gt 1kb }\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN dir\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN ls | wc -l\n";
    let m = model(text);
    assert_eq!(m.runs[0].shell_kind, ShellKind::PowerShell);
    assert!(m.runs[0].script.is_none());
    assert!(
        m.runs[0]
            .not_analysable
            .as_deref()
            .unwrap()
            .contains("PowerShell")
    );
    assert_eq!(m.runs[1].shell_kind, ShellKind::Cmd);
    assert!(m.runs[1].script.is_none());
    assert_eq!(m.runs[2].shell_kind, ShellKind::Posix);
    assert_eq!(m.runs[2].commands().len(), 2);
    assert_eq!(m.stages[0].runs, [0, 1, 2]);
}

#[test]
fn proxy_build_args_reach_runs_without_declaration() {
    let opts = BuildOptions::default()
        .with_build_arg("HTTP_PROXY", "http://p:3128")
        .with_build_arg("OTHER", "x");
    let m = model_with("FROM a\nRUN curl x\n", &opts);
    assert_eq!(run_var(&m, 0, "HTTP_PROXY"), Some("http://p:3128"));
    assert_eq!(run_var(&m, 0, "OTHER"), None);
}

#[test]
fn model_serializes_and_summarizes() {
    let m = model(
        "ARG V=20\nFROM node:$V AS build\nRUN npm ci && npm run build\nFROM gcr.io/distroless/nodejs20\nCOPY --from=build /app /app\nUSER nonroot\n",
    );
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["stages"][0]["base_resolved"], "node:20");
    assert_eq!(json["runs"][0]["script"]["commands"][1]["argv"][1], "run");
    assert_eq!(json["edges"][0]["source"]["stage"], 0);
    let s = m.summary();
    assert_eq!(
        s.stages[0].image.as_deref(),
        Some("docker.io/library/node:20")
    );
    assert_eq!(s.stages[1].user.as_deref(), Some("nonroot"));
    assert_eq!(s.stages[0].line, 2);
    assert_eq!(s.target, Some(1));
    serde_json::to_string(&s).unwrap();
}

#[test]
fn onbuild_and_garbage_do_not_disturb_the_model() {
    for text in [
        "",
        "FROM",
        "RUN x",
        "ARG\nFROM\nARG =x\nENV\nUSER\nWORKDIR\nSHELL x\nCOPY --from= a b\nRUN --mount=,,= x\n",
        "FROM a AS\nFROM a b c d\nONBUILD COPY --from=x a b\nONBUILD RUN y\n",
        "FROM ${\nARG ${\nENV a=${\nUSER ${\nWORKDIR ${\nRUN [\"\"]\n",
    ] {
        let m = model(text);
        let _ = m.summary();
        assert!(m.runs.iter().all(|r| r.stage < m.stages.len()));
    }
    let m = model("FROM a:1\nONBUILD RUN make\nONBUILD COPY --from=x / /\n");
    assert!(m.runs.is_empty() && m.edges.is_empty());
}

#[test]
fn run_command_spans_map_back_across_continuations() {
    let text = "FROM debian:12\nRUN apt-get update \\\n# a comment\n    && apt-get install -y \\\n       curl\n";
    let file = crate::syntax::parse(text);
    let model = BuildModel::new(&file, &BuildOptions::default());
    let run = model.run(1).unwrap();
    let inst = &file.instructions[1];
    let spans: Vec<&str> = run
        .commands()
        .iter()
        .map(|c| {
            let s = run.file_span(inst, c.span).unwrap();
            &text[s.start..s.end]
        })
        .collect();
    assert_eq!(spans[0], "apt-get update");
    assert!(
        spans[1].starts_with("apt-get install -y \\\n"),
        "{:?}",
        spans[1]
    );
    assert!(spans[1].ends_with("curl"), "{:?}", spans[1]);
    let curl = run.commands()[1].argv.last().unwrap();
    let s = run.file_span(inst, curl.span).unwrap();
    assert_eq!(&text[s.start..s.end], "curl");
    assert_eq!(
        crate::diagnostic::LineIndex::new(text)
            .position(text, s.start)
            .line,
        5
    );
}
