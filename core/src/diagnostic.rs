//! Positions and findings: the types every analysis reports in.

use serde::Serialize;

/// A half-open byte range `start..end` into the analysed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
}

/// A 1-based line and a 1-based column counted in Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets to line/column. Built once per text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset at which each line starts; always begins with 0.
    line_starts: Vec<usize>,
    /// For each block of [`BLOCK`] bytes, the UTF-8 continuation bytes
    /// before it: a column costs at most one block's scan, however long
    /// the line (a finding on a 1 MB line must not count a megabyte).
    continuation_before_block: Vec<usize>,
}

/// Block size of [`LineIndex::continuation_before_block`].
const BLOCK: usize = 64;

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut continuation_before_block = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut seen = 0;
        for chunk in text.as_bytes().chunks(BLOCK) {
            continuation_before_block.push(seen);
            seen += chunk.iter().filter(|b| is_continuation(**b)).count();
        }
        continuation_before_block.push(seen);
        Self {
            line_starts,
            continuation_before_block,
        }
    }

    /// UTF-8 continuation bytes in `text[..at]`.
    fn continuation_before(&self, text: &str, at: usize) -> usize {
        let block = at / BLOCK;
        let base = self
            .continuation_before_block
            .get(block)
            .copied()
            .unwrap_or(0);
        let rest = text
            .as_bytes()
            .get(block.saturating_mul(BLOCK)..at)
            .map_or(0, |s| s.iter().filter(|b| is_continuation(**b)).count());
        base + rest
    }

    /// The position of byte `offset` (clamped to the text; an offset inside a
    /// multi-byte character counts as that character).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        // The characters that start in `start..offset`: its bytes but the
        // continuation bytes.
        let continuation = self
            .continuation_before(text, offset)
            .saturating_sub(self.continuation_before(text, start));
        let column = offset.saturating_sub(start).saturating_sub(continuation);
        Position {
            line,
            column: column + 1,
        }
    }

    /// Byte offset where 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        line.checked_sub(1)
            .and_then(|i| self.line_starts.get(i).copied())
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// How bad a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a severity name, case-insensitively.
    pub fn parse(name: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule is about; the score has a sub-score per category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Security,
    SupplyChain,
    Efficiency,
    Reliability,
    Maintainability,
    Style,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Security,
        Category::SupplyChain,
        Category::Efficiency,
        Category::Reliability,
        Category::Maintainability,
        Category::Style,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::SupplyChain => "supply-chain",
            Category::Efficiency => "efficiency",
            Category::Reliability => "reliability",
            Category::Maintainability => "maintainability",
            Category::Style => "style",
        }
    }
}

/// Score points, kept in tenths so that findings compare exactly; shown and
/// serialized as a decimal (`12.5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(u32);

impl Points {
    pub const ZERO: Points = Points(0);

    /// Rounds `value` to the nearest tenth (negative values count as zero).
    pub fn from_f64(value: f64) -> Points {
        let tenths = (value * 10.0).round();
        if tenths.is_finite() && tenths > 0.0 {
            // In range: scores are at most 100.
            Points(tenths.min(f64::from(u32::MAX)) as u32)
        } else {
            Points(0)
        }
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl std::fmt::Display for Points {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

impl Serialize for Points {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

/// One text edit: replace `span` with `content`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

/// Whether a fix may be applied without a human looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps what the Dockerfile means: apply freely.
    Safe,
    /// Changes behaviour (a new tag, a new user): review first.
    Unsafe,
    /// Shown as a suggestion only.
    DisplayOnly,
}

impl Applicability {
    /// The name used in JSON and SARIF: `safe`, `unsafe`, `display-only`.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// A suggested fix: edits that apply together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    /// `text` with the edits applied; see [`apply_edits`].
    pub fn apply(&self, text: &str) -> Option<String> {
        apply_edits(text, &self.edits)
    }
}

/// `text` with `edits` applied together (each span refers to the original
/// text), or `None` when an edit falls outside the text, off a character
/// boundary, or overlaps another.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        if e.span.start < at || e.span.end < e.span.start {
            return None;
        }
        out.push_str(text.get(at..e.span.start)?);
        text.get(e.span.start..e.span.end)?;
        out.push_str(&e.content);
        at = e.span.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// One problem found by a rule, located in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable drydock rule id, e.g. `DD001`.
    pub rule: &'static str,
    pub severity: Severity,
    pub span: Span,
    pub line: usize,
    pub end_line: usize,
    pub column: usize,
    pub message: String,
    /// Ids of peer tools' rules this finding also answers for (DL…, DS…, CKV…).
    pub aliases: &'static [&'static str],
    pub category: Category,
    /// What the finding costs: how much the score rises when it alone is
    /// fixed (see [`crate::score`]). Set by the score, zero before.
    pub points: Points,
    pub fix: Option<Fix>,
}

