//! The walk that builds a [`BuildModel`], following BuildKit's
//! `dockerfile2llb` (`buildMetaArgs`, `buildDispatchStates`, `toCommand`,
//! `dispatchArg`, `dispatchEnv`, `dispatchWorkdir`, …).

use std::collections::{BTreeSet, HashMap};

use super::run::{self, RunContext};
use super::*;
use crate::syntax::Instruction;
use crate::syntax::expand::{Env, Lexer, Platform};

/// The variables of a scope as an expansion [`Env`]: the shared log plus
/// the scope's name → entry index.
struct Lookup<'a> {
    log: &'a [VarEntry],
    index: &'a HashMap<String, usize>,
}

impl Env for Lookup<'_> {
    fn lookup(&self, name: &str, _platform: Platform) -> Option<&str> {
        let &i = self.index.get(name)?;
        self.log.get(i).map(|e| e.var.value.as_str())
    }
}

/// A scope being built: its head in the log and an index for lookups.
#[derive(Debug, Clone, Default)]
struct Vars {
    head: Scope,
    index: HashMap<String, usize>,
}

impl Vars {
    fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }
}

/// Appends an assignment to the scope at `head`.
fn push(
    log: &mut Vec<VarEntry>,
    head: &mut Scope,
    name: &str,
    value: &str,
    kind: VarKind,
    instruction: Option<usize>,
) -> usize {
    let i = log.len();
    log.push(VarEntry {
        var: Var {
            name: name.to_string(),
            value: value.to_string(),
            kind,
            instruction,
        },
        prev: head.0,
    });
    *head = Scope(Some(i));
    i
}

/// Appends an assignment to `vars` (BuildKit's `AddOrReplace`).
fn set(
    log: &mut Vec<VarEntry>,
    vars: &mut Vars,
    name: &str,
    value: &str,
    kind: VarKind,
    instruction: Option<usize>,
) {
    let i = push(log, &mut vars.head, name, value, kind, instruction);
    vars.index.insert(name.to_string(), i);
}

/// The lookup index of the scope at `head`, rebuilt by walking its chain.
fn reindex(log: &[VarEntry], head: Scope) -> HashMap<String, usize> {
    let mut index = HashMap::new();
    let mut next = head.0;
    while let Some(i) = next {
        let Some(e) = log.get(i) else { break };
        index.entry(e.var.name.clone()).or_insert(i);
        next = e.prev.filter(|&p| p < i);
    }
    index
}

fn get<'a>(log: &'a [VarEntry], vars: &Vars, name: &str) -> Option<&'a str> {
    let &i = vars.index.get(name)?;
    log.get(i).map(|e| e.var.value.as_str())
}

/// What a stage carries to the next instruction and to child stages.
#[derive(Debug, Clone, Default)]
struct State {
    /// ARG values and ENVs: what expansion and RUN see.
    vars: Vars,
    /// ENVs only: the image config (never looked up, so not indexed).
    image_env: Scope,
    user: Option<Resolved>,
    workdir: Option<Resolved>,
    shell: Option<ShellSetting>,
}

impl State {
    /// The state of a stage built on scratch or an image: BuildKit makes
    /// sure PATH is set (the image's own ENV is unknown here).
    fn fresh(log: &mut Vec<VarEntry>, options: &BuildOptions) -> State {
        let mut state = State::default();
        let platform = options
            .target_platform
            .as_deref()
            .unwrap_or(&options.build_platform);
        if !platform.starts_with("windows") {
            set(
                log,
                &mut state.vars,
                "PATH",
                DEFAULT_PATH,
                VarKind::Env,
                None,
            );
            push(
                log,
                &mut state.image_env,
                "PATH",
                DEFAULT_PATH,
                VarKind::Env,
                None,
            );
        }
        state
    }
}

/// A `--from` waiting for every stage name to be known.
struct PendingRef {
    stage: usize,
    instruction: usize,
    kind: EdgeKind,
    name: String,
}

struct Builder<'a> {
    file: &'a Dockerfile,
    options: &'a BuildOptions,
    lexer: Lexer,
    diagnostics: Vec<ModelDiagnostic>,
    unset_vars: Vec<UnsetVar>,
    pending: Vec<PendingRef>,
    runs: Vec<RunInfo>,
    log: Vec<VarEntry>,
}

