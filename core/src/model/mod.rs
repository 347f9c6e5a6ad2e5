//! The build model: what `docker build` would make of a parsed Dockerfile,
//! without building anything.
//!
//! [`BuildModel::new`] walks the instructions once, the way BuildKit's
//! `dockerfile2llb` dispatches them, and records:
//!
//! - **Stages** ([`Stage`]): name (lower-cased), base as written and after
//!   expansion, its kind ([`BaseKind`]: `scratch`, an earlier stage, an
//!   image), the image reference split ([`ImageRef`]), `--platform`.
//! - **ARG scoping** exactly as Docker: global ARGs (before the first FROM)
//!   and the predefined platform ARGs ([`BuildOptions`] documents their
//!   defaults) are usable in FROM lines; inside a stage a global ARG is
//!   visible only once redeclared (`ARG NAME`); stage ARGs take their
//!   default unless a `--build-arg` overrides it; ARGs and ENVs carry over
//!   to stages built `FROM` this one.
//! - **ENV, USER, WORKDIR, SHELL** per stage, inherited through
//!   `FROM <stage>`, with each USER/WORKDIR resolved ([`Resolved`]).
//! - **The stage graph** ([`Edge`]): `FROM <stage>`, `COPY --from`,
//!   `RUN --mount=…,from=`; the images used by `COPY --from=image`; the
//!   target stage and which stages it needs ([`Stage::reachable`]).
//! - **RUNs** ([`RunInfo`]): every RUN's script lexed once
//!   ([`crate::syntax::shell::lex`]), or marked not analysable under a
//!   non-POSIX `SHELL`; its mounts and the variables it sees.
//! - **Diagnostics** ([`ModelDiagnostic`]): undefined stages and ARGs,
//!   unresolvable bases, duplicate names — data, not rule findings.
//!
//! What the model cannot know is left open rather than guessed: the base
//! image's own ENV, USER and WORKDIR (`None` means "whatever the base image
//! says").
//!
//! **Invariant:** [`BuildModel::new`] never fails and never panics; an
//! expansion error or an unknown reference becomes a diagnostic and the raw
//! text is kept.

mod build;
pub mod image;
pub mod mount;
pub mod run;
mod summary;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::Span;
use crate::syntax::Dockerfile;

pub use image::ImageRef;
pub use mount::{Mount, MountType};
pub use run::{RunForm, RunInfo, ShellKind};
pub use summary::{ModelSummary, StageSummary};

/// What `docker build` is told besides the Dockerfile.
///
/// Defaults: no build args, the last stage as target, and both the build
/// and the target platform `linux/amd64`. The predefined ARGs follow:
/// `BUILDPLATFORM=linux/amd64`, `BUILDOS=linux`, `BUILDARCH=amd64`,
/// `BUILDVARIANT=`, `BUILDOSVERSION=`, the same five `TARGET*` ones, and
/// `TARGETSTAGE` (the target's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildOptions {
    /// `--build-arg NAME=value`.
    pub build_args: BTreeMap<String, String>,
    /// `--target NAME`.
    pub target: Option<String>,
    /// The platform of the builder (`os/arch[/variant]`).
    pub build_platform: String,
    /// `--platform`; the build platform when `None`.
    pub target_platform: Option<String>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            build_args: BTreeMap::new(),
            target: None,
            build_platform: DEFAULT_PLATFORM.to_string(),
            target_platform: None,
        }
    }
}

/// The platform assumed when none is given.
pub const DEFAULT_PLATFORM: &str = "linux/amd64";

/// The PATH BuildKit sets when the base image has none (Linux); the model
/// assumes it for every stage on scratch or an image.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Build args BuildKit passes to every RUN without an `ARG` declaration.
pub const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

impl BuildOptions {
    /// Adds `--build-arg name=value`.
    #[must_use]
    pub fn with_build_arg(mut self, name: &str, value: &str) -> Self {
        self.build_args.insert(name.to_string(), value.to_string());
        self
    }

