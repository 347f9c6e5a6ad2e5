//! Rewrite: a safer, smaller Dockerfile the user can paste back.
//!
//! [`rewrite`] detects the stack ([`Stack`]: Go, Rust, Node, Python, Java,
//! .NET, static sites, other binaries) from FROM images, RUN commands and
//! copied files, then writes a multi-stage file: the build stays in a
//! builder stage (dependency manifests copied before the sources, cache
//! mounts, `CGO_ENABLED=0 -trimpath -ldflags='-s -w'` for Go) and the app
//! moves to a distroless `:nonroot` runtime image with `USER 65532:65532`
//! and ENTRYPOINT/CMD in exec form. EXPOSE, runtime ENV, WORKDIR, LABEL,
//! VOLUME, STOPSIGNAL and HEALTHCHECK (when it can run there) are kept. A
//! Node or Python command that needs a shell gets the language's slim image
//! instead, a compiled program whose command line needs one the distroless
//! `:debug-nonroot` image (busybox), and the change list says why.
//!
//! The rewriter checks its own output with drydock's analysis and
//! **declines** (keeps the file, gives the reason) unless the output parses
//! without errors, has no medium-or-worse finding the input lacked, exposes
//! the same ports, starts the same program and, for Go, Rust, Node, Python,
//! Java and static sites, scores 90 or more. A file whose final image is
//! already distroless, scratch, chiseled or the runtime the rewriter would
//! pick is left unchanged.
//!
//! The plan works on the parsed tree and the build model: instructions are
//! copied by their spans and edited by span, never re-parsed from text.
//!
//! **Invariant:** [`rewrite`] never panics, and rewriting its output again
//! leaves it unchanged.

mod command;
mod images;
mod plan;
mod stack;

use serde::Serialize;

use crate::analysis::{Analysis, analyze_with};
use crate::diagnostic::Severity;
use crate::model::{BaseKind, BuildModel, BuildOptions};
use crate::options::AnalysisOptions;
use crate::syntax::{self, Dockerfile};

pub use stack::Stack;

/// What the rewriter did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// A new Dockerfile was written.
    Rewritten,
    /// The file already follows the pattern; nothing worth changing.
    Unchanged,
    /// A rewrite could not be made safely; [`Rewrite::reason`] says why.
    Declined,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Rewritten => "rewritten",
            Outcome::Unchanged => "unchanged",
            Outcome::Declined => "declined",
        }
    }
}

/// One change the rewrite made, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub summary: String,
    pub reason: String,
}

/// The estimated image size on disk (the size estimate's expected
/// uncompressed figure, `core/src/size/`) before and after, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SizeChange {
    pub before_bytes: u64,
    pub after_bytes: u64,
}

/// How a line of the diff reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    Same,
    Removed,
    Added,
}

/// One line of the full diff, for side-by-side views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    pub kind: LineKind,
    /// 1-based line in the input (removed and same lines).
    pub old_line: Option<usize>,
    /// 1-based line in the output (added and same lines).
    pub new_line: Option<usize>,
    /// The line, without its line end.
    pub text: String,
}

/// The result of [`rewrite`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rewrite {
    pub outcome: Outcome,
    pub stack: Option<Stack>,
    /// Why the file was left as it is (unchanged or declined).
    pub reason: Option<String>,
    /// The new Dockerfile (the input itself unless rewritten).
    pub dockerfile: String,
    /// A unified diff, input → output (empty unless rewritten).
    pub diff: String,
    /// Every line of both files, aligned (empty unless rewritten).
    pub lines: Vec<DiffLine>,
    pub changes: Vec<Change>,
    pub score_before: u8,
    pub score_after: u8,
    /// Estimated image size before and after; `None` when the file was
    /// kept (declined or already minimal).
    pub size: Option<SizeChange>,
}

