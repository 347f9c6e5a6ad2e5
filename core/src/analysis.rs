//! The façade: one call from text to everything the CLI and the web show.
//!
//! **API Boundary:** [`analyze`] and [`Analysis`] are what `cli/` and `web/`
//! use; their serialized shape is the CLI's JSON output.

use serde::Serialize;

use crate::diagnostic::{Finding, LineIndex};
use crate::model::{BuildModel, BuildOptions};
use crate::rules::{self, Context};
use crate::score::{self, Grade};
use crate::syntax::{self, SyntaxDiagnostic};

/// The result of analysing one Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Analysis {
    pub score: u8,
    pub grade: Grade,
    /// Sorted by position.
    pub findings: Vec<Finding>,
    pub errors: Vec<SyntaxDiagnostic>,
    pub warnings: Vec<SyntaxDiagnostic>,
    pub instruction_count: usize,
    pub stage_count: usize,
}

/// Parses and checks `text`. Never fails and never panics.
pub fn analyze(text: &str) -> Analysis {
    let file = syntax::parse(text);
    let model = BuildModel::new(&file, &BuildOptions::default());
    let lines = LineIndex::new(text);
    let findings = rules::check_all(&Context::new(text, &file, &model, &lines));
    let score = score::score(&findings);
    Analysis {
        score,
        grade: Grade::of(score),
        findings,
        instruction_count: file.instructions.len(),
        stage_count: model.stages.len(),
        errors: file.errors,
        warnings: file.warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_garbage_input_give_a_result() {
        for text in [
            "",
            "\n\n",
            "\\",
            "FROM",
            "\u{feff}# x",
            "FROM [\"\n",
            "\0\u{1}\u{7f}",
        ] {
            let a = analyze(text);
            assert!(a.score <= 100);
        }
    }

    #[test]
    fn findings_carry_positions() {
        let a = analyze("FROM node\nMAINTAINER me\n");
        let found: Vec<_> = a
            .findings
            .iter()
            .map(|f| (f.rule, f.line, f.column))
            .collect();
        assert_eq!(found, [("DD002", 1, 1), ("DD001", 1, 6), ("DD003", 2, 1)]);
        assert_eq!(a.score, 100 - 8 - 20 - 1);
        assert_eq!(a.grade, Grade::Good);
    }
}
