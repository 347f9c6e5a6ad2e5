use std::collections::HashSet;

use crate::diagnostic::{Finding, Severity, Span};
use crate::rules::command_line::{DECLARATIONS, has_option_in, pip_args, setopts};
use crate::rules::scope::{self, program, stage_of};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::Instruction;
use crate::syntax::shell::{Command, Word, program_name};

/// TLS certificate verification turned off for a download tool.
#[derive(Debug)]
pub struct TlsVerificationDisabled;

static META: RuleMeta = RuleMeta {
    id: "DD115",
    name: "tls-verification-disabled",
    severity: Severity::High,
    category: Category::SupplyChain,
    aliases: &[
        "CKV2_DOCKER_2",
        "CKV2_DOCKER_3",
        "CKV2_DOCKER_4",
        "CKV2_DOCKER_5",
        "CKV2_DOCKER_6",
        "CKV2_DOCKER_12",
        "CKV2_DOCKER_13",
        "CKV2_DOCKER_14",
        "CKV2_DOCKER_15",
        "CKV2_DOCKER_16",
    ],
    summary: "TLS certificate verification is turned off",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags what turns off TLS certificate checks in the stages the target \
        needs. In `RUN`: `curl -k`/`--insecure`, `wget --no-check-certificate`, pip's \
        `--trusted-host` (and `pip config set global.trusted-host`), npm/yarn/pnpm \
        `config set strict-ssl false` or `--strict-ssl=false`/`--no-strict-ssl`, \
        `git config http.sslVerify false` and `git -c http.sslVerify=false`, \
        `--setopt=sslverify=0` for yum/dnf (and `config-manager`), apt's \
        `-o Acquire::https::Verify-Peer=false`. In `ENV`, `ARG` defaults, `export` and \
        `VAR=… command`: `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, \
        `GIT_SSL_NO_VERIFY` (any value: git only checks that it is set), \
        `PIP_TRUSTED_HOST`, `NPM_CONFIG_STRICT_SSL=false`, \
        `YARN_ENABLE_STRICT_SSL=false`.",
    why_it_matters: "Without certificate checks, HTTPS is only encryption with whoever \
        answers: a proxy, a hijacked DNS record or a rogue mirror can serve any package or \
        script and the build installs it, as root, with no error. Set in `ENV`, the switch \
        also ships, and the application trusts any server at run time. When a proxy or \
        private CA is the reason, add its certificate to the trust store \
        (`update-ca-certificates`) or point the tool at it (`--cacert`, `PIP_CERT`, \
        `NODE_EXTRA_CA_CERTS`, `http.sslCAInfo`). Severity high: it silently removes the \
        one check between the build and the network.",
    bad_example: "FROM debian:12-slim\nRUN curl -fsSLk -o /tmp/tool.tgz https://example.com/tool.tgz\n",
    good_example: "FROM debian:12-slim\nCOPY corp-ca.crt /usr/local/share/ca-certificates/\nRUN update-ca-certificates \\\n && curl -fsSL -o /tmp/tool.tgz https://example.com/tool.tgz\n",
    references: &[
        "https://curl.se/docs/sslcerts.html",
        "https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue",
        "https://peps.python.org/pep-0493/",
        "https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpsslVerify",
        "https://cwe.mitre.org/data/definitions/295.html",
    ],
};

static CURL: &[&str] = &["CKV2_DOCKER_2"];
static WGET: &[&str] = &["CKV2_DOCKER_3"];
static PIP_OPTION: &[&str] = &["CKV2_DOCKER_4"];
static PYTHON_ENV: &[&str] = &["CKV2_DOCKER_5"];
static NODE_ENV: &[&str] = &["CKV2_DOCKER_6"];
static NPM_ENV: &[&str] = &["CKV2_DOCKER_12"];
static NPM_CONFIG: &[&str] = &["CKV2_DOCKER_13"];
static GIT_ENV: &[&str] = &["CKV2_DOCKER_14"];
static YUM_SSLVERIFY: &[&str] = &["CKV2_DOCKER_15"];
static PIP_ENV: &[&str] = &["CKV2_DOCKER_16"];
static OTHER: &[&str] = &[];

/// One way of turning verification off: the peer ids it answers for and
/// what it is, for the message.
struct Hit {
    aliases: &'static [&'static str],
    what: String,
}

impl Hit {
    fn new(aliases: &'static [&'static str], what: impl Into<String>) -> Hit {
        Hit {
            aliases,
            what: what.into(),
        }
    }
}

impl Rule for TlsVerificationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let reachable = |s: usize| cx.model.stages.get(s).is_some_and(|st| st.reachable);
        for run in scope::runs(cx, reachable) {
            for cmd in run.commands() {
                for (word, hit) in command_hits(cmd) {
                    out.push(report(cx, run.file_span(word.span), &hit));
                }
            }
        }
        // ENV and ARG, as the model resolved them.
        let mut seen = HashSet::new();
        for entry in &cx.model.vars {
            let var = &entry.var;
            let Some(i) = var.instruction else {
                continue;
            };
            if !seen.insert((i, var.name.as_str()))
                || !stage_of(cx.model, i).is_some_and(|s| s.reachable)
            {
                continue;
            }
            let (Some(hit), Some(inst)) =
                (env_hit(&var.name, &var.value), cx.file.instructions.get(i))
            else {
                continue;
            };
            out.push(report(cx, key_span(inst, &var.name), &hit));
        }
    }
}

fn report(cx: &Context<'_>, span: Span, hit: &Hit) -> Finding {
    let message = format!(
        "{}: anyone on the network path can serve what the build then trusts. Add the \
         certificate you need to the trust store instead.",
        hit.what
    );
    cx.finding_for(&META, hit.aliases, span, message)
}

/// The words of `cmd` that turn verification off, with what they do.
fn command_hits(cmd: &Command) -> Vec<(&Word, Hit)> {
    let mut out = Vec::new();
    // `NAME=value cmd`, `export NAME=value`, `env NAME=value cmd`.
    for a in &cmd.assignments {
        if !a.value.has_expansion
            && let Some(hit) = env_hit(&a.name, &a.value.value)
        {
            out.push((&a.value, hit));
        }
    }
    let declares = cmd.argv.first().is_some_and(|w| {
        DECLARATIONS.contains(&w.value.as_str()) || program_name(&w.value) == "env"
    });
    if declares {
        for w in cmd.argv.get(1..).unwrap_or_default() {
            if let Some((name, value)) = w.value.split_once('=')
                && !w.has_expansion
                && let Some(hit) = env_hit(name, value)
            {
                out.push((w, hit));
            }
        }
    }
    let Some((name, args)) = program(cmd) else {
        return out;
    };
    if let Some(pip) = pip_args(&name, args) {
        out.extend(pip_hits(pip));
        return out;
    }
    let hit = match name.as_str() {
        "curl" => curl_hit(args),
        "wget" => option_word(args, &["no-check-certificate"], &[]).map(|w| {
            let what = "`wget --no-check-certificate` skips certificate checks";
            (w, Hit::new(WGET, what))
        }),
        "npm" | "yarn" | "pnpm" => strict_ssl_off(&name, args),
        "git" => git_hit(args),
        "yum" | "dnf" | "dnf5" | "tdnf" | "microdnf" | "yum-config-manager" => yum_hit(&name, args),
        "apt-get" | "apt" => apt_hit(&name, args),
        _ => None,
    };
    out.extend(hit);
    out
}

/// `curl -k`, `curl --insecure`.
fn curl_hit(args: &[Word]) -> Option<(&Word, Hit)> {
    let w = args
        .iter()
        .take_while(|w| w.value != "--")
        .find(|w| curl_insecure(&w.value))?;
    let what = format!("`curl {}` skips certificate checks", w.value);
    Some((w, Hit::new(CURL, what)))
}

/// `--setopt=sslverify=0` (or `repo.sslverify=false`) for yum/dnf.
fn yum_hit<'a>(name: &str, args: &'a [Word]) -> Option<(&'a Word, Hit)> {
    let (w, _) = setopts(args).into_iter().find(|(_, s)| sslverify_off(s))?;
    let what =
        format!("`{name} --setopt=…sslverify=0` skips certificate checks for the repositories");
    Some((w, Hit::new(YUM_SSLVERIFY, what)))
}

/// apt's `-o Acquire::https::Verify-Peer=false` (or `Verify-Host`).
fn apt_hit<'a>(name: &str, args: &'a [Word]) -> Option<(&'a Word, Hit)> {
    let w = args.iter().find(|w| {
        let v = w.value.to_ascii_lowercase();
        (v.contains("acquire::https::verify-peer") || v.contains("acquire::https::verify-host"))
            && v.rsplit_once('=').is_some_and(|(_, x)| falsy(x))
    })?;
    let what = format!(
        "`{name} -o {}` skips certificate checks for the package sources",
        w.value.trim_start_matches("-o")
    );
    Some((w, Hit::new(OTHER, what)))
}

/// Whether a curl argument is `--insecure` or a group of short options with
/// `-k` before any option that takes a value (`-fsSLk`, not `-o-k`).
fn curl_insecure(word: &str) -> bool {
    if word == "--insecure" {
        return true;
    }
    let Some(letters) = word.strip_prefix('-').filter(|l| !l.starts_with('-')) else {
        return false;
    };
    for c in letters.chars() {
        if c == 'k' {
            return true;
        }
        // Short options that take a value: the rest of the word is it.
        if "AbcCdDeEFHKmoPrtTuUwxXyYz".contains(c) {
            return false;
        }
    }
    false
}

/// The first option word among `long`/`short` (as in [`has_option_in`]).
fn option_word<'a>(args: &'a [Word], long: &[&str], short: &[char]) -> Option<&'a Word> {
    args.iter()
        .take_while(|w| w.value != "--")
        .find(|w| has_option_in(std::slice::from_ref(*w), long, short))
}

/// pip's `--trusted-host` option and `pip config set global.trusted-host`.
fn pip_hits(pip: &[Word]) -> Option<(&Word, Hit)> {
    if let Some(w) = option_word(pip, &["trusted-host"], &[]) {
        return Some((
            w,
            Hit::new(
                PIP_OPTION,
                "pip's `--trusted-host` skips certificate checks for that host",
            ),
        ));
    }
    let values: Vec<&str> = pip.iter().map(|w| w.value.as_str()).collect();
    let i = values.iter().position(|v| *v == "config")?;
    let key = pip
        .get(i.saturating_add(1)..)?
        .iter()
        .find(|w| !w.value.starts_with('-') && w.value != "set")?;
    key.value
        .to_ascii_lowercase()
        .ends_with(".trusted-host")
        .then(|| {
            (
                key,
                Hit::new(
                    OTHER,
                    format!(
                        "`pip config set {}` skips certificate checks for that host",
                        key.value
                    ),
                ),
            )
        })
}

/// npm/yarn/pnpm `config set strict-ssl false`, `--strict-ssl=false`,
/// `--no-strict-ssl`, yarn's `enableStrictSsl false`.
fn strict_ssl_off<'a>(name: &str, args: &'a [Word]) -> Option<(&'a Word, Hit)> {
    for (i, w) in args.iter().enumerate() {
        let v = w.value.as_str();
        let off = if v == "--no-strict-ssl" {
            true
        } else if let Some(x) = v.strip_prefix("--strict-ssl=") {
            falsy(x)
        } else {
            let key = v.split('=').next().unwrap_or(v);
            let is_key = key.eq_ignore_ascii_case("strict-ssl") || key == "enableStrictSsl";
            let value = match v.split_once('=') {
                Some((_, x)) => Some(x),
                None => args.get(i.saturating_add(1)).map(|n| n.value.as_str()),
            };
            // Only as `config set`/`set` arguments.
            let in_set = args
                .get(..i)
                .is_some_and(|before| before.iter().any(|b| b.value == "set"));
            is_key && in_set && value.is_some_and(falsy)
        };
        if off {
            return Some((
                w,
                Hit::new(
                    NPM_CONFIG,
                    format!("`{name} … {v}` turns off certificate checks"),
                ),
            ));
        }
    }
    None
}

/// `git config [--global] http.sslVerify false`, `git -c http.sslVerify=false`.
fn git_hit(args: &[Word]) -> Option<(&Word, Hit)> {
    let is_key = |k: &str| {
        let k = k.to_ascii_lowercase();
        k.starts_with("http.") && k.ends_with(".sslverify")
    };
    for (i, w) in args.iter().enumerate() {
        let v = w.value.as_str();
        // `-c key=value` (before the subcommand).
        if let Some((k, x)) = v.split_once('=')
            && is_key(k)
            && falsy(x)
            && args.get(i.wrapping_sub(1)).is_some_and(|p| p.value == "-c")
        {
            return Some((
                w,
                Hit::new(OTHER, format!("`git -c {v}` skips certificate checks")),
            ));
        }
        if is_key(v)
            && args
                .get(..i)
                .is_some_and(|b| b.iter().any(|b| b.value == "config"))
            && args
                .get(i.saturating_add(1))
                .is_some_and(|n| falsy(&n.value))
        {
            return Some((
                w,
                Hit::new(
                    OTHER,
                    format!("`git config {v} false` skips certificate checks"),
                ),
            ));
        }
    }
    None
}

/// `sslverify=0` or `repo.sslverify=false`.
fn sslverify_off(setting: &str) -> bool {
    setting.split_once('=').is_some_and(|(k, v)| {
        let k = k.to_ascii_lowercase();
        (k == "sslverify" || k.ends_with(".sslverify")) && falsy(v)
    })
}

fn falsy(v: &str) -> bool {
    matches!(
        v.trim()
            .trim_matches(['"', '\''])
            .to_ascii_lowercase()
            .as_str(),
        "false" | "0" | "no" | "off"
    )
}

/// An environment variable that turns verification off.
fn env_hit(name: &str, value: &str) -> Option<Hit> {
    let v = value.trim();
    let (aliases, what) = match name {
        "NODE_TLS_REJECT_UNAUTHORIZED" if v == "0" => (
            NODE_ENV,
            "`NODE_TLS_REJECT_UNAUTHORIZED=0` makes Node.js accept any certificate".to_string(),
        ),
        "PYTHONHTTPSVERIFY" if v == "0" => (
            PYTHON_ENV,
            "`PYTHONHTTPSVERIFY=0` makes Python's `urllib` accept any certificate".to_string(),
        ),
        "GIT_SSL_NO_VERIFY" => (
            GIT_ENV,
            format!(
                "`GIT_SSL_NO_VERIFY={value}` makes git skip certificate checks (any value does)"
            ),
        ),
        "PIP_TRUSTED_HOST" if !v.is_empty() => (
            PIP_ENV,
            format!("`PIP_TRUSTED_HOST={value}` makes pip skip certificate checks for those hosts"),
        ),
        _ if name.eq_ignore_ascii_case("NPM_CONFIG_STRICT_SSL") && falsy(v) => (
            NPM_ENV,
            format!("`{name}={value}` turns off npm's certificate checks"),
        ),
        "YARN_ENABLE_STRICT_SSL" if falsy(v) => (
            OTHER,
            format!("`{name}={value}` turns off yarn's certificate checks"),
        ),
        _ => return None,
    };
    Some(Hit::new(aliases, what))
}

/// The span of `name` and its value in an `ENV` or `ARG` instruction.
fn key_span(inst: &Instruction, name: &str) -> Span {
    let found = if inst.is("ENV") {
        inst.value
            .chunks(3)
            .zip(inst.value_spans.chunks(3))
            .rfind(|(t, _)| t.first().is_some_and(|k| k == name))
            .and_then(|(_, s)| Some(Span::new(s.first()?.start, s.get(1)?.end)))
    } else {
        inst.value
            .iter()
            .zip(&inst.value_spans)
            .rfind(|(item, _)| item.split('=').next() == Some(name))
            .map(|(_, s)| *s)
    };
    found.unwrap_or(inst.span)
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    fn found(text: &str) -> Vec<String> {
        check::spans("DD115", text)
    }

    fn aliases(text: &str) -> Vec<&'static str> {
        check::aliases("DD115", text)
    }

    #[test]
    fn download_tools() {
        assert_eq!(
            found("FROM a:1\nRUN curl -fsSLk https://x.io/a -o a\n"),
            ["-fsSLk"]
        );
        assert_eq!(
            found("FROM a:1\nRUN curl --insecure https://x.io/a | tar -x\n"),
            ["--insecure"]
        );
        assert_eq!(
            found("FROM a:1\nRUN wget -q --no-check-certificate https://x.io/a\n"),
            ["--no-check-certificate"]
        );
        assert_eq!(
            aliases("FROM a:1\nRUN sudo curl -k https://x.io\n"),
            ["CKV2_DOCKER_2"]
        );
        assert_eq!(
            aliases("FROM a:1\nRUN wget --no-check-certificate https://x.io\n"),
            ["CKV2_DOCKER_3"]
        );
    }

    #[test]
    fn package_tools() {
        assert_eq!(
            aliases("FROM a:1\nRUN pip install --trusted-host pypi.org flask==3.0.0\n"),
            ["CKV2_DOCKER_4"]
        );
        assert_eq!(
            found(
                "FROM a:1\nRUN python3 -m pip install --trusted-host=files.pythonhosted.org x==1\n"
            )
            .len(),
            1
        );
        assert_eq!(
            found("FROM a:1\nRUN pip config set global.trusted-host pypi.org\n"),
            ["global.trusted-host"]
        );
        assert_eq!(
            aliases("FROM a:1\nRUN npm config set strict-ssl false\n"),
            ["CKV2_DOCKER_13"]
        );
        assert_eq!(
            found("FROM a:1\nRUN yarn config set strict-ssl false\n").len(),
            1
        );
        assert_eq!(found("FROM a:1\nRUN npm set strict-ssl=false\n").len(), 1);
        assert_eq!(
            found("FROM a:1\nRUN npm install --no-strict-ssl\n").len(),
            1
        );
        assert_eq!(
            aliases("FROM a:1\nRUN yum-config-manager --save --setopt=epel.sslverify=false\n"),
            ["CKV2_DOCKER_15"]
        );
        assert_eq!(
            found("FROM a:1\nRUN dnf --setopt sslverify=0 install -y x\n"),
            ["--setopt"]
        );
        assert_eq!(
            found("FROM a:1\nRUN git config --global http.sslVerify false\n"),
            ["http.sslVerify"]
        );
        assert_eq!(
            found("FROM a:1\nRUN git -c http.sslverify=false clone https://x.io/r\n").len(),
            1
        );
        assert_eq!(
            found("FROM a:1\nRUN apt-get -o Acquire::https::Verify-Peer=false update\n").len(),
            1
        );
    }

    #[test]
    fn environment() {
        assert_eq!(
            found("FROM a:1\nENV NODE_TLS_REJECT_UNAUTHORIZED=0 A=1\n"),
            ["NODE_TLS_REJECT_UNAUTHORIZED=0"]
        );
        assert_eq!(
            aliases("FROM a:1\nENV NODE_TLS_REJECT_UNAUTHORIZED 0\n"),
            ["CKV2_DOCKER_6"]
        );
        assert_eq!(
            aliases("FROM a:1\nARG PYTHONHTTPSVERIFY=0\n"),
            ["CKV2_DOCKER_5"]
        );
        assert_eq!(
            aliases("FROM a:1\nENV GIT_SSL_NO_VERIFY=true\n"),
            ["CKV2_DOCKER_14"]
        );
        assert_eq!(
            aliases("FROM a:1\nENV PIP_TRUSTED_HOST=\"pypi.org files.pythonhosted.org\"\n"),
            ["CKV2_DOCKER_16"]
        );
        assert_eq!(
            aliases("FROM a:1\nENV npm_config_strict_ssl=false\n"),
            ["CKV2_DOCKER_12"]
        );
        // Resolved through the model.
        assert_eq!(
            found("FROM a:1\nARG V=0\nENV NODE_TLS_REJECT_UNAUTHORIZED=$V\n").len(),
            1
        );
        // In RUN.
        assert_eq!(
            found("FROM a:1\nRUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci\n"),
            ["0"]
        );
        assert_eq!(
            found("FROM a:1\nRUN export GIT_SSL_NO_VERIFY=1 && git clone https://x.io/r\n").len(),
            1
        );
        assert_eq!(
            found("FROM a:1\nRUN env PYTHONHTTPSVERIFY=0 python3 get.py\n").len(),
            1
        );
    }

    #[test]
    fn not_disabled() {
        for text in [
            "FROM a:1\nRUN curl -fsSL https://x.io/a -o a\n",
            "FROM a:1\nRUN curl -K /etc/curlrc https://x.io\n",
            "FROM a:1\nRUN curl -sSo-k https://x.io\n",
            "FROM a:1\nRUN wget -k https://x.io/page\n",
            "FROM a:1\nRUN pip install --index-url https://pypi.org/simple flask==3.0.0\n",
            "FROM a:1\nRUN npm config set strict-ssl true\n",
            "FROM a:1\nRUN npm install strict-ssl false\n",
            "FROM a:1\nRUN git config --global http.sslVerify true\n",
            "FROM a:1\nRUN dnf --setopt=install_weak_deps=False install -y x\n",
            "FROM a:1\nENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1\n",
            "FROM a:1\nENV NPM_CONFIG_STRICT_SSL=true PIP_TRUSTED_HOST=\n",
            "FROM a:1\nARG GIT_SSL_NO_VERIFY\n",
            "FROM a:1\nRUN echo curl -k https://x.io\n",
            // Not built for the target.
            "FROM a:1 AS unused\nRUN curl -k https://x.io\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nFROM b:1\n",
        ] {
            assert_eq!(found(text), [] as [String; 0], "{text}");
        }
    }
}
