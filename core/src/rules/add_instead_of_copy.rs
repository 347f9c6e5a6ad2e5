use crate::diagnostic::{Finding, Severity};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `ADD` of local files that are not archives.
#[derive(Debug)]
pub struct AddInsteadOfCopy;

static META: RuleMeta = RuleMeta {
    id: "DD008",
    name: "add-instead-of-copy",
    severity: Severity::Low,
    category: Category::Maintainability,
    aliases: &["DL3020", "DS005", "CKV_DOCKER_4", "CIS-DI-0009"],
    summary: "`ADD` of local files: use `COPY`",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags an `ADD` with a local source that is not a tar archive (`.tar`, \
        `.tar.gz`/`.tgz`, `.tar.bz2`, `.tar.xz`, `.gz`, `.bz2`, `.xz`, `.zst`). Remote \
        sources (`http(s)://`, git URLs) and archives, which `ADD` extracts, are what `ADD` \
        is for and are not flagged; heredoc sources neither.",
    why_it_matters: "`ADD` does more than copy: it unpacks archives and fetches URLs. Using it \
        for plain files hides intent, and a file that later happens to be an archive is \
        silently extracted. `COPY` does exactly one thing. Severity low: a clarity and \
        least-surprise issue.",
    bad_example: "FROM nginx:1.27-alpine\nADD nginx.conf /etc/nginx/nginx.conf\n",
    good_example: "FROM nginx:1.27-alpine\nCOPY nginx.conf /etc/nginx/nginx.conf\nADD rootfs.tar.gz /\n",
    references: &[
        "https://docs.docker.com/build/building/best-practices/#add-or-copy",
        "https://docs.docker.com/reference/dockerfile/#add",
    ],
};

/// Suffixes of files `ADD` extracts.
const ARCHIVES: &[&str] = &[
    ".tar",
    ".tar.gz",
    ".tgz",
    ".gz",
    ".tar.bz2",
    ".tbz",
    ".tbz2",
    ".bz2",
    ".tar.xz",
    ".txz",
    ".xz",
    ".tar.zst",
    ".tzst",
    ".zst",
    ".tar.lzma",
    ".lzma",
];

/// Whether `ADD` treats `src` as something other than a local plain file.
fn remote_or_archive(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("git@")
        || lower.starts_with("git://")
        || lower.starts_with("ssh://")
        || lower.starts_with("<<")
        || ARCHIVES.iter().any(|ext| lower.ends_with(ext))
}

impl Rule for AddInsteadOfCopy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for inst in cx.file.instructions.iter().filter(|i| i.is("ADD")) {
            let sources = inst.value.split_last().map_or(&[][..], |(_, s)| s);
            let spans = &inst.value_spans;
            let Some((i, src)) = sources
                .iter()
                .enumerate()
                .find(|(_, s)| !remote_or_archive(s))
            else {
                continue;
            };
            let span = spans.get(i).copied().unwrap_or(inst.keyword_span);
            let message = format!(
                "`ADD {src}` copies a local file: use `COPY`, which does not unpack archives or \
                 fetch URLs."
            );
            out.push(cx.finding(&META, span, message));
        }
    }
}
