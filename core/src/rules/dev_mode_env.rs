use crate::diagnostic::{Finding, Severity, Span};
use crate::model::VarKind;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// The shipped image is configured for development or debugging.
#[derive(Debug)]
pub struct DevModeEnv;

static META: RuleMeta = RuleMeta {
    id: "DD107",
    name: "dev-mode-environment",
    severity: Severity::Medium,
    category: Category::Security,
    aliases: &[],
    summary: "The final image sets a development or debug environment",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Looks at the `ENV` the final image ends up with (the final stage's and \
        those of the stages it is built `FROM`; a later `ENV` overriding an earlier one \
        counts, an `ARG` does not persist and is ignored) and flags development modes: \
        `NODE_ENV`, `RAILS_ENV`, `RACK_ENV`, `APP_ENV`, `FLASK_ENV`, `MIX_ENV`, \
        `ASPNETCORE_ENVIRONMENT`, `DOTNET_ENVIRONMENT` set to `development`/`dev`/`local`, \
        `SPRING_PROFILES_ACTIVE` naming `dev`, `GIN_MODE=debug`, `XDEBUG_MODE` with \
        `debug`, and debug switches `DEBUG`, `FLASK_DEBUG`, `DJANGO_DEBUG`, `APP_DEBUG` \
        turned on (`1`, `true`, `yes`, `on`, or a `*` pattern for Node's `debug`).",
    why_it_matters: "Development modes show stack traces, configuration and sometimes an \
        interactive debugger to whoever triggers an error (Werkzeug's debugger runs Python \
        code), disable caching and security defaults, and log verbosely — secrets \
        included. Frameworks also run slower. Set production values in the image and \
        switch to development only in a dev compose file or build target.",
    bad_example: "FROM node:22-slim\nENV NODE_ENV=development\nUSER node\n",
    good_example: "FROM node:22-slim AS dev\nENV NODE_ENV=development\nFROM node:22-slim\nENV NODE_ENV=production\nUSER node\n",
    references: &[
        "https://nodejs.org/en/learn/getting-started/nodejs-the-difference-between-development-and-production",
        "https://flask.palletsprojects.com/en/stable/debugging/",
        "https://docs.docker.com/build/building/multi-stage/#stop-at-a-specific-build-stage",
    ],
};

impl Rule for DevModeEnv {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(last) = cx.model.final_stage() else {
            return;
        };
        for var in cx.model.visible(last.env) {
            if var.kind != VarKind::Env {
                continue;
            }
            let Some(why) = dev_setting(&var.name, &var.value) else {
                continue;
            };
            let Some(inst) = var.instruction.and_then(|i| cx.file.instructions.get(i)) else {
                continue;
            };
            // The `KEY=value` pair in its ENV (the last one of that name).
            let span = inst
                .value
                .chunks(3)
                .zip(inst.value_spans.chunks(3))
                .rfind(|(t, _)| t.first() == Some(&var.name))
                .and_then(|(_, s)| Some(Span::new(s.first()?.start, s.get(1)?.end)))
                .unwrap_or(inst.span);
            let message = format!(
                "The image runs with `{}={}`: {why}. Set the production value in the image and \
                 use development settings only in a dev build target or compose file.",
                var.name, var.value
            );
            out.push(cx.finding(&META, span, message));
        }
    }
}

/// Why `name=value` is a development setting, if it is one.
fn dev_setting(name: &str, value: &str) -> Option<&'static str> {
    let v = value.trim().to_ascii_lowercase();
    let upper = name.to_ascii_uppercase();
    let truthy = matches!(v.as_str(), "1" | "true" | "yes" | "on");
    match upper.as_str() {
        "NODE_ENV"
        | "RAILS_ENV"
        | "RACK_ENV"
        | "APP_ENV"
        | "FLASK_ENV"
        | "MIX_ENV"
        | "ASPNETCORE_ENVIRONMENT"
        | "DOTNET_ENVIRONMENT"
            if matches!(v.as_str(), "development" | "dev" | "local") =>
        {
            Some("development mode shows internals in errors and turns off production defaults")
        }
        "SPRING_PROFILES_ACTIVE"
            if v.split(',')
                .any(|p| matches!(p.trim(), "dev" | "development" | "local")) =>
        {
            Some("a development profile is active")
        }
        "GIN_MODE" if v == "debug" => Some("Gin's debug mode logs every route and request"),
        "XDEBUG_MODE"
            if v.split(',')
                .any(|m| matches!(m.trim(), "debug" | "develop")) =>
        {
            Some("Xdebug accepts remote debugging sessions")
        }
        "DEBUG" if truthy || v.contains('*') => {
            Some("debug output is on and may log secrets and internals")
        }
        "FLASK_DEBUG" | "DJANGO_DEBUG" | "APP_DEBUG" if truthy => {
            Some("the framework's debug mode shows internals (Flask's debugger runs code)")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    fn found(text: &str) -> Vec<String> {
        check::spans("DD107", text)
    }

    #[test]
    fn dev_settings_in_the_final_image() {
        assert_eq!(
            found("FROM a:1\nENV NODE_ENV=development\nENV DEBUG=*\n"),
            ["NODE_ENV=development", "DEBUG=*"]
        );
        assert_eq!(
            found("FROM a:1 AS base\nENV FLASK_DEBUG=1 X=2\nFROM base\n"),
            ["FLASK_DEBUG=1"]
        );
        assert_eq!(
            found("FROM a:1\nENV RAILS_ENV development\n"),
            ["RAILS_ENV development"]
        );
        assert_eq!(
            found("FROM a:1\nENV SPRING_PROFILES_ACTIVE=docker,dev\n").len(),
            1
        );
    }

    #[test]
    fn production_overrides_args_and_build_stages() {
        for text in [
            "FROM a:1\nENV NODE_ENV=development\nRUN npm ci\nENV NODE_ENV=production\n",
            "FROM a:1\nARG NODE_ENV=development\n",
            "FROM a:1 AS build\nENV DEBUG=1\nFROM b:1\n",
            "FROM a:1\nENV DEBUG=false FLASK_DEBUG=0 APP_ENV=production DEBUG_PORT=1\n",
        ] {
            assert_eq!(found(text), [] as [String; 0], "{text}");
        }
    }
}