/// The outcome of expanding one word.
struct Expansion {
    value: String,
    unset: Vec<String>,
    error: Option<String>,
}

pub(super) fn build(file: &Dockerfile, options: &BuildOptions) -> BuildModel {
    let mut b = Builder {
        file,
        options,
        lexer: Lexer::new(file.escape_token),
        diagnostics: Vec::new(),
        unset_vars: Vec::new(),
        pending: Vec::new(),
        runs: Vec::new(),
        log: Vec::new(),
    };

    // Split into the preamble and the stages.
    let mut preamble = Vec::new();
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, inst) in file.instructions.iter().enumerate() {
        if inst.is("FROM") {
            groups.push((i, Vec::new()));
        } else if let Some((_, rest)) = groups.last_mut() {
            rest.push(i);
        } else {
            preamble.push(i);
        }
    }

    // BuildKit's TARGETSTAGE: the --target, else the last stage's name.
    let target_name = match &options.target {
        Some(t) => t.clone(),
        None => groups
            .last()
            .and_then(|(from, _)| file.instructions.get(*from))
            .and_then(stage_name)
            .unwrap_or_default(),
    };
    let mut globals = default_args(&mut b.log, options, &target_name);
    let mut declared_globals: BTreeSet<String> = BTreeSet::new();
    let mut global_args = Vec::new();
    for &i in &preamble {
        let Some(inst) = file.instructions.get(i) else {
            continue;
        };
        if !inst.is("ARG") {
            continue;
        }
        for (name, default) in arg_words(inst) {
            let (value, source) = if let Some(v) = options.build_args.get(&name) {
                (Some(v.clone()), ArgSource::BuildArg)
            } else if let Some(d) = &default {
                let e = b.expand(d, &globals, inst, "ARG");
                (Some(e.value), ArgSource::Default)
            } else {
                (None, ArgSource::Unset)
            };
            if let Some(v) = &value {
                set(&mut b.log, &mut globals, &name, v, VarKind::Arg, Some(i));
            }
            declared_globals.insert(name.clone());
            global_args.push(ArgDecl {
                instruction: i,
                name,
                default,
                value,
                source,
            });
        }
    }

    let mut stages: Vec<Stage> = Vec::new();
    // Each stage's final state, without its lookup index: only the index of
    // the previous stage is kept, so a `FROM <previous stage>` (the usual
    // chain) moves it; another child rebuilds it from the chain. This keeps
    // long stage chains linear.
    let mut finals: Vec<State> = Vec::new();
    let mut last_index: Option<HashMap<String, usize>> = None;
    // Stage name → the latest stage with it.
    let mut names: HashMap<String, usize> = HashMap::new();
    for (index, (from, rest)) in groups.into_iter().enumerate() {
        let Some(inst) = file.instructions.get(from) else {
            continue;
        };
        let mut stage = b.new_stage(index, from, inst, &names, &globals, &declared_globals);
        if let Some(n) = &stage.name {
            names.insert(n.clone(), index);
        }
        stage.instructions = rest;
        let parent = stage.base_stage.and_then(|p| finals.get(p).map(|s| (p, s)));
        let mut state = match parent {
            Some((p, parent)) => {
                let mut state = parent.clone();
                state.vars.index = match last_index.take() {
                    Some(index) if p + 1 == finals.len() => index,
                    _ => reindex(&b.log, state.vars.head),
                };
                state
            }
            None => State::fresh(&mut b.log, options),
        };
        for &i in &stage.instructions.clone() {
            if let Some(inst) = file.instructions.get(i) {
                b.dispatch(&mut stage, &mut state, &globals, i, inst);
            }
        }
        stage.env = state.image_env;
        stage.vars = state.vars.head;
        stage.user = state.user.clone();
        stage.workdir = state.workdir.clone();
        stage.shell = state.shell.clone();
        stages.push(stage);
        last_index = Some(std::mem::take(&mut state.vars.index));
        finals.push(state);
    }

    let (edges, external_images) = b.resolve_refs(&stages, &names);

    let target = match &options.target {
        Some(name) => {
            let lower = name.to_ascii_lowercase();
            let found = stages
                .iter()
                .rev()
                .find(|s| s.name.as_deref() == Some(lower.as_str()))
                .map(|s| s.index);
            if found.is_none() {
                b.diagnostics.push(ModelDiagnostic {
                    kind: DiagnosticKind::UnknownTarget,
                    message: format!(
                        "target stage `{name}` could not be found; using the last stage"
                    ),
                    span: Span::default(),
                    line: 0,
                });
            }
            found.or(stages.len().checked_sub(1))
        }
        None => stages.len().checked_sub(1),
    };
    if let Some(t) = target {
        mark_reachable(&mut stages, &edges, t);
    }

    BuildModel {
        stages,
        preamble,
        global_args,
        global_vars: globals.head,
        vars: b.log,
        edges,
        external_images,
        target,
        runs: b.runs,
        diagnostics: b.diagnostics,
        unset_vars: b.unset_vars,
    }
}