/// What an image promises its users: the ports it exposes and the program
/// it starts. A rewrite keeps both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Promises {
    /// EXPOSEd ports of the final image, sorted, without duplicates
    /// (`8080/tcp` is `8080`).
    pub ports: Vec<String>,
    /// The program's name (ENTRYPOINT, else CMD), with interpreter
    /// versions dropped (`/usr/bin/python3.12` → `python`).
    pub program: Option<String>,
}

/// The promises of `text`'s final image.
pub fn promises(text: &str) -> Promises {
    let file = syntax::parse(text);
    let model = BuildModel::new(&file, &BuildOptions::default());
    promises_of(&file, &model)
}

fn promises_of(file: &Dockerfile, model: &BuildModel) -> Promises {
    let mut chain = Vec::new();
    let mut stage = model.final_stage();
    while let Some(s) = stage {
        chain.push(s.index);
        stage = model.parent(s);
    }
    chain.reverse();
    let insts = chain
        .iter()
        .filter_map(|&i| model.stages.get(i))
        .flat_map(|s| s.instructions.iter())
        .filter_map(|&i| file.instructions.get(i));
    let mut ports = Vec::new();
    let mut entrypoint = None;
    let mut cmd = None;
    for inst in insts {
        if inst.is("EXPOSE") {
            for p in &inst.value {
                let p = p.strip_suffix("/tcp").unwrap_or(p);
                ports.push(p.to_ascii_lowercase());
            }
        } else if inst.is("ENTRYPOINT") {
            entrypoint = Some(inst);
        } else if inst.is("CMD") {
            cmd = Some(inst);
        }
    }
    ports.sort();
    ports.dedup();
    let program = entrypoint.or(cmd).and_then(|inst| {
        let first = inst.value.first()?;
        let word = if inst.json {
            first.as_str()
        } else {
            first.split_whitespace().next()?
        };
        Some(normalize_program(word))
    });
    Promises { ports, program }
}

fn normalize_program(word: &str) -> String {
    let name = syntax::shell::program_name(word);
    if name.starts_with("python") {
        "python".to_string()
    } else {
        name
    }
}

/// Rewrites `text` with the default options (see [`rewrite_with`]).
pub fn rewrite(text: &str) -> Rewrite {
    rewrite_with(text, &AnalysisOptions::DEFAULT)
}

/// Rewrites `text`; `options` date the end-of-life checks of the input and
/// the output. Never fails and never panics.
pub fn rewrite_with(text: &str, options: &AnalysisOptions) -> Rewrite {
    let before = analyze_with(text, options);
    let file = syntax::parse(text);
    let model = BuildModel::new(&file, &BuildOptions::default());
    let promised = promises_of(&file, &model);
    let stack = stack::detect(&file, &model, promised.program.as_deref());
    let keep = |outcome: Outcome, reason: String| Rewrite {
        outcome,
        stack,
        reason: Some(reason),
        dockerfile: text.to_string(),
        diff: String::new(),
        lines: Vec::new(),
        changes: Vec::new(),
        score_before: before.score,
        score_after: before.score,
        size: None,
    };
    if !before.errors.is_empty() {
        return keep(
            Outcome::Declined,
            "the file has parse errors; fix them first".to_string(),
        );
    }
    if let Some(reason) = already_minimal(&model) {
        return keep(Outcome::Unchanged, reason);
    }
    let Some(stack) = stack else {
        return keep(
            Outcome::Declined,
            "no known stack (Go, Rust, Node, Python, Java, .NET, a static site or a program \
             on a distribution image) was recognised"
                .to_string(),
        );
    };
    let input = plan::Input {
        text,
        file: &file,
        model: &model,
        before: &before,
        stack,
    };
    let planned = match plan::plan(&input) {
        Ok(p) => p,
        Err(reason) => return keep(Outcome::Declined, reason),
    };
    let current = model
        .final_stage()
        .map(|s| model.root_stage(s).base_resolved.clone());
    if current.as_deref() == Some(planned.image.as_str()) {
        return keep(
            Outcome::Unchanged,
            format!(
                "the final image is already built on `{}`, the runtime drydock would pick",
                planned.image
            ),
        );
    }
    let after = analyze_with(&planned.text, options);
    if let Err(reason) = check(&before, &promised, &planned.text, &after, stack) {
        return keep(
            Outcome::Declined,
            format!("the rewrite would not be better: {reason}"),
        );
    }
    let (diff, lines) = diff(text, &planned.text);
    let on_disk = |t: &str| {
        crate::size::estimate_text(t, &crate::size::SizeOptions::default())
            .uncompressed_bytes
            .expected
    };
    let size = Some(SizeChange {
        before_bytes: on_disk(text),
        after_bytes: on_disk(&planned.text),
    });
    Rewrite {
        outcome: Outcome::Rewritten,
        stack: Some(stack),
        reason: None,
        dockerfile: planned.text,
        diff,
        lines,
        changes: planned.changes,
        score_before: before.score,
        score_after: after.score,
        size,
    }
}

