use crate::diagnostic::{Finding, Severity};
use crate::rules::scope;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// Packages installed globally with npm, yarn or pnpm in the final image.
#[derive(Debug)]
pub struct NpmGlobalInstall;

static META: RuleMeta = RuleMeta {
    id: "DD113",
    name: "npm-global-install",
    severity: Severity::Low,
    category: Category::SupplyChain,
    aliases: &[],
    summary: "Node packages installed globally in the final image",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags `npm install -g` / `npm i --global`, `yarn global add` and \
        `pnpm add -g` in the final stage or a stage it is built `FROM`. Build stages may \
        install global build tools.",
    why_it_matters: "Global packages live outside the application's `package.json` and lock \
        file: their versions and dependencies are whatever the registry serves that day, no \
        audit of the lock file sees them, and they are often development tools (`nodemon`, \
        `pm2`, `typescript`) that have no place in the running image. Add them to \
        `package.json` (as dependencies or devDependencies) and run them with `npx` or an \
        npm script, or install them in a build stage.",
    bad_example: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm install -g pm2@5.4.2\nUSER node\nCMD [\"pm2-runtime\", \"server.js\"]\n",
    good_example: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\nCMD [\"node\", \"server.js\"]\n",
    references: &[
        "https://docs.npmjs.com/cli/v10/commands/npm-install",
        "https://docs.npmjs.com/cli/v10/commands/npm-ci",
    ],
};

impl Rule for NpmGlobalInstall {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let chain = scope::final_chain(cx.model);
        for run in scope::runs(cx, |s| chain.contains(&s)) {
            for cmd in run.commands() {
                let Some((program, args)) = scope::program(cmd) else {
                    continue;
                };
                let words: Vec<&str> = args.iter().map(|w| w.value.as_str()).collect();
                let global = match (program.as_str(), words.as_slice()) {
                    ("npm", _) => {
                        words
                            .iter()
                            .any(|w| matches!(*w, "install" | "i" | "add" | "isntall"))
                            && words
                                .iter()
                                .any(|w| matches!(*w, "-g" | "--global" | "--location=global"))
                    }
                    ("yarn", ["global", "add", ..]) => true,
                    ("pnpm", _) => {
                        words.iter().any(|w| matches!(*w, "add" | "install" | "i"))
                            && words.iter().any(|w| matches!(*w, "-g" | "--global"))
                    }
                    _ => false,
                };
                if global {
                    let message = format!(
                        "`{program}` installs packages globally in the final image, outside \
                         `package.json` and its lock file. Add them to `package.json` and run them \
                         with `npx` or an npm script, or install them in a build stage."
                    );
                    out.push(cx.finding(&META, run.file_span(cmd.span), message));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    #[test]
    fn global_installs_in_the_final_image() {
        let text = "FROM node:22\nRUN npm install -g nodemon pm2 && npm i --global tsx && yarn global add serve && pnpm add -g x && npm install express\nUSER node\n";
        assert_eq!(
            check::spans("DD113", text),
            [
                "npm install -g nodemon pm2",
                "npm i --global tsx",
                "yarn global add serve",
                "pnpm add -g x"
            ]
        );
        // A build stage may install global build tools.
        assert!(
            check::spans(
                "DD113",
                "FROM node:22 AS build\nRUN npm i -g typescript\nFROM node:22-slim\nUSER node\n"
            )
            .is_empty()
        );
    }
}
