//! The façade: one call from text to everything the CLI and the web show.
//!
//! **API Boundary:** [`analyze`] and [`Analysis`] are what `cli/` and `web/`
//! use; their serialized shape is the CLI's JSON output.

use serde::Serialize;

use crate::diagnostic::{Finding, LineIndex};
use crate::model::{BuildModel, BuildOptions, EdgeKind, EdgeSource, ModelSummary};
use crate::options::AnalysisOptions;
use crate::rules::pragma::{Pragmas, Suppressed};
use crate::rules::{self, Context};
use crate::score::{self, Grade, ScoreReport};
use crate::syntax::{self, SyntaxDiagnostic};

/// The result of analysing one Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Analysis {
    pub score: u8,
    pub grade: Grade,
    /// How the score came about: points, cap, sub-scores per category.
    pub score_report: ScoreReport,
    /// Sorted by position. Findings a pragma silenced are not here.
    pub findings: Vec<Finding>,
    /// Findings silenced by a pragma, with its reason; they cost nothing.
    pub suppressed: Vec<Suppressed>,
    pub errors: Vec<SyntaxDiagnostic>,
    pub warnings: Vec<SyntaxDiagnostic>,
    pub instruction_count: usize,
    pub stage_count: usize,
    /// Stages, their resolved bases, the target and model diagnostics.
    pub model: ModelSummary,
    /// The stage graph, ready to show.
    pub graph: Vec<GraphEdge>,
}

/// One edge of the stage graph: `stage` uses `source` by `kind` at `line`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphEdge {
    pub stage: usize,
    pub kind: EdgeKind,
    /// A stage index, when the source is a stage of this file.
    pub source_stage: Option<usize>,
    /// The stage name, image or invalid reference, as text.
    pub source: String,
    pub line: usize,
}

/// Parses and checks `text` with the default options (no date: see
/// [`AnalysisOptions::today`]). Never fails and never panics.
pub fn analyze(text: &str) -> Analysis {
    analyze_with(text, &AnalysisOptions::DEFAULT)
}

/// Parses and checks `text` with `options`. Never fails and never panics.
pub fn analyze_with(text: &str, options: &AnalysisOptions) -> Analysis {
    let file = syntax::parse(text);
    let model = BuildModel::new(&file, &BuildOptions::default());
    let lines = LineIndex::new(text);
    let cx = Context::new(text, &file, &model, &lines).with_options(options);
    let all = rules::check_all(&cx);
    let (mut findings, suppressed) = Pragmas::read(&file).apply(all, |f| {
        // The instruction a finding starts in.
        let at = file
            .instructions
            .partition_point(|i| i.span.start <= f.span.start);
        at.checked_sub(1)
    });
    let score_report = score::assess(&mut findings);
    let score = score_report.score;
    let summary = model.summary();
    let graph = summary
        .edges
        .iter()
        .map(|e| {
            let (source_stage, source) = match &e.source {
                EdgeSource::Stage(i) => {
                    let name = summary.stages.get(*i).and_then(|s| s.name.clone());
                    (Some(*i), name.unwrap_or_else(|| format!("stage {i}")))
                }
                EdgeSource::Image(image) | EdgeSource::Invalid(image) => (None, image.clone()),
            };
            GraphEdge {
                stage: e.stage,
                kind: e.kind,
                source_stage,
                source,
                line: file
                    .instructions
                    .get(e.instruction)
                    .map_or(0, |i| i.start_line),
            }
        })
        .collect();
    Analysis {
        score,
        grade: score_report.grade,
        score_report,
        findings,
        suppressed,
        instruction_count: file.instructions.len(),
        stage_count: model.stages.len(),
        model: summary,
        graph,
        errors: file.errors,
        warnings: file.warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Thousands of findings on one long line each get their own column
    /// (and the analysis stays linear: see the benchmark).
    #[test]
    fn many_findings_on_one_long_line() {
        let n = 20_000;
        let text = format!(
            "FROM debian:12\nRUN {}\n",
            vec!["apt-get update"; n].join(" && ")
        );
        let a = analyze(&text);
        let updates: Vec<&Finding> = a.findings.iter().filter(|f| f.rule == "DD057").collect();
        assert_eq!(updates.len(), n);
        let last = updates.last().map(|f| (f.line, f.column));
        // "RUN " then n-1 times "apt-get update && " (18 bytes).
        assert_eq!(last, Some((2, 5 + (n - 1) * 18)));
        assert!(a.findings.iter().all(|f| f.points.as_f64() >= 0.0));
    }

    /// Exec form is one command of literal words: rules about programs see
    /// it, rules about shell syntax do not (no shell reads it).
    #[test]
    fn exec_form_runs_are_judged_as_one_literal_command() {
        let rules = |text: &str| -> Vec<&'static str> {
            analyze(text).findings.iter().map(|f| f.rule).collect()
        };
        let found = rules("FROM python:3.13-slim\nRUN [\"pip\", \"install\", \"flask\"]\nUSER 1\n");
        // No pip cache flag (DD013), no version (DD014).
        assert!(
            found.contains(&"DD013") && found.contains(&"DD014"),
            "{found:?}"
        );
        let found = rules(
            "FROM debian:12\nRUN [\"echo\", \"$HOME\", \"*\", \"$(date)\", \"a\\\\nb\"]\nUSER 1\n",
        );
        assert!(!found.iter().any(|r| r.starts_with("DD2")), "{found:?}");
    }

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
    fn the_stage_graph_names_sources_and_lines() {
        let a = analyze(
            "FROM golang:1.22 AS build\nRUN go build\nFROM scratch\nCOPY --from=build /app /app\nCOPY --from=nginx:1 /etc/x /x\n",
        );
        let edges: Vec<_> = a
            .graph
            .iter()
            .map(|e| (e.stage, e.source.as_str(), e.source_stage, e.line))
            .collect();
        assert_eq!(edges, [(1, "build", Some(0), 4), (1, "nginx:1", None, 5)]);
        assert_eq!(a.model.target, Some(1));
    }

    #[test]
    fn findings_carry_positions() {
        let a = analyze("FROM node\nMAINTAINER me\n");
        let found: Vec<_> = a
            .findings
            .iter()
            .map(|f| (f.rule, f.line, f.column))
            .collect();
        assert_eq!(
            found,
            [
                ("DD002", 1, 1),
                ("DD111", 1, 1),
                ("DD001", 1, 6),
                ("DD003", 2, 1)
            ]
        );
        // High 10 + low 1.5 + medium 4 + info 0 points: 100 × e^(−0.155) = 85.6.
        assert_eq!(a.score, 86);
        assert_eq!(a.grade, Grade::Good);
    }
}