/// Why the final image needs no rewrite, if it does not.
fn already_minimal(model: &BuildModel) -> Option<String> {
    let last = model.final_stage()?;
    let root = model.root_stage(last);
    let image = &root.base_image;
    let repo = image.repository.to_ascii_lowercase();
    let tag = image.tag.as_deref().unwrap_or_default();
    let minimal = match root.base_kind {
        BaseKind::Scratch => Some("`scratch`"),
        BaseKind::Image if repo.starts_with("distroless/") || repo.contains("/distroless/") => {
            Some("a distroless image")
        }
        BaseKind::Image if tag.contains("chiseled") => Some("a chiseled image"),
        BaseKind::Image if repo.ends_with("nginx-unprivileged") => Some("nginx-unprivileged"),
        _ => None,
    }?;
    Some(format!(
        "the final image is already built on {minimal}; the lint findings list what is left \
         to improve"
    ))
}

/// The output's own checks: what the corpus test asserts.
fn check(
    before: &Analysis,
    promised: &Promises,
    text: &str,
    after: &Analysis,
    stack: Stack,
) -> Result<(), String> {
    if let Some(e) = after.errors.first() {
        return Err(format!("it does not parse: {}", e.message));
    }
    let serious = |a: &Analysis, rule: &str| {
        a.findings
            .iter()
            .filter(|f| f.rule == rule && f.severity >= Severity::Medium)
            .count()
    };
    for f in after
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Medium)
    {
        if serious(after, f.rule) > serious(before, f.rule) {
            return Err(format!("it adds {} ({})", f.rule, f.message));
        }
    }
    let kept = promises(text);
    if kept.ports != promised.ports {
        return Err(format!(
            "it exposes {:?} instead of {:?}",
            kept.ports, promised.ports
        ));
    }
    if kept.program != promised.program {
        return Err(format!(
            "it starts {:?} instead of {:?}",
            kept.program, promised.program
        ));
    }
    if stack.must_excel() && after.score < 90 {
        let mut costly: Vec<_> = after.findings.iter().collect();
        costly.sort_by_key(|f| std::cmp::Reverse(f.severity));
        let worst: Vec<String> = costly
            .iter()
            .take(3)
            .map(|f| format!("{} {}", f.rule, f.severity.as_str()))
            .collect();
        return Err(format!(
            "it would score {} (< 90) because of what it keeps: {}",
            after.score,
            worst.join(", ")
        ));
    }
    Ok(())
}

