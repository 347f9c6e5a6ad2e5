use crate::diagnostic::{Finding, Severity, Span};
use crate::model::{BaseKind, BuildModel};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A variable used before any ARG or ENV defines it.
#[derive(Debug)]
pub struct UndefinedVariable;

static META: RuleMeta = RuleMeta {
    id: "DD061",
    name: "undefined-variable",
    severity: Severity::Medium,
    category: Category::Reliability,
    aliases: &["UndefinedVar"],
    summary: "Variable used before any `ARG` or `ENV` defines it",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `$VAR` in an instruction Docker expands itself (`ENV`, `ARG` \
        defaults, `LABEL`, `USER`, `WORKDIR`, `COPY`/`ADD` and their `--chown`/`--chmod`, \
        `EXPOSE`, `VOLUME`, `STOPSIGNAL`) that no `ARG` or `ENV` before it defines, in the \
        stages the target needs. The base image's own `ENV` is not known without pulling \
        it, so in a stage built on an image the rule reports only likely typos (one typo \
        away from a defined variable: `$PAHT` next to `PATH`); on `scratch` every undefined \
        variable. `${VAR:-default}` and the other forms with a value for the unset case \
        are not flagged. Shell-form `RUN`, `CMD` and \
        `ENTRYPOINT` are left to the shell, as BuildKit's `UndefinedVar` does.",
    why_it_matters: "An undefined variable expands to an empty string without an error: \
        `ENV PATH=$PAHT:/app/bin` silently drops the system `PATH`, `COPY app $DEST` copies \
        to the working directory. Severity medium: the build succeeds and the image is \
        wrong.",
    bad_example: "FROM alpine:3.20\nENV PATH=$PAHT:/app/bin\n",
    good_example: "FROM alpine:3.20\nENV PATH=$PATH:/app/bin\n",
    references: &[
        "https://docs.docker.com/reference/build-checks/undefined-var/",
        "https://docs.docker.com/reference/dockerfile/#environment-replacement",
    ],
};

impl Rule for UndefinedVariable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for unset in &cx.model.unset_vars {
            let Some(stage) = cx.model.stages.get(unset.stage) else {
                continue;
            };
            if !stage.reachable {
                continue;
            }
            // An ARG of another stage: its scope ended with that stage.
            let elsewhere = cx
                .model
                .stages
                .iter()
                .filter(|s| s.index != unset.stage)
                .flat_map(|s| &s.args)
                .chain(&cx.model.global_args)
                .find(|a| a.name == unset.name)
                .and_then(|a| cx.file.instructions.get(a.instruction));
            let hint = match (&unset.suggestion, elsewhere) {
                (_, Some(arg)) => format!(
                    " The `ARG {}` on line {} belongs to another stage (or is global): declare \
                     it again in this stage.",
                    unset.name, arg.start_line
                ),
                (Some(s), None) => format!(" Did you mean `${s}`?"),
                // On an image, the variable may come from the image's ENV.
                (None, None) if !env_is_known(cx.model, unset.stage) => continue,
                (None, None) => " Define it with `ARG` or `ENV` first.".to_string(),
            };
            let Some(inst) = cx.file.instructions.get(unset.instruction) else {
                continue;
            };
            let found = reference_span(cx.text, inst.span, &unset.name);
            // `${NAME:-default}` and the like handle the unset case.
            if found.is_some_and(|(_, handled)| handled) {
                continue;
            }
            let span = found.map_or(inst.span, |(span, _)| span);
            let message = format!(
                "`${}` is not defined by any `ARG` or `ENV` before this line, so it expands to \
                 an empty string.{hint}",
                unset.name
            );
            out.push(cx.finding(&META, span, message));
        }
    }
}

/// Whether every variable of `stage` comes from this Dockerfile: it is
/// built on `scratch`, directly or through earlier stages.
fn env_is_known(model: &BuildModel, mut stage: usize) -> bool {
    // Stages only build on earlier ones; the bound is for safety.
    for _ in 0..=model.stages.len() {
        let Some(s) = model.stages.get(stage) else {
            return false;
        };
        match (s.base_kind, s.base_stage) {
            (BaseKind::Scratch, _) => return true,
            (BaseKind::Stage, Some(parent)) if parent < stage => stage = parent,
            _ => return false,
        }
    }
    false
}

