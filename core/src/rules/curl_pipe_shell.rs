use crate::diagnostic::{Finding, Severity, Span};
use crate::rules::scope::{self, program};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::{Command, Word};

/// A downloaded script run straight from the network.
#[derive(Debug)]
pub struct CurlPipeShell;

static META: RuleMeta = RuleMeta {
    id: "DD102",
    name: "remote-script-piped-to-shell",
    severity: Severity::High,
    category: Category::SupplyChain,
    aliases: &[],
    summary: "A script downloaded with curl or wget is run without verification",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `RUN` that pipes `curl` or `wget` output into a shell or \
        interpreter (`curl -fsSL … | sh`, `wget -qO- … | sudo bash -`, `… | python3 -`), \
        or runs a download through command or process substitution \
        (`sh -c \"$(curl …)\"`, `bash <(curl …)`). `… | python3 -c '…'` and \
        `… | python -m json.tool` only read the download as data and are not flagged. \
        Every stage the target needs is judged: a build stage can tamper with what the final \
        stage copies from it.",
    why_it_matters: "The script runs as root with whatever the server sends that minute: a \
        compromised site, CDN or DNS record, or a changed script, silently changes the \
        image. A pipe also hides a truncated download, which a shell may half-run. Download \
        to a file, check it against a pinned checksum (or signature), then run it — or use \
        a package from a signed repository.",
    bad_example: "FROM debian:12-slim\nRUN curl -fsSL https://example.com/install.sh | sh\n",
    good_example: "FROM debian:12-slim\nRUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\\n && echo \"4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b  /tmp/install.sh\" | sha256sum -c - \\\n && sh /tmp/install.sh\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#add-or-copy",
        "https://www.seancassidy.me/dont-pipe-to-your-shell.html",
        "https://cwe.mitre.org/data/definitions/494.html",
    ],
};

const DOWNLOADERS: &[&str] = &["curl", "wget"];

impl Rule for CurlPipeShell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let reachable = |s: usize| cx.model.stages.get(s).is_some_and(|st| st.reachable);
        for run in scope::runs(cx, reachable) {
            let commands = run.commands();
            for (k, cmd) in commands.iter().enumerate() {
                let Some((name, args)) = program(cmd) else {
                    continue;
                };
                if !is_interpreter(&name) {
                    continue;
                }
                // `sh -c "$(curl …)"`, `bash <(curl …)`.
                let substituted = args.iter().any(|w| {
                    DOWNLOADERS.iter().any(|d| {
                        ["$(", "`", "<("]
                            .iter()
                            .any(|open| w.raw.contains(&format!("{open}{d} ")))
                    })
                });
                if substituted {
                    let message = format!(
                        "`{name}` runs a script fetched by a command substitution, unverified. \
                         Download it to a file, check its pinned SHA-256, then run it."
                    );
                    out.push(cx.finding(&META, run.file_span(cmd.span), message));
                    continue;
                }
                if cmd.pipeline.index == 0 || !reads_script_from_stdin(&name, args) {
                    continue;
                }
                if let Some(source) = downloader_before(commands, k) {
                    let url = program(source)
                        .and_then(|(_, a)| a.iter().find(|w| is_url(w)))
                        .map(|w| format!(" from `{}`", w.value))
                        .unwrap_or_default();
                    let dl = program(source).map(|(n, _)| n).unwrap_or_default();
                    let span = run.file_span(Span::new(source.span.start, cmd.span.end));
                    let message = format!(
                        "`{dl} … | {name}` runs a script downloaded{url} without verifying it. \
                         Download it to a file, check its pinned SHA-256 (`sha256sum -c`), then \
                         run it."
                    );
                    out.push(cx.finding(&META, span, message));
                }
            }
        }
    }
}

fn is_url(w: &Word) -> bool {
    let v = w.value.to_ascii_lowercase();
    v.starts_with("http://") || v.starts_with("https://") || v.starts_with("ftp://")
}

fn is_interpreter(name: &str) -> bool {
    is_shell(name)
        || matches!(
            name,
            "python" | "python2" | "python3" | "perl" | "ruby" | "node" | "php"
        )
        || name.starts_with("python3.")
}