/// The unified diff and the aligned lines of `old` → `new`.
///
/// The same output as `similar::TextDiff::from_lines(old, new)` with
/// `unified_diff().context_radius(3)` (a test compares the two), built on
/// `similar`'s slice diff: the text-diff layer instantiates Myers' algorithm
/// seven times over and made up a tenth of the playground's wasm.
fn diff(old: &str, new: &str) -> (String, Vec<DiffLine>) {
    use std::fmt::Write as _;
    let a = lines_of(old);
    let b = lines_of(new);
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b);
    let mut unified = String::new();
    for hunk in similar::group_diff_ops(ops.clone(), 3) {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        if unified.is_empty() {
            unified.push_str("--- Dockerfile\n+++ Dockerfile.rewritten\n");
        }
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        let _ = writeln!(
            unified,
            "@@ -{} +{} @@",
            HunkRange(old_range),
            HunkRange(new_range)
        );
        for op in &hunk {
            for change in op.iter_changes(&a, &b) {
                let value = change.value();
                let _ = write!(unified, "{}{value}", change.tag());
                if !value.ends_with(['\n', '\r']) {
                    unified.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    let lines = ops
        .iter()
        .flat_map(|op| op.iter_changes(&a, &b))
        .map(diff_line)
        .collect();
    (unified, lines)
}

/// One change of a line diff as a [`DiffLine`].
fn diff_line(c: similar::Change<&str>) -> DiffLine {
    DiffLine {
        kind: match c.tag() {
            similar::ChangeTag::Equal => LineKind::Same,
            similar::ChangeTag::Delete => LineKind::Removed,
            similar::ChangeTag::Insert => LineKind::Added,
        },
        old_line: c.old_index().map(|i| i + 1),
        new_line: c.new_index().map(|i| i + 1),
        text: c.value().trim_end_matches(['\n', '\r']).to_string(),
    }
}

/// `text`'s lines, each with its line end (`\n`, `\r\n` or a lone `\r`),
/// the way `similar` splits lines.
fn lines_of(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let end = match bytes.get(i) {
            Some(b'\r') if bytes.get(i + 1) == Some(&b'\n') => i + 2,
            Some(b'\r' | b'\n') => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        lines.push(text.get(start..end).unwrap_or_default());
        start = end;
        i = end;
    }
    if start < bytes.len() {
        lines.push(text.get(start..).unwrap_or_default());
    }
    lines
}

/// A hunk's line range as unified diffs write it: `start,len`, `start` alone
/// for one line, and the line before for none.
struct HunkRange(std::ops::Range<usize>);

impl std::fmt::Display for HunkRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = self.0.end.saturating_sub(self.0.start);
        match len {
            1 => write!(f, "{}", self.0.start + 1),
            0 => write!(f, "{},0", self.0.start),
            _ => write!(f, "{},{len}", self.0.start + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `diff` stands in for.
    fn text_diff(old: &str, new: &str) -> (String, Vec<DiffLine>) {
        let d = similar::TextDiff::from_lines(old, new);
        let unified = d
            .unified_diff()
            .context_radius(3)
            .header("Dockerfile", "Dockerfile.rewritten")
            .to_string();
        let lines = d.iter_all_changes().map(diff_line).collect();
        (unified, lines)
    }

    #[test]
    fn diff_equals_similar_text_diff() {
        let cases = [
            ("", ""),
            ("", "a\n"),
            ("a\n", ""),
            ("a\nb\n", "a\nb\n"),
            ("a\nb", "a\nc"),
            ("a\r\nb\r\n", "a\r\nc\r\n"),
            ("a\rb\rc", "a\rc"),
            (
                "FROM x\nRUN a\n",
                "FROM x AS build\nRUN a\nFROM y\nCOPY --from=build / /\n",
            ),
        ];
        for (old, new) in cases {
            assert_eq!(diff(old, new), text_diff(old, new), "{old:?} → {new:?}");
        }
        // Random texts over a few lines, some long enough (> 100 lines) for
        // `similar`'s integer remapping, with every kind of line end.
        let words = ["a\n", "b\n", "c\n", "d\r\n", "e", "\r", "f\n", "g\n"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for round in 0..600 {
            let max = if round % 10 == 0 { 300 } else { 20 };
            let mut texts = [String::new(), String::new()];
            for t in &mut texts {
                for _ in 0..next(max) {
                    t.push_str(words.get(next(words.len())).copied().unwrap_or("a\n"));
                }
            }
            let [old, new] = &texts;
            assert_eq!(diff(old, new), text_diff(old, new), "{old:?} → {new:?}");
        }
    }
}