/// BuildKit's `defaultArgs`: the platform ARGs and TARGETSTAGE, each
/// overridable by a build arg.
fn default_args(log: &mut Vec<VarEntry>, options: &BuildOptions, target: &str) -> Vars {
    let build = options.build_platform.as_str();
    let tgt = options.target_platform.as_deref().unwrap_or(build);
    let part = |p: &str, i: usize| p.split('/').nth(i).unwrap_or_default().to_string();
    let pairs = [
        ("BUILDPLATFORM", build.to_string()),
        ("BUILDOS", part(build, 0)),
        ("BUILDOSVERSION", String::new()),
        ("BUILDARCH", part(build, 1)),
        ("BUILDVARIANT", part(build, 2)),
        ("TARGETPLATFORM", tgt.to_string()),
        ("TARGETOS", part(tgt, 0)),
        ("TARGETOSVERSION", String::new()),
        ("TARGETARCH", part(tgt, 1)),
        ("TARGETVARIANT", part(tgt, 2)),
        ("TARGETSTAGE", target.to_string()),
    ];
    let mut vars = Vars::default();
    for (k, v) in pairs {
        let v = options.build_args.get(k).cloned().unwrap_or(v);
        set(log, &mut vars, k, &v, VarKind::Arg, None);
    }
    vars
}

/// The `AS name` of a FROM, lower-cased.
fn stage_name(inst: &Instruction) -> Option<String> {
    match inst.value.as_slice() {
        [_, as_kw, name] if as_kw.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
        _ => None,
    }
}

/// `ARG a=1 b` → `[("a", Some("1")), ("b", None)]` (BuildKit's `parseArg`:
/// split at the first `=`; the default is expanded later).
fn arg_words(inst: &Instruction) -> Vec<(String, Option<String>)> {
    inst.value
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (w.clone(), None),
        })
        .collect()
}

