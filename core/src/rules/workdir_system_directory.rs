use crate::diagnostic::{Finding, Severity};
use crate::rules::scope::final_chain;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A `WORKDIR` inside a kernel or boot directory.
#[derive(Debug)]
pub struct WorkdirSystemDirectory;

static META: RuleMeta = RuleMeta {
    id: "DD114",
    name: "workdir-in-system-directory",
    severity: Severity::Medium,
    category: Category::Security,
    aliases: &["DS030"],
    summary: "`WORKDIR` in `/proc`, `/sys`, `/dev` or another system directory",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `WORKDIR` in the final image's stages (the target and the \
        stages it is built `FROM`) that resolves (variables expanded, relative paths \
        joined, `..` removed) to `/proc`, `/sys`, `/dev`, `/boot`, `/initrd` or \
        `/lost+found`, or a directory inside one. Trivy's check matches the text only and \
        only below those directories (`/proc/x`, not `/proc`), and leaves out `/sys`.",
    why_it_matters: "At run time the container engine mounts the kernel's own \
        filesystems on `/proc`, `/sys` and `/dev`: whatever the image put there is hidden, \
        so files `COPY`'d after such a `WORKDIR` vanish, and the application's relative \
        paths point into kernel interfaces. In a container run with extra privileges, a \
        write to `./sysrq-trigger` or a device file acts on the host. `/boot`, `/initrd` \
        and `/lost+found` belong to a booted system, not to an application. Use an \
        application directory such as `/app`.",
    bad_example: "FROM debian:12-slim\nWORKDIR /proc/app\nCOPY app /usr/local/bin/app\n",
    good_example: "FROM debian:12-slim\nWORKDIR /app\nCOPY app /usr/local/bin/app\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#workdir",
        "https://avd.aquasec.com/misconfig/dockerfile/general/avd-ds-0030/",
        "https://docs.kernel.org/filesystems/proc.html",
    ],
};

/// The directories a container engine mounts over, or that only a booted
/// system uses.
const SYSTEM_DIRS: &[&str] = &["/proc", "/sys", "/dev", "/boot", "/initrd", "/lost+found"];

impl Rule for WorkdirSystemDirectory {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let chain = final_chain(cx.model);
        for stage in cx.model.stages.iter().filter(|s| chain.contains(&s.index)) {
            for wd in &stage.workdirs {
                let Some(dir) = system_dir(&wd.value) else {
                    continue;
                };
                let Some(inst) = cx.file.instructions.get(wd.instruction) else {
                    continue;
                };
                let span = inst.value_spans.first().copied().unwrap_or(inst.span);
                let message = format!(
                    "`WORKDIR {}` is inside `{dir}`, which the container engine or the host \
                     owns: use an application directory such as `/app`.",
                    wd.value
                );
                out.push(cx.finding(&META, span, message));
            }
        }
    }
}

/// The system directory `path` (absolute and clean) is in, if any.
fn system_dir(path: &str) -> Option<&'static str> {
    SYSTEM_DIRS.iter().copied().find(|d| {
        path.strip_prefix(d)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    fn found(text: &str) -> Vec<(usize, String)> {
        check::lines_and_spans("DD114", text)
    }

    #[test]
    fn system_directories() {
        assert_eq!(found("FROM a:1\nWORKDIR /proc\n"), [(2, "/proc".into())]);
        assert_eq!(found("FROM a:1\nWORKDIR \"/dev/\"\n").len(), 1);
        assert_eq!(found("FROM a:1\nWORKDIR /\nWORKDIR sys/kernel\n").len(), 1);
        assert_eq!(found("FROM a:1\nWORKDIR /app/../boot/x\n").len(), 1);
        assert_eq!(found("FROM a:1\nARG D=/lost+found\nWORKDIR $D\n").len(), 1);
        // Inherited by the final stage.
        assert_eq!(
            found("FROM a:1 AS base\nWORKDIR /dev/x\nFROM base\n").len(),
            1
        );
    }

    #[test]
    fn ordinary_directories() {
        for text in [
            "FROM a:1\nWORKDIR /app\n",
            "FROM a:1\nWORKDIR /development\n",
            "FROM a:1\nWORKDIR /usr/src/proc\n",
            "FROM a:1\nWORKDIR /bootstrap\n",
            // A build stage that does not ship.
            "FROM a:1 AS build\nWORKDIR /proc/x\nFROM b:1\nCOPY --from=build /x /x\n",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
