use crate::diagnostic::{Finding, Severity, Span};
use crate::rules::scope;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::secrets::{classify_assignment, is_credential_key};
use crate::syntax::Instruction;

/// A credential handed to the build as an `ARG` (or copied into `ENV`).
#[derive(Debug)]
pub struct SecretBuildArg;

static META: RuleMeta = RuleMeta {
    id: "DD101",
    name: "secret-in-build-arg",
    severity: Severity::High,
    category: Category::Security,
    aliases: &["SecretsUsedInArgOrEnv", "DS031"],
    summary: "A credential is passed as a build argument instead of a build secret",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an `ARG` whose name is a credential's (`NPM_TOKEN`, `DB_PASSWORD`, \
        `API_KEY`; not `PASSWORD_FILE` or `GPG_KEY`), with or without a default, and an \
        `ENV` that copies a variable into a credential-named variable (`ENV TOKEN=$TOKEN`). \
        A literal secret as the default is reported by `hardcoded-secret` instead. Global \
        ARGs and the stages the target needs are judged.",
    why_it_matters: "Build arguments are not secret: the value given with `--build-arg` is \
        recorded in the image's history for every `RUN` that sees it, readable with \
        `docker history`, and lands in build logs and caches. An `ENV` copy is worse: it is \
        in the image's configuration for every container. BuildKit's secret mounts \
        (`RUN --mount=type=secret,id=npm,env=NPM_TOKEN …`) expose the value to one command \
        and store it nowhere.",
    bad_example: "FROM node:22-slim\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci\n",
    good_example: "FROM node:22-slim\nRUN --mount=type=secret,id=npm,env=NPM_TOKEN \\\n    echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc\n",
    references: &[
        "https://docs.docker.com/build/building/secrets/",
        "https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
        "https://docs.docker.com/reference/dockerfile/#run---mounttypesecret",
    ],
};

impl Rule for SecretBuildArg {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let preamble = cx
            .model
            .preamble
            .iter()
            .filter_map(|&i| cx.file.instructions.get(i));
        let staged = scope::instructions(cx, |s| {
            cx.model.stages.get(s).is_some_and(|st| st.reachable)
        })
        .map(|(_, inst)| inst);
        for inst in preamble.chain(staged) {
            if inst.is("ARG") {
                check_arg(cx, inst, out);
            } else if inst.is("ENV") {
                check_env(cx, inst, out);
            }
        }
    }
}

fn check_arg(cx: &Context<'_>, inst: &Instruction, out: &mut Vec<Finding>) {
    for (i, item) in inst.value.iter().enumerate() {
        let (name, default) = match item.split_once('=') {
            Some((n, d)) => (n, Some(d)),
            None => (item.as_str(), None),
        };
        if !is_credential_key(name) {
            continue;
        }
        // A literal secret default is `hardcoded-secret`'s.
        if default.is_some_and(|d| classify_assignment(name, d).is_some()) {
            continue;
        }
        let span = inst
            .value_spans
            .get(i)
            .map(|s| Span::new(s.start, (s.start + name.len()).min(s.end)))
            .unwrap_or(inst.span);
        let message = format!(
            "`ARG {name}` passes a credential as a build argument: its value is recorded in the \
             image history and build logs. Use a build secret instead: \
             `RUN --mount=type=secret,id={id},env={name} …` and `docker build --secret id={id},env={name}`.",
            id = name.to_ascii_lowercase().replace('_', "-"),
        );
        out.push(cx.finding(&META, span, message));
    }
}

fn check_env(cx: &Context<'_>, inst: &Instruction, out: &mut Vec<Finding>) {
    for (i, triple) in inst.value.chunks(3).enumerate() {
        let [key, value, ..] = triple else {
            continue;
        };
        if !is_credential_key(key) || !value.contains('$') {
            continue;
        }
        if classify_assignment(key, value).is_some() {
            continue;
        }
        let span = inst.value_spans.get(i * 3).copied().unwrap_or(inst.span);
        let message = format!(
            "`ENV {key}={value}` copies a credential into the image's environment, where every \
             container and `docker inspect` sees it. Read it from a build secret \
             (`RUN --mount=type=secret`) where it is needed, or inject it at run time."
        );
        out.push(cx.finding(&META, span, message));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    fn found(text: &str) -> Vec<(usize, String)> {
        check::lines_and_spans("DD101", text)
    }

    #[test]
    fn args_named_like_credentials() {
        assert_eq!(
            found("ARG GITHUB_TOKEN\nFROM a:1\nARG DB_PASSWORD=changeme VERSION=1\n"),
            [(1, "GITHUB_TOKEN".into()), (3, "DB_PASSWORD".into())]
        );
        assert_eq!(
            found("FROM a:1\nARG TOKEN\nENV API_TOKEN=${TOKEN}\n"),
            [(2, "TOKEN".into()), (3, "API_TOKEN".into())]
        );
    }

    #[test]
    fn not_credentials_or_reported_elsewhere() {
        for text in [
            "FROM a:1\nARG GPG_KEY\nARG PASSWORD_FILE\nARG TOKENIZER_PATH\nARG NODE_VERSION=22\n",
            // A literal default is hardcoded-secret's.
            "FROM a:1\nARG DB_PASSWORD=hunter22x\n",
            // Unreachable stages are not built.
            "FROM a:1 AS unused\nARG NPM_TOKEN\nFROM b:1\n",
            "FROM a:1\nENV DB_PASSWORD_FILE=$SECRETS/db\n",
        ] {
            assert_eq!(found(text), [], "{text}");
        }
    }
}