/// A path made absolute against `current` and cleaned, like Go's
/// `path.Join("/", current, wd)` (BuildKit's `NormalizeWorkdir`).
fn normalize_workdir(current: &str, wd: &str) -> String {
    let joined = if wd.starts_with('/') {
        wd.to_string()
    } else {
        format!("{current}/{wd}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Go's `strconv.Atoi` accepts an optional sign and decimal digits.
fn parse_index(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

fn is_valid_stage_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

fn mark_reachable(stages: &mut [Stage], edges: &[Edge], target: usize) {
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); stages.len()];
    for e in edges {
        if let (EdgeSource::Stage(t), Some(d)) = (&e.source, deps.get_mut(e.stage)) {
            d.push(*t);
        }
    }
    let mut todo = vec![target];
    while let Some(s) = todo.pop() {
        let Some(stage) = stages.get_mut(s) else {
            continue;
        };
        if stage.reachable {
            continue;
        }
        stage.reachable = true;
        todo.extend(stage.base_stage);
        if let Some(d) = deps.get(s) {
            todo.extend(d);
        }
    }
}

impl Builder<'_> {
    fn diag(&mut self, kind: DiagnosticKind, inst: &Instruction, span: Span, message: String) {
        self.diagnostics.push(ModelDiagnostic {
            kind,
            message,
            span,
            line: inst.start_line,
        });
    }

    /// Expands `word`; a failure is recorded and the raw word kept.
    fn expand(&mut self, word: &str, env: &Vars, inst: &Instruction, what: &str) -> Expansion {
        let lookup = Lookup {
            log: &self.log,
            index: &env.index,
        };
        match self.lexer.process_word(word, &lookup) {
            Ok(e) => Expansion {
                value: e.value,
                unset: e.unmatched.into_iter().collect(),
                error: None,
            },
            Err(err) => {
                let message = format!("{what}: {err}");
                self.diag(
                    DiagnosticKind::ExpansionError,
                    inst,
                    inst.args_span,
                    message.clone(),
                );
                Expansion {
                    value: word.to_string(),
                    unset: err.unmatched.iter().cloned().collect(),
                    error: Some(err.to_string()),
                }
            }
        }
    }

    /// Expands without recording a diagnostic (the caller words it).
    fn expand_quiet(&self, word: &str, env: &Vars) -> Expansion {
        let lookup = Lookup {
            log: &self.log,
            index: &env.index,
        };
        match self.lexer.process_word(word, &lookup) {
            Ok(e) => Expansion {
                value: e.value,
                unset: e.unmatched.into_iter().collect(),
                error: None,
            },
            Err(err) => Expansion {
                value: word.to_string(),
                unset: err.unmatched.iter().cloned().collect(),
                error: Some(err.to_string()),
            },
        }
    }

    fn new_stage(
        &mut self,
        index: usize,
        from: usize,
        inst: &Instruction,
        earlier: &HashMap<String, usize>,
        globals: &Vars,
        declared: &BTreeSet<String>,
    ) -> Stage {
        let base = inst.value.first().cloned().unwrap_or_default();
        let base_span = inst.value_spans.first().copied().unwrap_or(inst.args_span);
        let name = stage_name(inst);

        // The base, expanded with the global scope.
        let e = self.expand_quiet(&base, globals);
        let undefined: Vec<&String> = e
            .unset
            .iter()
            .filter(|v| !declared.contains(*v) && !globals.has(v))
            .collect();
        for v in &undefined {
            self.diag(
                DiagnosticKind::UndefinedArgInFrom,
                inst,
                base_span,
                format!(
                    "FROM argument `{v}` is not declared by a global ARG (before the first FROM)"
                ),
            );
        }
        let mut kind;
        let mut base_stage = None;
        if let Some(err) = &e.error {
            kind = BaseKind::Unresolved;
            self.diag(
                DiagnosticKind::UnresolvedBase,
                inst,
                base_span,
                format!("cannot resolve the base `{base}`: {err}"),
            );
        } else if e.value.is_empty() {
            kind = BaseKind::Unresolved;
            self.diag(
                DiagnosticKind::UnresolvedBase,
                inst,
                base_span,
                format!("base name ({base}) should not be blank"),
            );
        } else {
            // BuildKit looks the expanded name up as written among the
            // (lower-cased) names of earlier stages.
            base_stage = earlier.get(&e.value).copied();
            kind = if base_stage.is_some() {
                BaseKind::Stage
            } else if e.value == "scratch" {
                BaseKind::Scratch
            } else {
                BaseKind::Image
            };
        }
        let base_image = ImageRef::parse(&e.value);
        if kind == BaseKind::Image
            && let Err(why) = base_image.validate()
        {
            kind = BaseKind::Invalid;
            let lower = e.value.to_ascii_lowercase();
            let hint = if earlier.contains_key(&lower) {
                format!(" (stage names are matched as written: use `{lower}`)")
            } else {
                String::new()
            };
            self.diag(
                DiagnosticKind::InvalidBaseReference,
                inst,
                base_span,
                format!("`{}` is not a valid image reference: {why}{hint}", e.value),
            );
        }

        let platform = inst.flag("platform").map(|raw| {
            let p = self.expand_quiet(raw, globals);
            if p.error.is_some() || p.value.is_empty() {
                self.diag(
                    DiagnosticKind::UnresolvedBase,
                    inst,
                    inst.span,
                    format!("cannot resolve the platform `{raw}`"),
                );
            }
            for v in p.unset.iter().filter(|v| !declared.contains(*v) && !globals.has(v)) {
                self.diag(
                    DiagnosticKind::UndefinedArgInFrom,
                    inst,
                    inst.span,
                    format!("FROM argument `{v}` is not declared by a global ARG (before the first FROM)"),
                );
            }
            Resolved {
                instruction: from,
                raw: raw.to_string(),
                value: p.value,
                unset: p.unset,
                error: p.error,
            }
        });

        if let Some(n) = &name {
            let span = inst.value_spans.get(2).copied().unwrap_or(inst.span);
            if !is_valid_stage_name(n) {
                self.diag(
                    DiagnosticKind::InvalidStageName,
                    inst,
                    span,
                    format!("invalid name for build stage: `{n}`, name can't start with a number or contain symbols"),
                );
            }
            if n == "scratch" || n == "context" {
                self.diag(
                    DiagnosticKind::ReservedStageName,
                    inst,
                    span,
                    format!("`{n}` is reserved and should not be used as a stage name"),
                );
            }
            if earlier.contains_key(n) {
                self.diag(
                    DiagnosticKind::DuplicateStageName,
                    inst,
                    span,
                    format!("duplicate stage name `{n}`, stage names should be unique"),
                );
            }
        }

        Stage {
            index,
            name,
            base,
            base_span,
            base_resolved: e.value,
            base_kind: kind,
            base_image,
            base_stage,
            base_unset: e.unset,
            platform,
            from,
            line: inst.start_line,
            instructions: Vec::new(),
            reachable: false,
            args: Vec::new(),
            env: Scope::default(),
            vars: Scope::default(),
            user: None,
            workdir: None,
            shell: None,
            users: Vec::new(),
            workdirs: Vec::new(),
            runs: Vec::new(),
        }
    }

    fn resolved(&mut self, inst: &Instruction, i: usize, raw: &str, env: &Vars) -> Resolved {
        let what = inst.cmd.to_ascii_uppercase();
        let e = self.expand(raw, env, inst, &what);
        Resolved {
            instruction: i,
            raw: raw.to_string(),
            value: e.value,
            unset: e.unset,
            error: e.error,
        }
    }

    /// Records the variables instruction `i` used that nothing defines: not
    /// set (ARG with a value, ENV) and not declared by an `ARG` of the stage
    /// before it; BuildKit's own build-time variables are skipped.
    fn note_unset(
        &mut self,
        stage: &Stage,
        state: &State,
        globals: &Vars,
        i: usize,
        mut names: Vec<String>,
    ) {
        names.sort();
        names.dedup();
        for name in names {
            let declared = stage.args.iter().any(|a| a.name == name);
            let builtin =
                NON_ENV_ARGS.contains(&name.as_str()) || PROXY_ARGS.contains(&name.as_str());
            if declared || state.vars.has(&name) || builtin {
                continue;
            }
            let known = state.vars.index.keys().chain(globals.index.keys());
            let suggestion = closest(&name, known.map(String::as_str));
            self.unset_vars.push(UnsetVar {
                instruction: i,
                stage: stage.index,
                name,
                suggestion,
            });
        }
    }

    fn dispatch(
        &mut self,
        stage: &mut Stage,
        state: &mut State,
        globals: &Vars,
        i: usize,
        inst: &Instruction,
    ) {
        let cmd = inst.cmd.to_ascii_uppercase();
        // What BuildKit expands in the instructions that are not dispatched
        // below: only checked for undefined variables.
        if matches!(
            cmd.as_str(),
            "COPY" | "ADD" | "LABEL" | "EXPOSE" | "VOLUME" | "STOPSIGNAL"
        ) {
            let flags = ["chown", "chmod"]
                .into_iter()
                .filter_map(|f| inst.flag(f).map(str::to_string));
            let words: Vec<String> = inst
                .value
                .iter()
                .filter(|w| inst.heredocs.is_empty() || !w.starts_with("<<"))
                .cloned()
                .chain(flags)
                .collect();
            let mut unset = Vec::new();
            for w in &words {
                unset.extend(self.expand_quiet(w, &state.vars).unset);
            }
            self.note_unset(stage, state, globals, i, unset);
        }
        match cmd.as_str() {
            "ARG" => {
                for (name, default) in arg_words(inst) {
                    let (value, source) = if let Some(v) = self.options.build_args.get(&name) {
                        (Some(v.clone()), ArgSource::BuildArg)
                    } else if let Some(d) = &default {
                        let e = self.expand(d, &state.vars, inst, "ARG");
                        self.note_unset(stage, state, globals, i, e.unset);
                        (Some(e.value), ArgSource::Default)
                    } else if let Some(g) = get(&self.log, globals, &name) {
                        (Some(g.to_string()), ArgSource::Global)
                    } else {
                        (None, ArgSource::Unset)
                    };
                    if let Some(v) = &value {
                        set(
                            &mut self.log,
                            &mut state.vars,
                            &name,
                            v,
                            VarKind::Arg,
                            Some(i),
                        );
                    }
                    stage.args.push(ArgDecl {
                        instruction: i,
                        name,
                        default,
                        value,
                        source,
                    });
                }
            }
            "ENV" => {
                // Every pair is expanded with the variables before the
                // instruction (`ENV a=1 b=$a` gives b the old a).
                let mut pairs = Vec::new();
                let mut unset = Vec::new();
                for triple in inst.value.chunks(3) {
                    let [key, value, ..] = triple else { continue };
                    let k = self.expand(key, &state.vars, inst, "ENV");
                    let v = self.expand(value, &state.vars, inst, "ENV");
                    unset.extend(k.unset);
                    unset.extend(v.unset);
                    pairs.push((k.value, v.value));
                }
                self.note_unset(stage, state, globals, i, unset);
                for (k, v) in pairs {
                    set(
                        &mut self.log,
                        &mut state.vars,
                        &k,
                        &v,
                        VarKind::Env,
                        Some(i),
                    );
                    push(
                        &mut self.log,
                        &mut state.image_env,
                        &k,
                        &v,
                        VarKind::Env,
                        Some(i),
                    );
                }
            }
            "USER" => {
                let raw = inst.value.first().cloned().unwrap_or_default();
                let r = self.resolved(inst, i, &raw, &state.vars);
                self.note_unset(stage, state, globals, i, r.unset.clone());
                stage.users.push(r.clone());
                state.user = Some(r);
            }
            "WORKDIR" => {
                let raw = inst.value.first().cloned().unwrap_or_default();
                let mut r = self.resolved(inst, i, &raw, &state.vars);
                self.note_unset(stage, state, globals, i, r.unset.clone());
                let current = state.workdir.as_ref().map_or("/", |w| w.value.as_str());
                r.value = normalize_workdir(current, &r.value);
                stage.workdirs.push(r.clone());
                state.workdir = Some(r);
            }
            "SHELL" if inst.json => {
                state.shell = Some(ShellSetting {
                    instruction: i,
                    argv: inst.value.clone(),
                });
            }
            "COPY" => {
                if let Some(from) = inst.flag("from") {
                    // BuildKit: "variable expansion is not supported for --from".
                    let plain = self.lexer.process_word(from, &[] as &[(&str, &str)]);
                    if plain.is_ok_and(|e| e.value == from) {
                        self.pending.push(PendingRef {
                            stage: stage.index,
                            instruction: i,
                            kind: EdgeKind::CopyFrom,
                            name: from.to_string(),
                        });
                    } else {
                        self.diag(
                            DiagnosticKind::VariableInFrom,
                            inst,
                            inst.span,
                            format!("variable expansion is not supported for --from (`{from}`); define a stage with FROM using a global ARG instead"),
                        );
                        self.pending.push(PendingRef {
                            stage: stage.index,
                            instruction: i,
                            kind: EdgeKind::CopyFrom,
                            name: String::new(),
                        });
                    }
                }
            }
            "RUN" => self.dispatch_run(stage, state, i, inst),
            _ => {}
        }
    }

    fn dispatch_run(&mut self, stage: &mut Stage, state: &State, i: usize, inst: &Instruction) {
        let lookup = Lookup {
            log: &self.log,
            index: &state.vars.index,
        };
        let lexer = &self.lexer;
        let expand = |w: &str| {
            lexer
                .process_word(w, &lookup)
                .map_or_else(|_| w.to_string(), |e| e.value)
        };
        let mounts: Vec<Mount> = inst
            .flags
            .iter()
            .filter_map(|f| f.strip_prefix("--mount="))
            .map(|m| Mount::parse(m, &expand))
            .collect();
        for m in &mounts {
            if let Some(from) = m.source_stage_or_image() {
                self.pending.push(PendingRef {
                    stage: stage.index,
                    instruction: i,
                    kind: EdgeKind::MountFrom,
                    name: from.to_string(),
                });
            }
        }
        // Proxy build args reach every RUN without a declaration (chained
        // on top of the stage's scope, which stays as it is).
        let mut env = state.vars.head;
        for p in PROXY_ARGS {
            if let Some(v) = self.options.build_args.get(p)
                && !state.vars.has(p)
            {
                let mut scope = Vars {
                    head: env,
                    index: HashMap::new(),
                };
                set(&mut self.log, &mut scope, p, v, VarKind::Arg, None);
                env = scope.head;
            }
        }
        let shell = state.shell.as_ref().map_or(&[][..], |s| s.argv.as_slice());
        let info = run::analyse(
            inst,
            RunContext {
                instruction: i,
                stage: stage.index,
                shell,
                env,
                user: state.user.as_ref().map(|u| u.value.clone()),
                workdir: state.workdir.as_ref().map(|w| w.value.clone()),
                mounts,
            },
        );
        stage.runs.push(self.runs.len());
        self.runs.push(info);
    }

    /// Turns the `--from` references into edges once all stages are known
    /// (BuildKit's `toCommand`/`detectRunMount` look names up among all
    /// stages; dispatch then fails for a stage that is not built yet).
    fn resolve_refs(
        &mut self,
        stages: &[Stage],
        names: &HashMap<String, usize>,
    ) -> (Vec<Edge>, Vec<ExternalImage>) {
        let mut edges: Vec<Edge> = stages
            .iter()
            .filter_map(|s| {
                s.base_stage.map(|b| Edge {
                    stage: s.index,
                    kind: EdgeKind::From,
                    source: EdgeSource::Stage(b),
                    instruction: s.from,
                })
            })
            .collect();
        let mut images = Vec::new();
        let file = self.file;
        for r in std::mem::take(&mut self.pending) {
            let Some(inst) = file.instructions.get(r.instruction) else {
                continue;
            };
            let flag = match r.kind {
                EdgeKind::CopyFrom => "--from",
                _ => "--mount from",
            };
            let source = if r.name.is_empty() {
                EdgeSource::Invalid(inst.flag("from").unwrap_or_default().to_string())
            } else if let Some(idx) = parse_index(&r.name).filter(|_| r.kind == EdgeKind::CopyFrom)
            {
                match usize::try_from(idx).ok().filter(|&x| x < stages.len()) {
                    Some(x) => EdgeSource::Stage(x),
                    None => {
                        self.diag(
                            DiagnosticKind::InvalidStageIndex,
                            inst,
                            inst.span,
                            format!(
                                "invalid stage index {idx} in {flag}: the file has {} stages",
                                stages.len()
                            ),
                        );
                        EdgeSource::Invalid(r.name.clone())
                    }
                }
            } else {
                let lower = r.name.to_ascii_lowercase();
                match names.get(&lower) {
                    Some(&s) => EdgeSource::Stage(s),
                    None => {
                        if !r.name.contains(['/', ':', '@', '.']) {
                            self.diag(
                                DiagnosticKind::UnknownStage,
                                inst,
                                inst.span,
                                format!(
                                    "no stage named `{}` in {flag}: BuildKit will use the image `{}`",
                                    r.name,
                                    ImageRef::parse(&r.name).normalized()
                                ),
                            );
                        }
                        images.push(ExternalImage {
                            reference: r.name.clone(),
                            image: ImageRef::parse(&r.name),
                            kind: r.kind,
                            stage: r.stage,
                            instruction: r.instruction,
                        });
                        EdgeSource::Image(r.name.clone())
                    }
                }
            };
            if let EdgeSource::Stage(t) = source
                && t >= r.stage
            {
                let message = if t == r.stage {
                    format!(
                        "{flag}={}: a stage cannot use itself (circular dependency)",
                        r.name
                    )
                } else {
                    format!(
                        "{flag}={}: stage {t} needs to be defined before the current stage {}",
                        r.name, r.stage
                    )
                };
                self.diag(DiagnosticKind::StageNotYetDefined, inst, inst.span, message);
            }
            edges.push(Edge {
                stage: r.stage,
                kind: r.kind,
                source,
                instruction: r.instruction,
            });
        }
        edges.sort_by_key(|e| (e.instruction, e.kind == EdgeKind::MountFrom));
        (edges, images)
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn workdir_normalization() {
        assert_eq!(normalize_workdir("/", "a"), "/a");
        assert_eq!(normalize_workdir("/a", "b/../c/./d/"), "/a/c/d");
        assert_eq!(normalize_workdir("/a", "/x//y"), "/x/y");
        assert_eq!(normalize_workdir("/", "../.."), "/");
    }

    #[test]
    fn indexes_and_names() {
        assert_eq!(parse_index("0"), Some(0));
        assert_eq!(parse_index("-1"), Some(-1));
        assert_eq!(parse_index("1a"), None);
        assert_eq!(parse_index(""), None);
        assert!(is_valid_stage_name("build-1.x_y"));
        assert!(!is_valid_stage_name("1st"));
        assert!(!is_valid_stage_name("a$b"));
    }
}

/// Build-time variables BuildKit never reports as undefined (its
/// `nonEnvArgs`).
const NON_ENV_ARGS: &[&str] = &[
    "SOURCE_DATE_EPOCH",
    "BUILDKIT_SBOM_SCAN_CONTEXT",
    "BUILDKIT_SBOM_SCAN_STAGE",
];

/// The name in `known` closest to `name`, when it is one typo away: one
/// character added, dropped, changed, or two neighbours swapped (`PAHT` for
/// `PATH`), ignoring case. Names shorter than 3 characters get none.
fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<String> {
    if name.chars().count() < 3 {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    known
        .filter(|k| *k != name && is_name(k))
        .filter(|k| typo_distance(&lower, &k.to_ascii_lowercase()) <= 1)
        .min()
        .map(str::to_string)
}

/// Whether `name` is a variable name a `$` reference can reach
/// (`[A-Za-z_][A-Za-z0-9_]*`).
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Edit distance with adjacent transpositions (optimal string alignment),
/// in characters; names longer than 64 characters are never close.
fn typo_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let width = b.len().saturating_add(1);
    // d[i][j], row by row: the distance between a[..i] and b[..j].
    let mut d = vec![0usize; a.len().saturating_add(1).saturating_mul(width)];
    let at = |i: usize, j: usize| i.saturating_mul(width).saturating_add(j);
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            let value = if i == 0 || j == 0 {
                i.max(j)
            } else {
                let get = |i: usize, j: usize| d.get(at(i, j)).copied().unwrap_or(usize::MAX);
                let (ca, cb) = (a.get(i - 1), b.get(j - 1));
                let mut v = get(i - 1, j - 1).saturating_add(usize::from(ca != cb));
                v = v.min(get(i - 1, j).saturating_add(1));
                v = v.min(get(i, j - 1).saturating_add(1));
                if i > 1 && j > 1 && ca == b.get(j - 2) && a.get(i - 2) == cb {
                    v = v.min(get(i - 2, j - 2).saturating_add(1));
                }
                v
            };
            if let Some(cell) = d.get_mut(at(i, j)) {
                *cell = value;
            }
        }
    }
    d.get(at(a.len(), b.len())).copied().unwrap_or(usize::MAX)
}

#[cfg(test)]
mod typo_tests {
    use super::{closest, typo_distance};

    #[test]
    fn one_typo_away() {
        assert_eq!(typo_distance("paht", "path"), 1);
        assert_eq!(typo_distance("verison", "version"), 1);
        assert_eq!(typo_distance("gopath", "path"), 2);
        assert_eq!(typo_distance("", "ab"), 2);
        let known = ["PATH", "VERSION", "HOME"];
        assert_eq!(closest("PAHT", known.into_iter()), Some("PATH".to_string()));
        assert_eq!(closest("GOPATH", known.into_iter()), None);
        assert_eq!(closest("PATH", known.into_iter()), None);
        assert_eq!(closest("HO", known.into_iter()), None);
    }
}