impl Finding {
    /// The finding with a suggested fix.
    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_chars() {
        let text = "ab\nçd\n\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 3), Position { line: 2, column: 1 });
        // 'd' follows the two-byte 'ç'.
        assert_eq!(index.position(text, 5), Position { line: 2, column: 2 });
        assert_eq!(index.position(text, 7), Position { line: 3, column: 1 });
        assert_eq!(index.position(text, 999), Position { line: 4, column: 2 });
        assert_eq!(index.line_start(4), Some(8));
        assert_eq!(index.line_start(0), None);
        assert_eq!(index.line_count(), 4);
    }

    /// The block index gives the same columns as counting characters from
    /// the line start, on long mixed lines and at every offset (inside
    /// multi-byte characters too).
    #[test]
    fn columns_match_a_plain_character_count() {
        let line: String = (0..300)
            .map(|i| ["a", "ç", "€", "😀", "\n"][i % 7 % 5])
            .collect();
        let text = format!("{line}{line}xyz");
        let index = LineIndex::new(&text);
        for offset in 0..=text.len() + 2 {
            let clamped = offset.min(text.len());
            let start = text.as_bytes()[..clamped]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let expected = text[start..]
                .char_indices()
                .take_while(|(i, _)| start + i < clamped)
                .count()
                + 1;
            assert_eq!(index.position(&text, offset).column, expected, "{offset}");
        }
    }

    #[test]
    fn fixes_apply_in_order_and_refuse_bad_edits() {
        let edit = |start, end, content: &str| Edit {
            span: Span::new(start, end),
            content: content.into(),
        };
        let fix = |edits| Fix {
            description: String::new(),
            edits,
            applicability: Applicability::Safe,
        };
        let text = "RUN apk add curl";
        assert_eq!(
            fix(vec![edit(16, 16, " jq"), edit(11, 11, " --no-cache")])
                .apply(text)
                .as_deref(),
            Some("RUN apk add --no-cache curl jq")
        );
        assert_eq!(
            fix(vec![edit(0, 3, "run")]).apply(text).as_deref(),
            Some("run apk add curl")
        );
        // Overlapping, out of range, inside a character: refused.
        assert_eq!(
            fix(vec![edit(0, 5, "x"), edit(3, 6, "y")]).apply(text),
            None
        );
        assert_eq!(fix(vec![edit(10, 99, "x")]).apply(text), None);
        assert_eq!(fix(vec![edit(1, 1, "x")]).apply("é"), None);
    }

    #[test]
    fn points_keep_tenths() {
        assert_eq!(Points::from_f64(12.345).to_string(), "12.3");
        assert_eq!(Points::from_f64(0.05).to_string(), "0.1");
        assert_eq!(Points::from_f64(-3.0), Points::ZERO);
        assert_eq!(Points::from_f64(f64::NAN), Points::ZERO);
        assert_eq!(Points::from_f64(7.0).as_f64(), 7.0);
    }

    #[test]
    fn severity_names_round_trip() {
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.as_str()), Some(s));
        }
        assert_eq!(Severity::parse("HIGH"), Some(Severity::High));
        assert_eq!(Severity::parse("urgent"), None);
        assert!(Severity::Critical > Severity::Info);
    }
}