    /// Sets `--target`.
    #[must_use]
    pub fn with_target(mut self, target: &str) -> Self {
        self.target = Some(target.to_string());
        self
    }

    /// Sets `--platform`.
    #[must_use]
    pub fn with_target_platform(mut self, platform: &str) -> Self {
        self.target_platform = Some(platform.to_string());
        self
    }
}

/// Where a variable comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VarKind {
    /// `ENV`: persisted in the image.
    Env,
    /// `ARG` (or a predefined/proxy build arg): build time only.
    Arg,
}

/// A variable with its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Var {
    pub name: String,
    pub value: String,
    pub kind: VarKind,
    /// The instruction that set it (`None`: predefined or `--build-arg`).
    pub instruction: Option<usize>,
}

/// The variables visible at one point of the build: a position in
/// [`BuildModel::vars`], read with [`BuildModel::var`] and
/// [`BuildModel::visible`]. Scopes share their history, so recording one per
/// RUN costs nothing however many variables there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Scope(pub Option<usize>);

/// One assignment in [`BuildModel::vars`], linked to the assignment before
/// it in the same scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VarEntry {
    #[serde(flatten)]
    pub var: Var,
    pub prev: Option<usize>,
}

/// Where an `ARG`'s value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArgSource {
    /// A `--build-arg`.
    BuildArg,
    /// The default written in the `ARG`.
    Default,
    /// `ARG NAME` in a stage taking the global (or predefined) value.
    Global,
    /// No value: the variable stays unset.
    Unset,
}

/// One name declared by an `ARG` instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArgDecl {
    pub instruction: usize,
    pub name: String,
    /// The default as written (`ARG NAME=default`).
    pub default: Option<String>,
    /// The value in effect after the instruction (`None`: unset).
    pub value: Option<String>,
    pub source: ArgSource,
}

/// A value written in the Dockerfile and what it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    /// The instruction it was written in (possibly in a parent stage).
    pub instruction: usize,
    /// As written.
    pub raw: String,
    /// After variable expansion (and, for WORKDIR, made absolute); the raw
    /// text when expansion failed.
    pub value: String,
    /// Variables referenced but unset (they expanded to nothing).
    pub unset: Vec<String>,
    /// The expansion error, if any.
    pub error: Option<String>,
}

/// A `SHELL` instruction in effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShellSetting {
    pub instruction: usize,
    pub argv: Vec<String>,
}

/// What a stage is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BaseKind {
    /// `FROM scratch`.
    Scratch,
    /// An earlier stage ([`Stage::base_stage`]).
    Stage,
    /// An external image ([`Stage::base_image`]).
    Image,
    /// Expansion failed or gave an empty name; `base_image` is of the raw text.
    Unresolved,
    /// Not a valid image reference after expansion (`FROM Build`, `node:`).
    Invalid,
}

/// One build stage: a `FROM` and the instructions up to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    /// Index of the stage, counting from 0.
    pub index: usize,
    /// The `AS name`, lower-cased as BuildKit compares it.
    pub name: Option<String>,
    /// The base as written (`golang:1.21-alpine`, `builder`, `${BASE}`).
    pub base: String,
    /// Where `base` is in the text.
    pub base_span: Span,
    /// The base after expanding global ARGs (`base` when that failed).
    pub base_resolved: String,
    pub base_kind: BaseKind,
    /// `base_resolved` split into its parts (meaningful for
    /// [`BaseKind::Image`]).
    pub base_image: ImageRef,
    /// Index of the stage this one builds on, if `FROM` names an earlier stage.
    pub base_stage: Option<usize>,
    /// Variables the base referenced that were unset.
    pub base_unset: Vec<String>,
    /// `--platform`, resolved.
    pub platform: Option<Resolved>,
    /// Index into [`Dockerfile::instructions`] of the `FROM`.
    pub from: usize,
    /// 1-based line of the `FROM`.
    pub line: usize,
    /// Indexes of this stage's instructions after the `FROM`.
    pub instructions: Vec<usize>,
    /// Needed to build the target (the target itself included).
    pub reachable: bool,
    /// This stage's own `ARG` declarations.
    pub args: Vec<ArgDecl>,
    /// The ENV the image has after the stage (parent stages' included; the
    /// base image's own ENV is unknown but PATH).
    pub env: Scope,
    /// Every variable visible at the end of the stage (ARGs with a value and
    /// ENVs).
    pub vars: Scope,
    /// The USER in effect at the end (inherited from a parent stage too);
    /// `None`: the base image's.
    pub user: Option<Resolved>,
    /// The WORKDIR in effect at the end, absolute; `None`: the base image's.
    pub workdir: Option<Resolved>,
    /// The SHELL in effect at the end; `None`: `/bin/sh -c`.
    pub shell: Option<ShellSetting>,
    /// Each USER instruction of this stage, resolved.
    pub users: Vec<Resolved>,
    /// Each WORKDIR instruction of this stage, resolved.
    pub workdirs: Vec<Resolved>,
    /// Indexes into [`BuildModel::runs`] of this stage's RUNs.
    pub runs: Vec<usize>,
}

