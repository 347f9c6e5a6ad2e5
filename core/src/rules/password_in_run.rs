use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::has_option_in;
use crate::rules::scope::{self, final_chain, program};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::{Command, Word};

/// An account password set (or removed) while building the image.
#[derive(Debug)]
pub struct PasswordInRun;

static META: RuleMeta = RuleMeta {
    id: "DD117",
    name: "password-set-in-run",
    severity: Severity::Medium,
    category: Category::Security,
    aliases: &["CKV2_DOCKER_17"],
    summary: "A `RUN` sets or removes an account password",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags, in the final image's stages (the target and the stages it is \
        built `FROM`), commands that set or remove a login password: `chpasswd`, \
        `passwd --stdin`, `passwd -d`, and `useradd`/`usermod` with `-p`/`--password`.",
    why_it_matters: "A password set at build time is the same in every container made from \
        the image, and its hash ships in `/etc/shadow` to everyone who pulls it, where it \
        can be cracked offline; the plain text is usually in the Dockerfile and the image \
        history too (`echo 'root:secret' | chpasswd`). A removed password (`passwd -d`) \
        lets anyone log in. Containers need no login passwords: run as a `USER`, use \
        `docker exec` to get in, and inject credentials a service really needs at run \
        time.",
    bad_example: "FROM debian:12-slim\nRUN useradd -m app && echo 'app:changeme' | chpasswd\nUSER app\n",
    good_example: "FROM debian:12-slim\nRUN useradd -m app\nUSER app\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#user",
        "https://manpages.debian.org/bookworm/passwd/chpasswd.8.en.html",
        "https://cwe.mitre.org/data/definitions/798.html",
    ],
};

static CHPASSWD: &[&str] = &["CKV2_DOCKER_17"];
static OTHER: &[&str] = &[];

impl Rule for PasswordInRun {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let chain = final_chain(cx.model);
        for run in scope::runs(cx, |s| chain.contains(&s)) {
            for cmd in run.commands() {
                let Some((aliases, what)) = sets_password(cmd) else {
                    continue;
                };
                let message = format!(
                    "{what} in a build step: every container of the image shares it, and it \
                     ships in `/etc/shadow`. Containers need no login passwords; inject \
                     credentials at run time."
                );
                out.push(cx.finding_for(&META, aliases, run.file_span(cmd.span), message));
            }
        }
    }
}

/// Whether `cmd` sets or removes a password, with the peer ids it answers
/// for and what it does.
fn sets_password(cmd: &Command) -> Option<(&'static [&'static str], &'static str)> {
    let (name, args) = program(cmd)?;
    match name.as_str() {
        "chpasswd" => Some((CHPASSWD, "`chpasswd` sets a password")),
        "passwd" if has_option_in(args, &["stdin"], &[]) => {
            Some((OTHER, "`passwd --stdin` sets a password"))
        }
        "passwd" if has_option_in(args, &["delete"], &['d']) => Some((
            OTHER,
            "`passwd -d` removes a password, so the account needs none",
        )),
        "useradd" | "usermod" if password_option(args).is_some_and(sets) => {
            Some((OTHER, "`-p`/`--password` sets a password"))
        }
        _ => None,
    }
}

/// The value of `-p`/`--password` (`-p value`, `--password value`,
/// `--password=value`).
fn password_option(args: &[Word]) -> Option<&str> {
    args.iter().enumerate().find_map(|(i, w)| {
        let v = w.value.as_str();
        if let Some(value) = v.strip_prefix("--password=") {
            return Some(value);
        }
        (v == "-p" || v == "--password")
            .then(|| args.get(i.saturating_add(1)).map(|n| n.value.as_str()))
            .flatten()
    })
}

/// Whether a `-p` hash sets a usable (or empty) password: `*` and `!…`
/// lock the account instead.
fn sets(hash: &str) -> bool {
    hash != "*" && !hash.starts_with('!')
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    fn found(text: &str) -> Vec<String> {
        check::spans("DD117", text)
    }

    #[test]
    fn passwords_set_or_removed() {
        assert_eq!(
            found("FROM a:1\nRUN echo 'root:root' | chpasswd\n"),
            ["chpasswd"]
        );
        assert_eq!(
            found("FROM a:1\nRUN echo \"$PW\" | sudo /usr/sbin/chpasswd -e\n").len(),
            1
        );
        assert_eq!(
            found("FROM a:1\nRUN echo secret | passwd --stdin app\n").len(),
            1
        );
        assert_eq!(found("FROM a:1\nRUN passwd -d root\n").len(), 1);
        assert_eq!(
            found("FROM a:1\nRUN useradd -m -p \"$(openssl passwd -1 pw)\" app\n").len(),
            1
        );
        // Inherited by the final stage.
        assert_eq!(
            found("FROM a:1 AS base\nRUN echo 'u:p' | chpasswd\nFROM base\n").len(),
            1
        );
        assert_eq!(
            check::aliases("DD117", "FROM a:1\nRUN echo 'root:root' | chpasswd\n"),
            ["CKV2_DOCKER_17"]
        );
        assert_eq!(
            check::aliases("DD117", "FROM a:1\nRUN passwd -d root\n"),
            [] as [&str; 0]
        );
    }

    #[test]
    fn no_password() {
        for text in [
            "FROM a:1\nRUN useradd -m -s /bin/bash app\n",
            "FROM a:1\nRUN passwd -l root\n",
            "FROM a:1\nRUN useradd -r -m -p '*' git && usermod -p '!' app\n",
            "FROM a:1\nRUN apt-get install -y passwd\n",
            "FROM a:1\nRUN echo chpasswd\n",
            // A build stage the final image does not come from.
            "FROM a:1 AS build\nRUN echo 'u:p' | chpasswd\nFROM b:1\nCOPY --from=build /out /out\n",
        ] {
            assert_eq!(found(text), [] as [String; 0], "{text}");
        }
    }
}
