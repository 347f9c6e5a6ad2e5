//! Which stages a rule judges, and the RUNs in them.
//!
//! Two kinds of rules ask two questions:
//!
//! - **Runtime-image rules** (exposed ports, environment, installed tools,
//!   health checks) judge what ships: the target stage and every stage it is
//!   built `FROM` ([`final_chain`]) — a `FROM base` stage's ENV, EXPOSE and
//!   packages are in the final image.
//! - **Supply-chain rules** (what is downloaded and run, base images) judge
//!   every stage the target needs ([`crate::model::Stage::reachable`]): a
//!   build stage that runs an unverified script can tamper with what the
//!   final stage copies from it.

use crate::diagnostic::Span;
use crate::model::{BuildModel, RunInfo, Stage};
use crate::rules::Context;
use crate::syntax::Instruction;
use crate::syntax::shell::Command;

/// The indexes of the target stage and of the stages it is built `FROM`,
/// target first.
pub fn final_chain(model: &BuildModel) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut stage = model.final_stage();
    while let Some(s) = stage {
        if chain.contains(&s.index) {
            break;
        }
        chain.push(s.index);
        stage = model.parent(s);
    }
    chain
}

/// The stage instruction `index` belongs to (`None` before the first FROM).
pub fn stage_of(model: &BuildModel, index: usize) -> Option<&Stage> {
    let at = model.stages.partition_point(|s| s.from <= index);
    at.checked_sub(1).and_then(|i| model.stages.get(i))
}

/// A RUN and its instruction.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    pub info: &'a RunInfo,
    pub inst: &'a Instruction,
}

impl<'a> Run<'a> {
    /// The lexed commands (none for exec form or a non-POSIX shell).
    pub fn commands(&self) -> &'a [Command] {
        self.info.commands()
    }

    /// The file span of `span`, a span of the lexed script; the whole
    /// instruction when the script does not map onto the file verbatim.
    pub fn file_span(&self, span: Span) -> Span {
        self.info
            .file_span(self.inst, span)
            .unwrap_or(self.inst.span)
    }
}

/// The RUNs of the stages `keep` accepts, in order.
pub fn runs<'a>(
    cx: &'a Context<'_>,
    keep: impl Fn(usize) -> bool + 'a,
) -> impl Iterator<Item = Run<'a>> + 'a {
    cx.model
        .runs
        .iter()
        .filter(move |r| keep(r.stage))
        .filter_map(|info| {
            cx.file
                .instructions
                .get(info.instruction)
                .map(|inst| Run { info, inst })
        })
}

/// The instructions (with their indexes) of the stages `keep` accepts,
/// FROM lines excluded.
pub fn instructions<'a>(
    cx: &'a Context<'_>,
    keep: impl Fn(usize) -> bool + 'a,
) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    cx.model
        .stages
        .iter()
        .filter(move |s| keep(s.index))
        .flat_map(|s| s.instructions.iter().copied())
        .filter_map(|i| cx.file.instructions.get(i).map(|inst| (i, inst)))
}

/// The program the final image starts (its `ENTRYPOINT`, else its `CMD`;
/// the first word of a shell form), as a program name (`/usr/sbin/sshd` →
/// `sshd`).
pub fn final_program(cx: &Context<'_>, chain: &[usize]) -> Option<String> {
    let mut entrypoint = None;
    let mut cmd = None;
    for (_, inst) in instructions(cx, |s| chain.contains(&s)) {
        if inst.is("ENTRYPOINT") {
            entrypoint = Some(inst);
        } else if inst.is("CMD") {
            cmd = Some(inst);
        }
    }
    let start = entrypoint.or(cmd)?;
    let first = start.value.first()?;
    let program = if start.json {
        first.as_str()
    } else {
        first.split_whitespace().next()?
    };
    Some(program.to_string())
}

/// The program a command runs and its arguments, looking through `sudo`,
/// `env`, `nice`, `nohup`, `time`, `exec`, `command` and their options
/// (`sudo -E bash -` runs `bash` with `-`).
pub fn program(cmd: &Command) -> Option<(String, &[crate::syntax::shell::Word])> {
    let mut rest = cmd.argv.as_slice();
    loop {
        let (first, tail) = rest.split_first()?;
        let name = crate::syntax::shell::program_name(&first.value);
        match name.as_str() {
            "sudo" | "doas" | "env" | "nice" | "nohup" | "time" | "exec" | "command" | "gosu"
            | "su-exec" => {
                // Skip the wrapper's options (and `VAR=value` for env; the
                // user argument of gosu/su-exec).
                let mut t = tail;
                if matches!(name.as_str(), "gosu" | "su-exec") {
                    t = t.get(1..).unwrap_or_default();
                }
                while let Some((w, more)) = t.split_first() {
                    let v = w.value.as_str();
                    let takes_value = matches!(v, "-u" | "-g" | "-n" | "-C" | "-h" | "-p");
                    if v.starts_with('-') || (name == "env" && v.contains('=')) {
                        t = if takes_value {
                            more.get(1..).unwrap_or_default()
                        } else {
                            more
                        };
                    } else {
                        break;
                    }
                }
                rest = t;
            }
            _ => return Some((name, tail)),
        }
    }
}