impl Stage {
    /// Whether the base is an external image (not scratch, not a stage).
    pub fn is_external(&self) -> bool {
        self.base_kind == BaseKind::Image
    }
}

/// How one stage uses another (or an image).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// `FROM <stage>`.
    From,
    /// `COPY --from=…`.
    CopyFrom,
    /// `RUN --mount=…,from=…`.
    MountFrom,
}

/// What an edge points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeSource {
    /// A stage of this Dockerfile.
    Stage(usize),
    /// An external image (or named build context).
    Image(String),
    /// A reference BuildKit refuses (a variable, a bad index).
    Invalid(String),
}

/// An edge of the stage graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// The stage that depends.
    pub stage: usize,
    pub kind: EdgeKind,
    pub source: EdgeSource,
    /// The instruction that makes the edge.
    pub instruction: usize,
}

/// An image used by `COPY --from` or a mount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalImage {
    pub reference: String,
    pub image: ImageRef,
    pub kind: EdgeKind,
    pub stage: usize,
    pub instruction: usize,
}

/// What a model diagnostic is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticKind {
    /// A FROM uses a variable no global ARG declares (BuildKit's
    /// `UndefinedArgInFrom`).
    UndefinedArgInFrom,
    /// A FROM base or platform whose expansion failed or is empty.
    UnresolvedBase,
    /// A FROM base that is not a valid image reference.
    InvalidBaseReference,
    /// Two stages with the same name.
    DuplicateStageName,
    /// A stage name BuildKit rejects (`^[a-z][a-z0-9-_.]*$`).
    InvalidStageName,
    /// A stage named `scratch` or `context`.
    ReservedStageName,
    /// `--from=name` where no stage has that name: BuildKit pulls an image.
    UnknownStage,
    /// `--from=N` with no stage N.
    InvalidStageIndex,
    /// `--from` names this stage or a later one.
    StageNotYetDefined,
    /// `COPY --from=$VAR`: BuildKit refuses variables there.
    VariableInFrom,
    /// `--target` names no stage.
    UnknownTarget,
    /// A variable expansion failed (ARG, ENV, USER, WORKDIR).
    ExpansionError,
}

/// A problem found while building the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelDiagnostic {
    pub kind: DiagnosticKind,
    pub message: String,
    pub span: Span,
    /// 1-based line of the instruction.
    pub line: usize,
}

