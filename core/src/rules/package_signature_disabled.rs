use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::setopts;
use crate::rules::scope::{self, program};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::{Command, Word};

/// A package manager told to install packages whose signatures it did not
/// check.
#[derive(Debug)]
pub struct PackageSignatureDisabled;

static META: RuleMeta = RuleMeta {
    id: "DD116",
    name: "package-signature-check-disabled",
    severity: Severity::High,
    category: Category::SupplyChain,
    aliases: &[
        "CKV2_DOCKER_7",
        "CKV2_DOCKER_8",
        "CKV2_DOCKER_9",
        "CKV2_DOCKER_10",
        "CKV2_DOCKER_11",
    ],
    summary: "A package manager skips signature checks",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags, in the stages the target needs, package manager options that \
        accept unsigned or wrongly signed packages: apt's `--allow-unauthenticated`, \
        `--force-yes`, `--allow-insecure-repositories` and the matching `-o APT::…`/\
        `Acquire::AllowInsecureRepositories` settings; `apk --allow-untrusted`; \
        `--nogpgcheck` or `--setopt=gpgcheck=0` for yum/dnf/tdnf/microdnf (and \
        `yum-config-manager`); zypper's `--no-gpg-checks`; `rpm -i`/`-U`/`-F` with \
        `--nosignature`, `--nodigest`, `--noverify` or `--nofiledigest`; and a \
        `deb [trusted=yes] …` source or `gpgcheck=0` line written with `echo`/`printf` \
        or `add-apt-repository`.",
    why_it_matters: "Repository signatures are what ties a package to its publisher: \
        mirrors, proxies and plain HTTP sources are not trusted, the signing key is. \
        Without the check, whoever can change the bytes on the way in (a compromised \
        mirror, a cache, a network attacker) chooses what gets installed as root. Import \
        the repository's key (`/etc/apt/keyrings`, `rpm --import`, `/etc/apk/keys`) \
        instead. Severity high: it disables the package supply chain's main defence.",
    bad_example: "FROM alpine:3.20\nRUN apk add --no-cache --allow-untrusted /tmp/tool.apk\n",
    good_example: "FROM alpine:3.20\nCOPY tool-signing.rsa.pub /etc/apk/keys/\nRUN apk add --no-cache /tmp/tool.apk\n",
    references: &[
        "https://wiki.debian.org/SecureApt",
        "https://manpages.debian.org/bookworm/apt/apt-get.8.en.html",
        "https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper",
        "https://dnf.readthedocs.io/en/latest/command_ref.html",
        "https://cwe.mitre.org/data/definitions/347.html",
    ],
};

static APK: &[&str] = &["CKV2_DOCKER_7"];
static APT_UNAUTHENTICATED: &[&str] = &["CKV2_DOCKER_8"];
static APT_FORCE_YES: &[&str] = &["CKV2_DOCKER_8", "CKV2_DOCKER_11"];
static NOGPGCHECK: &[&str] = &["CKV2_DOCKER_9"];
static RPM: &[&str] = &["CKV2_DOCKER_10"];
static OTHER: &[&str] = &[];

impl Rule for PackageSignatureDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let reachable = |s: usize| cx.model.stages.get(s).is_some_and(|st| st.reachable);
        for run in scope::runs(cx, reachable) {
            for cmd in run.commands() {
                let Some((word, aliases, what)) = unchecked(cmd) else {
                    continue;
                };
                let message = format!(
                    "{what}: packages are installed without checking their signatures, so a \
                     mirror, cache or network attacker chooses what runs. Import the \
                     repository's signing key instead."
                );
                out.push(cx.finding_for(&META, aliases, run.file_span(word.span), message));
            }
        }
    }
}

type Hit<'a> = (&'a Word, &'static [&'static str], String);

