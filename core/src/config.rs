//! User configuration applied to an analysis: rules to ignore and severities
//! to override. Pure data and a pure function, so the CLI (which reads
//! `.drydock.yaml` / `.hadolint.yaml`) and the web app's settings panel
//! share it. No file formats here: callers map theirs into [`Config`].
//!
//! A rule is named by its drydock id (`DD002`), its name (`runs-as-root`)
//! or a peer id the rule covers (`DL3002`, `CKV_DOCKER_3`), all
//! case-insensitively — as in pragmas.

use crate::analysis::Analysis;
use crate::diagnostic::{Finding, Points, Severity};
use crate::report::CONFIG_PRAGMA;
use crate::rules::{self, pragma::Suppressed};
use crate::score;

/// What a user configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Rules whose findings are silenced (reported apart, costing nothing).
    pub ignored: Vec<String>,
    /// `(rule, severity)`: findings of the rule get this severity. When
    /// several name the same finding, the last one wins.
    pub overrides: Vec<(String, Severity)>,
    /// Registries base images may come from (`docker.io`, `*.gcr.io`, `*`).
    /// The rules need them while they run, so callers pass them on in
    /// [`crate::AnalysisOptions::trusted_registries`]; [`Config::apply`]
    /// does not read them.
    pub trusted_registries: Vec<String>,
}

impl Config {
    /// Does the configuration change any analysis?
    pub fn is_empty(&self) -> bool {
        self.ignored.is_empty() && self.overrides.is_empty()
    }

    /// `analysis` with the overrides applied, ignored findings moved to
    /// `suppressed` (pragma text [`CONFIG_PRAGMA`]), and the score and grade
    /// recomputed from what stands.
    pub fn apply(&self, mut analysis: Analysis) -> Analysis {
        if self.is_empty() {
            return analysis;
        }
        let mut findings = Vec::with_capacity(analysis.findings.len());
        for mut finding in std::mem::take(&mut analysis.findings) {
            self.override_severity(&mut finding);
            if self.ignored.iter().any(|item| names(item, &finding)) {
                // Silenced findings cost nothing.
                finding.points = Points::ZERO;
                analysis.suppressed.push(Suppressed {
                    finding,
                    pragma: CONFIG_PRAGMA.to_string(),
                    pragma_line: 0,
                    reason: None,
                });
            } else {
                findings.push(finding);
            }
        }
        for s in &mut analysis.suppressed {
            self.override_severity(&mut s.finding);
        }
        let report = score::assess(&mut findings);
        analysis.score = report.score;
        analysis.grade = report.grade;
        analysis.score_report = report;
        analysis.findings = findings;
        analysis
    }

    fn override_severity(&self, finding: &mut Finding) {
        if let Some((_, severity)) = self
            .overrides
            .iter()
            .rev()
            .find(|(item, _)| names(item, finding))
        {
            finding.severity = *severity;
        }
    }

    /// Items that look like drydock ids (`DD…`) or rule names (lower-case
    /// kebab) but name no rule: likely typos. Peer ids drydock does not
    /// cover are not listed (a `.hadolint.yaml` names many).
    pub fn unknown_rules(&self) -> Vec<&str> {
        self.ignored
            .iter()
            .chain(self.overrides.iter().map(|(item, _)| item))
            .map(String::as_str)
            .filter(|item| looks_like_drydock(item) && rules::lookup(item).is_none())
            .collect()
    }
}

fn looks_like_drydock(item: &str) -> bool {
    let id = item.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("DD"))
        && item.len() > 2
        && item.bytes().skip(2).all(|b| b.is_ascii_digit());
    let name = item.contains('-')
        && item
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit());
    id || name
}

/// Does `item` name `finding`'s rule: its id, its name, or a peer id the
/// rule covers (as in pragmas)?
fn names(item: &str, finding: &Finding) -> bool {
    let item = item.trim();
    let meta = rules::lookup(finding.rule).map(|r| r.meta());
    finding.rule.eq_ignore_ascii_case(item)
        || meta.is_some_and(|m| m.name.eq_ignore_ascii_case(item))
        || meta.is_some_and(|m| m.aliases.iter().any(|a| a.eq_ignore_ascii_case(item)))
        || finding.aliases.iter().any(|a| a.eq_ignore_ascii_case(item))
}