/// The build model of one Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildModel {
    pub stages: Vec<Stage>,
    /// Indexes of instructions before the first `FROM` (global `ARG`s, errors).
    pub preamble: Vec<usize>,
    /// The global `ARG` declarations, resolved.
    pub global_args: Vec<ArgDecl>,
    /// The variables FROM lines see: predefined ARGs and global ARGs with a
    /// value.
    pub global_vars: Scope,
    /// Every variable assignment, the store behind each [`Scope`].
    pub vars: Vec<VarEntry>,
    /// The stage graph.
    pub edges: Vec<Edge>,
    /// Images referenced by `COPY --from` and mounts.
    pub external_images: Vec<ExternalImage>,
    /// Index of the target stage (`--target`, else the last); `None` only
    /// when there are no stages.
    pub target: Option<usize>,
    /// Every RUN, in order (ONBUILD RUNs excluded: they run downstream).
    pub runs: Vec<RunInfo>,
    pub diagnostics: Vec<ModelDiagnostic>,
    /// Variables that instructions BuildKit expands (ARG defaults, ENV,
    /// LABEL, USER, WORKDIR, COPY/ADD, EXPOSE, VOLUME, STOPSIGNAL) use
    /// while no ARG or ENV before them defines them: BuildKit's
    /// `UndefinedVar` before it looks at the base image's own ENV, which
    /// is not known here.
    pub unset_vars: Vec<UnsetVar>,
}

/// One use of an undefined variable (see [`BuildModel::unset_vars`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnsetVar {
    pub instruction: usize,
    pub stage: usize,
    pub name: String,
    /// The defined variable it is closest to (a likely typo: `PAHT` for
    /// `PATH`), if any is close.
    pub suggestion: Option<String>,
}

impl BuildModel {
    /// Builds the model of `file` as `docker build` with `options` would
    /// see it. Never fails.
    pub fn new(file: &Dockerfile, options: &BuildOptions) -> BuildModel {
        build::build(file, options)
    }

    /// The stage `docker build` produces: the target.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.target.and_then(|t| self.stages.get(t))
    }

    /// The stage named `name` (case-insensitive; the last one wins, as in
    /// BuildKit).
    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        let name = name.to_ascii_lowercase();
        self.stages
            .iter()
            .rev()
            .find(|s| s.name.as_deref() == Some(name.as_str()))
    }

    /// The parent stage of `stage` (`FROM <stage>`).
    pub fn parent(&self, stage: &Stage) -> Option<&Stage> {
        stage
            .base_stage
            .filter(|&b| b < stage.index)
            .and_then(|b| self.stages.get(b))
    }

    /// The first stage of `stage`'s `FROM <stage>` chain: the one whose
    /// base is scratch or an image.
    pub fn root_stage<'a>(&'a self, stage: &'a Stage) -> &'a Stage {
        let mut s = stage;
        while let Some(p) = self.parent(s) {
            s = p;
        }
        s
    }

    /// The value of variable `name` in `scope`.
    pub fn var(&self, scope: Scope, name: &str) -> Option<&str> {
        self.chain(scope)
            .find(|v| v.name == name)
            .map(|v| v.value.as_str())
    }

    /// The variables of `scope`, one per name with its latest value, in the
    /// order they were last set.
    pub fn visible(&self, scope: Scope) -> Vec<&Var> {
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<&Var> = self
            .chain(scope)
            .filter(|v| seen.insert(v.name.as_str()))
            .collect();
        out.reverse();
        out
    }

    /// The assignments of `scope`, latest first.
    fn chain(&self, scope: Scope) -> impl Iterator<Item = &Var> {
        let mut next = scope.0;
        std::iter::from_fn(move || {
            let e = self.vars.get(next?)?;
            // Entries only link to earlier ones, so the walk ends.
            next = e.prev.filter(|&p| Some(p) < next);
            Some(&e.var)
        })
    }

    /// The RUN analysis of instruction `instruction`, if it is a RUN.
    pub fn run(&self, instruction: usize) -> Option<&RunInfo> {
        self.runs.iter().find(|r| r.instruction == instruction)
    }

    /// The edges out of stage `stage`.
    pub fn edges_of(&self, stage: usize) -> impl Iterator<Item = &Edge> {
        self.edges.iter().filter(move |e| e.stage == stage)
    }

    /// A compact view for display (stages, bases, graph, diagnostics).
    pub fn summary(&self) -> ModelSummary {
        summary::summarize(self)
    }
}