/// The word of `cmd` that turns a signature check off, the peer ids it
/// answers for, and what it is.
fn unchecked(cmd: &Command) -> Option<Hit<'_>> {
    let (name, args) = program(cmd)?;
    let option = |w: &Word| {
        let v = w.value.as_str();
        v.split_once('=').map_or(v, |(k, _)| k).to_string()
    };
    let find = |pred: &dyn Fn(&str) -> bool| {
        args.iter()
            .take_while(|w| w.value != "--")
            .find(|w| pred(&option(w)))
    };
    match name.as_str() {
        "apt-get" | "apt" | "aptitude" => {
            if let Some(w) = find(&|o| o == "--force-yes") {
                return Some((w, APT_FORCE_YES, format!("`{name} --force-yes`")));
            }
            if let Some(w) = find(&|o| o == "--allow-unauthenticated") {
                return Some((
                    w,
                    APT_UNAUTHENTICATED,
                    format!("`{name} --allow-unauthenticated`"),
                ));
            }
            if let Some(w) = find(&|o| o == "--allow-insecure-repositories") {
                return Some((w, OTHER, format!("`{name} --allow-insecure-repositories`")));
            }
            args.iter().find(|w| apt_setting_off(&w.value)).map(|w| {
                (
                    w,
                    OTHER,
                    format!("`{name} -o {}`", w.value.trim_start_matches("-o")),
                )
            })
        }
        "apk" => find(&|o| o == "--allow-untrusted")
            .map(|w| (w, APK, "`apk --allow-untrusted`".to_string())),
        "yum" | "dnf" | "dnf5" | "tdnf" | "microdnf" | "yum-config-manager" => {
            if let Some(w) = find(&|o| o == "--nogpgcheck") {
                return Some((w, NOGPGCHECK, format!("`{name} --nogpgcheck`")));
            }
            setopts(args)
                .into_iter()
                .find(|(_, s)| gpgcheck_off(s))
                .map(|(w, s)| (w, OTHER, format!("`{name} --setopt={s}`")))
        }
        "zypper" => find(&|o| matches!(o, "--no-gpg-checks" | "--no-gpgcheck"))
            .map(|w| (w, OTHER, format!("`zypper {}`", w.value))),
        "rpm" if rpm_installs(args) => find(&|o| {
            matches!(
                o,
                "--nosignature" | "--nodigest" | "--noverify" | "--nofiledigest"
            )
        })
        .map(|w| (w, RPM, format!("`rpm {}`", w.value))),
        "echo" | "printf" | "add-apt-repository" => written_source(args),
        _ => None,
    }
}

/// `-o APT::Get::AllowUnauthenticated=true`,
/// `-oAcquire::AllowInsecureRepositories=1`, …
fn apt_setting_off(word: &str) -> bool {
    let w = word.strip_prefix("-o").unwrap_or(word).to_ascii_lowercase();
    let Some((key, value)) = w.split_once('=') else {
        return false;
    };
    matches!(
        key,
        "apt::get::allowunauthenticated"
            | "acquire::allowinsecurerepositories"
            | "acquire::allowdowngradetoinsecurerepositories"
    ) && matches!(value.trim_matches(['"', '\'']), "true" | "1" | "yes" | "on")
}

/// `gpgcheck=0` or `repo.gpgcheck=false` (not `repo_gpgcheck`, the
/// separate metadata signature check).
fn gpgcheck_off(setting: &str) -> bool {
    setting.split_once('=').is_some_and(|(k, v)| {
        let k = k.to_ascii_lowercase();
        let k = k.rsplit('.').next().unwrap_or(&k);
        (k == "gpgcheck" || k == "localpkg_gpgcheck")
            && matches!(
                v.to_ascii_lowercase().as_str(),
                "0" | "false" | "no" | "off"
            )
    })
}

/// Whether an `rpm` command installs, upgrades or freshens packages
/// (`-i`, `-ivh`, `-U`, `-F`, `--install`, …), not a query or verify.
fn rpm_installs(args: &[Word]) -> bool {
    args.iter().any(|w| {
        let v = w.value.as_str();
        matches!(v, "--install" | "--upgrade" | "--freshen" | "--reinstall")
            || v.strip_prefix('-')
                .and_then(|f| f.chars().next())
                .is_some_and(|c| matches!(c, 'i' | 'U' | 'F'))
    })
}

