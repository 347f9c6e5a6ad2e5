//! Building the fixes rules offer ([`Fix`]: edits with byte spans plus an
//! applicability). A rule offers a fix only where the edit is certain: each
//! helper here returns `None` when the text does not map onto the file
//! verbatim, and the rewrites that re-quote text check their result with the
//! parser and the word expander before they are offered.

use crate::diagnostic::{Applicability, Edit, Fix, Span};
use crate::rules::Context;
use crate::rules::command_line::Run;
use crate::syntax::expand::Lexer;
use crate::syntax::shell::Word;
use crate::syntax::{Instruction, parse};

/// A fix of one or more edits.
pub fn fix(description: &str, applicability: Applicability, edits: Vec<Edit>) -> Fix {
    Fix {
        description: description.to_string(),
        edits,
        applicability,
    }
}

/// Replace `span` with `content`.
pub fn replace(span: Span, content: &str) -> Edit {
    Edit {
        span,
        content: content.to_string(),
    }
}

/// Insert `content` at byte `at`.
pub fn insert(at: usize, content: &str) -> Edit {
    replace(Span::new(at, at), content)
}

/// Insert `content` right after `word` of a RUN, when the word is verbatim
/// text of the file (not rebuilt, not split by a continuation).
pub fn insert_after(cx: &Context<'_>, run: &Run<'_>, word: &Word, content: &str) -> Option<Edit> {
    let span = run.info.file_span(run.inst, word.span)?;
    (cx.text.get(span.start..span.end) == Some(word.raw.as_str()))
        .then(|| insert(span.end, content))
}

/// Whether `span` of the text is exactly `expected`.
pub fn text_is(cx: &Context<'_>, span: Span, expected: &str) -> bool {
    cx.text.get(span.start..span.end) == Some(expected)
}

/// `value` in double quotes for an ENV/LABEL value: `"`, `$` and the escape
/// token are escaped, so that the expanded word is `value` itself.
pub fn double_quoted(value: &str, escape: char) -> String {
    let mut out = String::with_capacity(value.len().saturating_add(2));
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '$' || c == escape {
            out.push(escape);
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Parses `line` as the only instruction of a file with escape token
/// `escape`; `None` when it does not parse cleanly to one instruction.
pub fn parse_one(line: &str, escape: char) -> Option<Instruction> {
    let text = format!("# escape={escape}\n{line}\n");
    let file = parse(&text);
    if !file.errors.is_empty() || file.instructions.len() != 1 {
        return None;
    }
    file.instructions.into_iter().next()
}

/// What BuildKit makes of an ENV/LABEL word (quotes removed, escapes and
/// variables processed), with no variables set.
pub fn expanded(word: &str, escape: char) -> Option<String> {
    let empty: [(&str, &str); 0] = [];
    Lexer::new(escape)
        .process_word(word, &empty)
        .ok()
        .map(|e| e.value)
}

/// Applies `edits` to `text`: they must not overlap; applied from the end.
/// `None` when an edit is out of bounds, off a character boundary or
/// overlaps another.
pub fn apply(text: &str, edits: &[Edit]) -> Option<String> {
    crate::diagnostic::apply_edits(text, edits)
}

/// Helpers for the rules' fix tests.
#[cfg(test)]
pub(crate) mod check {
    use crate::analyze;
    use crate::diagnostic::{Applicability, Edit};

    /// One offered fix: its edits as `(replaced text, new text)`, its
    /// applicability and the fixed text.
    pub type Offered = (Vec<(String, String)>, Applicability, String);

    /// Each fix offered by a finding of `rule` in `text`.
    pub fn fixes(rule: &str, text: &str) -> Vec<Offered> {
        analyze(text)
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .filter_map(|f| f.fix.as_ref())
            .map(|fix| {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e: &Edit| {
                        (
                            text.get(e.span.start..e.span.end)
                                .unwrap_or("<bad span>")
                                .to_string(),
                            e.content.clone(),
                        )
                    })
                    .collect();
                let fixed = super::apply(text, &fix.edits).unwrap_or_default();
                (edits, fix.applicability, fixed)
            })
            .collect()
    }

    /// The text after applying the one fix of `rule` in `text`, and its
    /// applicability; `None` when there is no fix or more than one.
    pub fn fixed(rule: &str, text: &str) -> Option<(String, Applicability)> {
        let mut all = fixes(rule, text);
        if all.len() != 1 {
            return None;
        }
        all.pop().map(|(_, a, t)| (t, a))
    }
}