/// The span of the first `$name` or `${name…}` in `within`, and whether
/// it gives a value for the unset case (`${name:-x}`, `${name+x}`, …).
fn reference_span(text: &str, within: Span, name: &str) -> Option<(Span, bool)> {
    let args = text.get(within.start..within.end)?;
    let mut from = 0;
    while let Some(at) = args.get(from..)?.find('$') {
        let start = from.saturating_add(at);
        let rest = args.get(start.saturating_add(1)..)?;
        let (braced, body) = match rest.strip_prefix('{') {
            Some(b) => (true, b),
            None => (false, rest),
        };
        let ident_end = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        if body.get(..ident_end) == Some(name) {
            let len = match body.find('}') {
                Some(close) if braced => close.saturating_add(3),
                _ => 1 + usize::from(braced) + name.len(),
            };
            let operator = body.get(ident_end..).unwrap_or_default();
            let handled = braced
                && [":-", "-", ":+", "+", ":=", "=", ":?", "?"]
                    .iter()
                    .any(|op| operator.starts_with(op));
            let begin = within.start.saturating_add(start);
            let span = Span {
                start: begin,
                end: begin.saturating_add(len).min(within.end),
            };
            return Some((span, handled));
        }
        from = start.saturating_add(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::check::{lines_and_spans, spans};

    #[test]
    fn typos_on_images_everything_on_scratch() {
        let text =
            "FROM alpine:3.20\nARG VERSION=1\nCOPY app-$VERISON /app\nCOPY x $JAVA_HOME/lib/\n";
        // JAVA_HOME may come from the image; VERISON is a typo of VERSION.
        assert_eq!(
            lines_and_spans("DD061", text),
            [(3, "$VERISON".to_string())]
        );
        let text = "FROM scratch\nCOPY --chown=${APP_UID} x ${DEST}\n";
        assert_eq!(spans("DD061", text), ["${APP_UID}", "${DEST}"]);
    }

    #[test]
    fn declared_arguments_and_earlier_envs_count() {
        // ENV is inherited through `FROM <stage>`.
        let text = "FROM scratch AS base\nENV A=1\nFROM base\nCOPY x $B/$A\nLABEL v=${A:-0}\n";
        assert_eq!(spans("DD061", text), ["$B"]);
        assert!(spans("DD061", "FROM scratch\nARG X\nCOPY $X /x\n").is_empty());
        // Unused stages are not built.
        assert!(spans("DD061", "FROM scratch AS a\nCOPY $X /x\nFROM scratch\n").is_empty());
    }

    #[test]
    fn an_arg_of_another_stage_is_named() {
        let text = "ARG V=1\nFROM scratch AS a\nARG D\nFROM scratch\nCOPY --from=a /x $D$V\n";
        let a = crate::analyze(text);
        let messages: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.rule == "DD061")
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("`ARG D` on line 3"), "{}", messages[0]);
        assert!(messages[1].contains("`ARG V` on line 1"), "{}", messages[1]);
    }

    #[test]
    fn a_default_for_the_unset_case_is_not_flagged() {
        assert!(spans("DD061", "FROM scratch\nENV PUID=${PUID:-1000}\n").is_empty());
        assert!(spans("DD061", "FROM scratch\nLABEL a=${X+set} b=${X:?}\n").is_empty());
        assert_eq!(
            spans("DD061", "FROM scratch\nLABEL a=${X%.*}\n"),
            ["${X%.*}"]
        );
    }

    #[test]
    fn env_pairs_see_the_values_before_the_instruction() {
        assert_eq!(spans("DD061", "FROM scratch\nENV A=1 B=$A\n"), ["$A"]);
        assert!(spans("DD061", "FROM scratch\nENV A=1\nENV B=$A\n").is_empty());
    }
}
