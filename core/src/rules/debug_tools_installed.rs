use crate::diagnostic::{Finding, Severity};
use crate::rules::packages::{install, package_name};
use crate::rules::scope;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};
use crate::syntax::shell::program_name;

/// Remote-access servers and debugging tools installed in the final image.
#[derive(Debug)]
pub struct DebugToolsInstalled;

static META: RuleMeta = RuleMeta {
    id: "DD105",
    name: "remote-access-or-debug-tools",
    severity: Severity::Medium,
    category: Category::Security,
    aliases: &[],
    summary: "An SSH/telnet server or a debugging/network tool is installed in the final image",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags packages installed with `apt-get`/`apt`, `apk`, `yum`/`dnf`/\
        `microdnf` or `zypper` in the final stage (or a stage it is built `FROM`) that give \
        remote access (`openssh-server`, Debian's `ssh` metapackage, `dropbear`, `telnetd`) \
        or are attackers' and debuggers' tools (`gdb`, `strace`, `ltrace`, `tcpdump`, \
        `netcat`, `ncat`, `socat`, `nmap`). Build stages may install anything, and an \
        image whose `ENTRYPOINT`/`CMD` runs the tool itself (`sshd -D`, `socat`) was built \
        for it and is not judged. SSH \
        *clients* (`openssh-client`) are not flagged. Running such commands — hadolint's \
        DL3001 — is a different rule.",
    why_it_matters: "An SSH daemon is a second way into the container, with its own \
        credentials and CVEs, outside the orchestrator's control; use `docker exec` or \
        `kubectl exec` instead. Debuggers and packet tools let whoever compromises the \
        application read other processes' memory, sniff traffic and open reverse shells. \
        They also grow the image. Install them in a separate debug image or an ephemeral \
        debug container (`kubectl debug`).",
    bad_example: "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-server && rm -rf /var/lib/apt/lists/*\n",
    good_example: "FROM debian:12-slim AS debug\nRUN apt-get update && apt-get install -y --no-install-recommends gdb strace\nFROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates openssh-client && rm -rf /var/lib/apt/lists/*\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#dont-install-unnecessary-packages",
        "https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/#ephemeral-container",
    ],
};

/// A package, what it is, and the programs it provides (an image whose
/// command *is* one of them was built to run it, and is not judged).
struct Tool {
    package: &'static str,
    what: &'static str,
    programs: &'static [&'static str],
}

const fn tool(
    package: &'static str,
    what: &'static str,
    programs: &'static [&'static str],
) -> Tool {
    Tool {
        package,
        what,
        programs,
    }
}

const SSHD: &[&str] = &["sshd"];
const NC: &[&str] = &["nc", "netcat", "ncat"];

const TOOLS: &[Tool] = &[
    tool("openssh-server", "an SSH server", SSHD),
    tool(
        "ssh",
        "the SSH server (Debian's `ssh` metapackage installs `openssh-server`)",
        SSHD,
    ),
    tool("dropbear", "an SSH server", &["dropbear"]),
    tool("telnetd", "a telnet server", &["telnetd", "in.telnetd"]),
    tool("inetutils-telnetd", "a telnet server", &["telnetd"]),
    tool(
        "telnet-server",
        "a telnet server",
        &["telnetd", "in.telnetd"],
    ),
    tool("vsftpd", "an FTP server", &["vsftpd"]),
    tool("gdb", "a debugger", &["gdb"]),
    tool("gdbserver", "a remote debugger", &["gdbserver"]),
    tool("strace", "a syscall tracer", &["strace"]),
    tool("ltrace", "a library-call tracer", &["ltrace"]),
    tool("tcpdump", "a packet sniffer", &["tcpdump"]),
    tool("tshark", "a packet sniffer", &["tshark"]),
    tool("netcat", "netcat", NC),
    tool("netcat-openbsd", "netcat", NC),
    tool("netcat-traditional", "netcat", NC),
    tool("nmap-ncat", "ncat", NC),
    tool("ncat", "ncat", NC),
    tool("nc", "netcat", NC),
    tool("socat", "socat", &["socat"]),
    tool("nmap", "a port scanner", &["nmap"]),
];

/// Alpine's `openssh` installs the server; elsewhere (RHEL) it is the
/// common files only.
const APK_OPENSSH: Tool = tool("openssh", "the SSH server and client", SSHD);

impl Rule for DebugToolsInstalled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let chain = scope::final_chain(cx.model);
        let command = scope::final_program(cx, &chain).map(|p| program_name(&p));
        for run in scope::runs(cx, |s| chain.contains(&s)) {
            for cmd in run.commands() {
                let Some(found) = install(cmd) else {
                    continue;
                };
                for word in found.packages {
                    let name = package_name(&word.value);
                    let tool = match TOOLS.iter().find(|t| t.package == name) {
                        Some(t) => t,
                        None if name == "openssh" && found.manager == "apk" => &APK_OPENSSH,
                        None => continue,
                    };
                    if command
                        .as_deref()
                        .is_some_and(|c| tool.programs.contains(&c))
                    {
                        continue;
                    }
                    let what = tool.what;
                    let message = format!(
                        "`{}` installs `{name}`, {what}, in the final image. Leave it out; debug \
                         with `docker exec`/`kubectl debug` or a separate debug image.",
                        found.manager
                    );
                    out.push(cx.finding(&META, run.file_span(word.span), message));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    fn found(text: &str) -> Vec<String> {
        check::spans("DD105", text)
    }

    #[test]
    fn packages_of_each_manager() {
        assert_eq!(
            found(
                "FROM a:1\nRUN apt-get update && apt-get install -y \\\n    vim \\\n    ssh=1:9.2p1 curl\n"
            ),
            ["ssh=1:9.2p1"]
        );
        assert_eq!(
            found("FROM a:1\nRUN apk add --no-cache --virtual .dbg gdb strace\n"),
            ["gdb", "strace"]
        );
        assert_eq!(
            found("FROM a:1\nRUN dnf install -y openssh-server && yum -y install nmap-ncat\n"),
            ["openssh-server", "nmap-ncat"]
        );
        assert_eq!(
            found("FROM a:1 AS b\nRUN apk add tcpdump\nFROM b\n"),
            ["tcpdump"]
        );
    }

    #[test]
    fn clients_build_stages_and_other_commands() {
        for text in [
            "FROM a:1\nRUN apt-get install -y openssh-client git\n",
            "FROM a:1 AS build\nRUN apt-get install -y gdb\nFROM b:1\n",
            "FROM a:1\nRUN apt-get remove -y ssh && echo gdb\n",
            "FROM a:1\nRUN pip install nc\n",
            // Built to run it.
            "FROM a:1\nRUN apk add socat\nENTRYPOINT [\"socat\"]\n",
            "FROM a:1\nRUN apt-get install -y openssh-server\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n",
            "FROM a:1\nRUN yum install -y openssh openssh-clients\n",
        ] {
            assert_eq!(found(text), [] as [String; 0], "{text}");
        }
    }
}
