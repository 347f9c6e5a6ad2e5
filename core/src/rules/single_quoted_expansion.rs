use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{program, runs};
use crate::rules::word_parts::{Kind, Quote, parts};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::{Command, Word};

/// `'$VAR'`: single quotes keep the expansion literal.
#[derive(Debug)]
pub struct SingleQuotedExpansion;

static META: RuleMeta = RuleMeta {
    id: "DD203",
    name: "single-quoted-expansion",
    severity: Severity::Info,
    category: Category::Reliability,
    aliases: &["SC2016"],
    summary: "`$VAR` or `$(…)` inside single quotes is not expanded",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags single-quoted text in a `RUN` command that looks like an expansion \
        (`'$HOME'`, `'${V}'`, `'$(cmd)'`, backticks). Not flagged: arguments of programs \
        that expand such text themselves or run it as code later (`awk`, `perl`, `jq`, \
        `sh -c`/`bash -c`, `eval`, `trap`, `ssh`, `sudo`, `docker`, …), where single \
        quotes are the right thing.",
    why_it_matters: "Inside single quotes the shell expands nothing: the program receives \
        the dollar sign and the name as text. When that is not what was meant, the image \
        gets a literal `$HOME` in a config file or a path. Use double quotes to expand, or \
        keep single quotes when the text is meant for another program, and silence this \
        with a pragma. Severity info (ShellCheck SC2016).",
    bad_example: "FROM alpine:3.20\nRUN echo 'export PATH=$HOME/bin:$PATH' >> /etc/profile\n",
    good_example: "FROM alpine:3.20\nRUN echo \"export PATH=$HOME/bin:\\$PATH\" >> /etc/profile && awk '{ print $1 }' /etc/passwd\n",
    references: &[
        "https://www.shellcheck.net/wiki/SC2016",
        "https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_02_02",
    ],
};

/// Programs that take single-quoted code or templates on purpose.
const EXEMPT: &[&str] = &[
    "awk",
    "gawk",
    "mawk",
    "nawk",
    "busybox",
    "perl",
    "jq",
    "sh",
    "bash",
    "dash",
    "ash",
    "zsh",
    "ksh",
    "eval",
    "trap",
    "ssh",
    "sudo",
    "doas",
    "su-exec",
    "docker",
    "podman",
    "oc",
    "alias",
    "xprop",
    "dpkg-query",
    "rename",
    "rg",
    "unset",
];

impl Rule for SingleQuotedExpansion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            for cmd in run.shell_commands() {
                if program(cmd).is_some_and(|p| EXEMPT.contains(&p)) {
                    continue;
                }
                let sed = program(cmd) == Some("sed");
                for word in words(cmd) {
                    // `find … -exec sh -c '…'`, `xargs awk '…'`: code for a
                    // program named earlier on the line.
                    if cmd
                        .argv
                        .iter()
                        .take_while(|w| w.span.start < word.span.start)
                        .skip(1)
                        .any(|w| EXEMPT.contains(&w.value.rsplit('/').next().unwrap_or_default()))
                    {
                        break;
                    }
                    let Some(part) = parts(&word.raw).into_iter().find(|p| {
                        p.kind == Kind::Text
                            && p.quote == Quote::Single
                            && looks_expanded(p.text, sed)
                    }) else {
                        continue;
                    };
                    let message = format!(
                        "`'{}'` is in single quotes, so the shell does not expand it: use double \
                         quotes if it should be expanded.",
                        short(part.text)
                    );
                    out.push(cx.finding(&META, run.locate(part.span_in(word.span)), message));
                }
            }
        }
    }
}

/// The command's arguments, assignment values and redirection targets.
fn words(cmd: &Command) -> impl Iterator<Item = &Word> {
    cmd.assignments
        .iter()
        .map(|a| &a.value)
        .chain(cmd.argv.iter().skip(1))
        .chain(cmd.redirects.iter().filter_map(|r| r.target.as_ref()))
}

/// `$name`, `${name`, `$(`, `$1` or a pair of backticks. In a `sed` script
/// `$` followed by one letter is the last-line address (`$d`, `$a text`).
fn looks_expanded(text: &str, sed: bool) -> bool {
    let b = text.as_bytes();
    let name = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
    let dollar = (0..b.len()).any(|i| {
        b.get(i) == Some(&b'$')
            && match b.get(i + 1) {
                Some(b'(') => true,
                Some(b'{') => name(b.get(i + 2)) || matches!(b.get(i + 2), Some(b'#' | b'!')),
                Some(c) if c.is_ascii_alphanumeric() || *c == b'_' => {
                    !(sed && c.is_ascii_alphabetic() && !name(b.get(i + 2)))
                }
                _ => false,
            }
    });
    dollar || (!sed && b.iter().filter(|c| **c == b'`').count() >= 2)
}

fn short(text: &str) -> String {
    if text.chars().count() <= 40 {
        text.to_string()
    } else {
        let head: String = text.chars().take(37).collect();
        format!("{head}…")
    }
}