fn is_shell(name: &str) -> bool {
    matches!(
        name,
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "busybox"
    )
}

/// Whether `name args…` executes what it reads on standard input (no
/// `-c`/`-e` program text, no script file operand).
fn reads_script_from_stdin(name: &str, args: &[Word]) -> bool {
    for w in args {
        let v = w.value.as_str();
        if v == "-" || v == "--" || v == "-s" {
            return true;
        }
        if let Some(flags) = v.strip_prefix('-') {
            let program_text = if is_shell(name) {
                // `-c` (also clustered: `-ec`); `-e` is errexit for shells.
                !flags.starts_with('-') && flags.contains('c')
            } else {
                matches!(
                    v,
                    "-c" | "-e" | "-E" | "-m" | "-r" | "-p" | "--eval" | "--print"
                )
            };
            if program_text {
                return false;
            }
            continue;
        }
        // A script file operand: the download is its input, not its code.
        return false;
    }
    true
}

/// The `curl`/`wget` command earlier in the pipeline of `commands[k]`.
fn downloader_before(commands: &[Command], k: usize) -> Option<&Command> {
    let cmd = commands.get(k)?;
    let mut index = cmd.pipeline.index;
    for prev in commands.get(..k)?.iter().rev() {
        if prev.parent != cmd.parent || prev.substitution_depth != cmd.substitution_depth {
            continue;
        }
        if prev.pipeline.len != cmd.pipeline.len || prev.pipeline.index >= index {
            return None;
        }
        index = prev.pipeline.index;
        if program(prev).is_some_and(|(n, _)| DOWNLOADERS.contains(&n.as_str())) {
            return Some(prev);
        }
        if index == 0 {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    fn found(text: &str) -> Vec<String> {
        check::spans("DD102", text)
    }

    #[test]
    fn pipes_into_shells_and_interpreters() {
        assert_eq!(
            found(
                "FROM a:1\nRUN apt-get update && curl -fsSL https://x.io/i.sh | sudo -E bash - && echo ok\n"
            ),
            ["curl -fsSL https://x.io/i.sh | sudo -E bash -"]
        );
        assert_eq!(
            found("FROM a:1\nRUN wget -qO- https://x.io/get \\\n  | sh -s -- -y\n"),
            ["wget -qO- https://x.io/get \\\n  | sh -s -- -y"]
        );
        assert_eq!(
            found("FROM a:1\nRUN curl -sSL https://install.python-poetry.org | python3 -\n").len(),
            1
        );
        assert_eq!(
            found("FROM a:1\nRUN sh -c \"$(curl -fsSL https://x.io/i.sh)\"\n").len(),
            1
        );
        assert_eq!(
            found("FROM a:1\nRUN bash <(curl -s https://x.io/i.sh)\n").len(),
            1
        );
        assert_eq!(
            found("FROM a:1\nRUN curl -s https://x.io/i.sh | tee /tmp/log | bash\n").len(),
            1
        );
    }

    #[test]
    fn data_pipes_and_verified_downloads_are_fine() {
        for text in [
            "FROM a:1\nRUN curl -s https://api.x.io/v | python3 -c 'import sys,json; print(json.load(sys.stdin))'\n",
            "FROM a:1\nRUN curl -s https://api.x.io/v | python -m json.tool\n",
            "FROM a:1\nRUN curl -fsSL https://x.io/a.tgz | tar -xz -C /opt\n",
            "FROM a:1\nRUN curl -fsSL https://x.io/key | gpg --dearmor -o /k.gpg\n",
            "FROM a:1\nRUN curl -fsSLo i.sh https://x.io/i.sh && sha256sum -c sums && sh i.sh\n",
            "FROM a:1\nRUN echo hi | sh\n",
            "FROM a:1\nRUN curl -s https://x.io | bash -c 'cat > /tmp/x'\n",
            "FROM a:1 AS unused\nRUN curl https://x.io | sh\nFROM b:1\n",
        ] {
            assert_eq!(found(text), [] as [String; 0], "{text}");
        }
    }
}