/// hadolint's levels as drydock severities: `error` → high, `warning` →
/// medium, `info` → low, `style` → info. hadolint has nothing above
/// `error`, so no hadolint level maps to critical.
pub fn severity_of_hadolint_level(level: &str) -> Option<Severity> {
    match level.trim().to_ascii_lowercase().as_str() {
        "error" => Some(Severity::High),
        "warning" => Some(Severity::Medium),
        "info" => Some(Severity::Low),
        "style" => Some(Severity::Info),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze;

    /// DD002 (high), DD001 (medium), DD003 (info); the HEALTHCHECK keeps
    /// DD111 out so the tests stay about the config.
    const TEXT: &str = "FROM node\nMAINTAINER me\nHEALTHCHECK NONE\n";

    fn rules_of(a: &Analysis) -> Vec<(&'static str, Severity)> {
        a.findings.iter().map(|f| (f.rule, f.severity)).collect()
    }

    #[test]
    fn empty_config_changes_nothing() {
        let a = analyze(TEXT);
        assert_eq!(Config::default().apply(a.clone()), a);
    }

    #[test]
    fn ignoring_by_id_name_or_peer_id_moves_findings_and_rescores() {
        for item in ["DD002", "runs-as-root", "dl3002", "CKV_DOCKER_3"] {
            let config = Config {
                ignored: vec![item.to_string()],
                ..Config::default()
            };
            let a = config.apply(analyze(TEXT));
            assert_eq!(
                rules_of(&a),
                [("DD001", Severity::Medium), ("DD003", Severity::Info)],
                "{item}"
            );
            assert_eq!(a.suppressed.len(), 1);
            let s = a
                .suppressed
                .first()
                .map(|s| (s.finding.rule, s.pragma.as_str()));
            assert_eq!(s, Some(("DD002", CONFIG_PRAGMA)));
            // Re-scored from what stands; silenced findings cost nothing.
            let before = analyze(TEXT);
            assert!(a.score > before.score);
            assert_eq!(a.score, score::assess(&mut a.findings.clone()).score);
            assert_eq!(a.grade, a.score_report.grade);
            assert_eq!(
                a.suppressed.iter().map(|s| s.finding.points).max(),
                Some(Points::ZERO)
            );
        }
    }

    #[test]
    fn overrides_relevel_and_the_last_wins() {
        let config = Config {
            overrides: vec![
                ("DD003".into(), Severity::Low),
                ("DL4000".into(), Severity::Critical),
                ("base-image-unpinned".into(), Severity::Info),
            ],
            ..Config::default()
        };
        let a = config.apply(analyze(TEXT));
        assert_eq!(
            rules_of(&a),
            [
                ("DD002", Severity::High),
                ("DD001", Severity::Info),
                ("DD003", Severity::Critical)
            ]
        );
        // A critical finding caps the score.
        assert_eq!(a.score_report.capped_by, Some("DD003"));
        assert!(a.score <= score::CRITICAL_CAP);
    }

    #[test]
    fn overrides_apply_to_silenced_findings_too_and_score_stays_monotone() {
        let text = "# drydock ignore=DD003 -- legacy\nMAINTAINER me\nFROM node\n";
        let config = Config {
            overrides: vec![("DD003".into(), Severity::High)],
            ignored: vec!["DD001".into()],
            ..Config::default()
        };
        let before = analyze(text);
        let a = config.apply(before.clone());
        let silenced: Vec<_> = a
            .suppressed
            .iter()
            .map(|s| (s.finding.rule, s.finding.severity, s.pragma.as_str()))
            .collect();
        assert_eq!(
            silenced,
            [
                ("DD003", Severity::High, "drydock ignore=DD003 -- legacy"),
                ("DD001", Severity::Medium, CONFIG_PRAGMA)
            ]
        );
        // Ignoring a finding never lowers the score.
        assert!(a.score >= before.score);
    }

    #[test]
    fn unknown_drydock_names_are_reported_peer_ids_are_not() {
        let config = Config {
            ignored: vec![
                "DD999".into(),
                "runs-as-rot".into(),
                "DL3008".into(),
                "SC2086".into(),
                "DD001".into(),
            ],
            overrides: vec![("dd998".into(), Severity::Low)],
            ..Config::default()
        };
        assert_eq!(config.unknown_rules(), ["DD999", "runs-as-rot", "dd998"]);
    }

    #[test]
    fn hadolint_levels() {
        assert_eq!(severity_of_hadolint_level("error"), Some(Severity::High));
        assert_eq!(
            severity_of_hadolint_level("Warning"),
            Some(Severity::Medium)
        );
        assert_eq!(severity_of_hadolint_level("info"), Some(Severity::Low));
        assert_eq!(severity_of_hadolint_level("style"), Some(Severity::Info));
        assert_eq!(severity_of_hadolint_level("none"), None);
    }
}
