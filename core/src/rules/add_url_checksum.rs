use crate::diagnostic::{Finding, Severity};
use crate::rules::scope;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `ADD <url>` without `--checksum`.
#[derive(Debug)]
pub struct AddUrlChecksum;

static META: RuleMeta = RuleMeta {
    id: "DD103",
    name: "add-url-without-checksum",
    severity: Severity::Medium,
    category: Category::SupplyChain,
    aliases: &[],
    summary: "`ADD` downloads a URL without `--checksum`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags each `http(s)://` or `ftp://` source of an `ADD` that has no \
        `--checksum=sha256:…`, in every stage the target needs. Git sources \
        (`….git`, `….git#ref`, `….git?ref=…`) are left alone: pin them to a commit instead.",
    why_it_matters: "Without a checksum the build takes whatever the server returns: a \
        replaced release asset or a compromised mirror changes the image without any change \
        to the Dockerfile, and the build cache hides when it happened. `ADD --checksum` \
        (Dockerfile syntax 1.6+) makes the build fail instead.",
    bad_example: "FROM alpine:3.20\nADD https://example.com/tool-1.2.tar.gz /tmp/\n",
    good_example: "FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.tar.gz /tmp/\n",
    references: &[
        "https://docs.docker.com/reference/dockerfile/#add---checksum",
        "https://docs.docker.com/build/building/best-practices/#add-or-copy",
    ],
};

impl Rule for AddUrlChecksum {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let reachable = |s: usize| cx.model.stages.get(s).is_some_and(|st| st.reachable);
        for (_, inst) in scope::instructions(cx, reachable) {
            if !inst.is("ADD") || inst.flag("checksum").is_some_and(|c| !c.is_empty()) {
                continue;
            }
            let sources = inst.value.len().saturating_sub(1);
            for (i, src) in inst.value.iter().enumerate().take(sources) {
                let lower = src.to_ascii_lowercase();
                let remote = ["http://", "https://", "ftp://"]
                    .iter()
                    .any(|p| lower.starts_with(p));
                let git =
                    lower.ends_with(".git") || lower.contains(".git#") || lower.contains(".git?");
                if !remote || git {
                    continue;
                }
                let span = inst.value_spans.get(i).copied().unwrap_or(inst.span);
                let message = format!(
                    "`ADD {src}` downloads without a checksum: whatever the server returns goes \
                     into the image. Add `--checksum=sha256:<digest>` (or download and verify in \
                     a `RUN`)."
                );
                out.push(cx.finding(&META, span, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::check;

    fn found(text: &str) -> Vec<String> {
        check::spans("DD103", text)
    }

    #[test]
    fn each_url_source() {
        assert_eq!(
            found("FROM a:1\nADD https://x.io/a.tgz HTTP://x.io/b local.txt /opt/\n"),
            ["https://x.io/a.tgz", "HTTP://x.io/b"]
        );
        assert_eq!(
            found("FROM a:1\nADD [\"https://x.io/a b.tgz\", \"/opt/\"]\n").len(),
            1
        );
    }

    #[test]
    fn checksums_local_files_git_and_unused_stages() {
        for text in [
            "FROM a:1\nADD --checksum=sha256:00 https://x.io/a.tgz /opt/\n",
            "FROM a:1\nADD app.tar.gz /opt/\n",
            "FROM a:1\nADD https://github.com/moby/buildkit.git#v0.14.1 /src\n",
            "FROM a:1\nADD https://github.com/go-delve/delve.git?ref=v1&keep-git-dir=1 .\n",
            "FROM a:1 AS unused\nADD https://x.io/a.tgz /opt/\nFROM b:1\n",
            "FROM a:1\nCOPY https.txt /opt/\n",
        ] {
            assert_eq!(found(text), [] as [String; 0], "{text}");
        }
    }
}