/// An apt source marked `[trusted=yes]` or a yum repository with
/// `gpgcheck=0`, written with `echo`/`printf`/`add-apt-repository`.
fn written_source(args: &[Word]) -> Option<Hit<'_>> {
    let deb =
        args.iter().any(|w| w.value.contains("deb ")) || args.iter().any(|w| w.value == "deb");
    // A `file:` or `copy:` source is a directory of the build itself (a
    // local repository of packages just built): nothing crosses a network.
    let local = args
        .iter()
        .any(|w| w.value.contains("file:/") || w.value.contains("copy:/"));
    args.iter().find_map(|w| {
        let v = w.value.as_str();
        if deb && !local && v.contains("trusted=yes") {
            return Some((w, OTHER, "a `deb [trusted=yes]` source".to_string()));
        }
        // Lines split by whitespace or a `\n` escape (`printf '…\ngpgcheck=0'`).
        v.split(|c: char| c.is_whitespace() || c == '\\')
            .map(|t| t.strip_prefix('n').filter(|t| t.contains('=')).unwrap_or(t))
            .any(gpgcheck_off)
            .then(|| (w, OTHER, "a repository with `gpgcheck=0`".to_string()))
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    fn found(text: &str) -> Vec<String> {
        check::spans("DD116", text)
    }

    fn aliases(text: &str) -> Vec<&'static str> {
        check::aliases("DD116", text)
    }

    #[test]
    fn options_that_skip_signatures() {
        assert_eq!(
            found(
                "FROM a:1\nRUN apt-get update && apt-get install -y --allow-unauthenticated curl\n"
            ),
            ["--allow-unauthenticated"]
        );
        assert_eq!(
            aliases("FROM a:1\nRUN apt-get install -y --force-yes curl\n"),
            ["CKV2_DOCKER_8", "CKV2_DOCKER_11"]
        );
        assert_eq!(
            found("FROM a:1\nRUN apt-get -o APT::Get::AllowUnauthenticated=true install -y x\n"),
            ["APT::Get::AllowUnauthenticated=true"]
        );
        assert_eq!(
            found("FROM a:1\nRUN apt-get update --allow-insecure-repositories\n").len(),
            1
        );
        assert_eq!(
            aliases("FROM a:1\nRUN sudo apk add --allow-untrusted x.apk\n"),
            ["CKV2_DOCKER_7"]
        );
        assert_eq!(
            aliases("FROM a:1\nRUN dnf install -y --nogpgcheck x.rpm\n"),
            ["CKV2_DOCKER_9"]
        );
        assert_eq!(
            aliases("FROM a:1\nRUN tdnf install -y --nogpgcheck x\n"),
            ["CKV2_DOCKER_9"]
        );
        assert_eq!(
            found("FROM a:1\nRUN yum --setopt=epel.gpgcheck=0 install -y x\n").len(),
            1
        );
        assert_eq!(
            found("FROM a:1\nRUN zypper --no-gpg-checks in -y x\n").len(),
            1
        );
        assert_eq!(
            aliases("FROM a:1\nRUN rpm -ivh --nosignature x.rpm\n"),
            ["CKV2_DOCKER_10"]
        );
        assert_eq!(found("FROM a:1\nRUN rpm -U --nodigest x.rpm\n").len(), 1);
    }

    #[test]
    fn sources_written_without_checks() {
        assert_eq!(
            found("FROM a:1\nRUN echo \"deb [trusted=yes] http://repo.x.io/ stable main\" > /etc/apt/sources.list.d/x.list\n")
                .len(),
            1
        );
        assert_eq!(
            found(
                "FROM a:1\nRUN echo deb [trusted=yes] http://repo.x.io/ ./ >> /etc/apt/sources.list\n"
            ),
            ["[trusted=yes]"]
        );
        assert_eq!(
            found("FROM a:1\nRUN printf '[x]\\nbaseurl=http://x.io\\ngpgcheck=0\\n' > /etc/yum.repos.d/x.repo\n").len(),
            1
        );
    }

    #[test]
    fn checked_installs() {
        for text in [
            "FROM a:1\nRUN apt-get install -y --no-install-recommends curl\n",
            "FROM a:1\nRUN apk add --no-cache curl\n",
            "FROM a:1\nRUN dnf install -y --setopt=install_weak_deps=0 x\n",
            "FROM a:1\nRUN dnf install -y --setopt=repo_gpgcheck=0 x\n",
            "FROM a:1\nRUN rpm -qi --nosignature x\n",
            "FROM a:1\nRUN rpm -V --nofiledigest x\n",
            "FROM a:1\nRUN echo gpgcheck=1 >> /etc/yum.conf\n",
            "FROM a:1\nRUN echo \"trusted=yes\"\n",
            "FROM a:1\nRUN echo \"deb [ trusted=yes ] file://$dir ./\" > /etc/apt/sources.list.d/temp.list\n",
            "FROM a:1 AS unused\nRUN apk add --allow-untrusted x.apk\nFROM b:1\n",
        ] {
            assert_eq!(found(text), [] as [String; 0], "{text}");
        }
    }
}
