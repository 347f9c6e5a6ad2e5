//! The security score: 0–100 with a band and a sub-score per category.
//!
//! # The model
//!
//! 1. Every finding has a **cost** in points by its severity: critical 25,
//!    high 10, medium 4, low 1.5, info 0.
//! 2. **Repeats weigh less.** The k-th finding of the same rule costs
//!    1/k of the first: ten unpinned packages are one habit, not ten
//!    problems. A rule found n times costs `cost × (1 + 1/2 + … + 1/n)`.
//! 3. The points `P` add up, and the **score is `100 × e^(−P/100)`**,
//!    rounded: the first points matter most, the score never goes below 0,
//!    and every point lost still shows.
//! 4. **Caps.** A critical finding (a hard-coded secret among them) caps the
//!    score at 35, in the POOR band, however clean the rest is.
//! 5. **Bands** (DockSec's, so results compare): ≥ 90 EXCELLENT, ≥ 70 GOOD,
//!    ≥ 50 FAIR, else POOR.
//!
//! Each finding shows the points it costs: how much the score rises when
//! that finding alone is fixed. Sub-scores apply step 3 to the points of
//! one category.
//!
//! **Invariant:** deterministic and monotone: removing any finding never
//! lowers the score (P shrinks and caps can only lift).
//!
//! # Worked examples
//!
//! ```
//! use drydock_core::analyze;
//! let pinned = "FROM alpine:3.22@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1";
//! // No findings: 100.
//! let clean = format!("{pinned}\nUSER 65532\nHEALTHCHECK CMD [\"/app\", \"health\"]\n");
//! assert_eq!(analyze(&clean).score, 100);
//! // One high finding (runs as root): 100 × e^(−10/100) = 90.5 → 90.
//! let a = analyze(&format!("{pinned}\nHEALTHCHECK NONE\n"));
//! assert_eq!((a.score, a.grade.as_str()), (90, "EXCELLENT"));
//! // Fixing it would give back 100 − 90.48… = 9.5 points.
//! assert_eq!(a.findings[0].points.to_string(), "9.5");
//! // High (root, 10) + medium (no tag, 4) + low (no HEALTHCHECK, 1.5) +
//! // info (MAINTAINER, 0): 100 × e^(−0.155) = 85.6 → 86.
//! assert_eq!(analyze("FROM node\nMAINTAINER me\n").score, 86);
//! //! ```

use serde::Serialize;

use crate::diagnostic::{Category, Finding, Points, Severity};

/// The band a score falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Grade {
    Poor,
    Fair,
    Good,
    Excellent,
}

impl Grade {
    pub fn of(score: u8) -> Grade {
        match score {
            90.. => Grade::Excellent,
            70..=89 => Grade::Good,
            50..=69 => Grade::Fair,
            _ => Grade::Poor,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Poor => "POOR",
            Grade::Fair => "FAIR",
            Grade::Good => "GOOD",
            Grade::Excellent => "EXCELLENT",
        }
    }
}

/// Points the first finding of a rule of this severity costs.
pub fn cost(severity: Severity) -> f64 {
    match severity {
        Severity::Critical => 25.0,
        Severity::High => 10.0,
        Severity::Medium => 4.0,
        Severity::Low => 1.5,
        Severity::Info => 0.0,
    }
}

/// The highest score a file with a critical finding can have.
pub const CRITICAL_CAP: u8 = 35;

/// How fast points bring the score down: `100 × e^(−P/SCALE)`.
pub const SCALE: f64 = 100.0;

/// A category's sub-score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryScore {
    pub category: Category,
    pub score: u8,
    /// The points its findings cost.
    pub points: Points,
    pub findings: usize,
}

/// The score and how it came about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreReport {
    pub score: u8,
    pub grade: Grade,
    /// All points, before the curve.
    pub points: Points,
    /// The score the points alone give, before a cap.
    pub uncapped: u8,
    /// Why the score is capped, if it is: the rule of the first critical finding.
    pub capped_by: Option<&'static str>,
    /// Every category, in [`Category::ALL`] order.
    pub categories: Vec<CategoryScore>,
}

fn curve(points: f64) -> f64 {
    100.0 * (-points / SCALE).exp()
}

fn capped(points: f64, criticals: usize) -> f64 {
    let s = curve(points);
    if criticals > 0 {
        s.min(f64::from(CRITICAL_CAP))
    } else {
        s
    }
}

fn to_score(value: f64) -> u8 {
    // In 0..=100 by construction.
    value.round().clamp(0.0, 100.0) as u8
}

/// Scores `findings` and sets each one's `points`.
pub fn assess(findings: &mut [Finding]) -> ScoreReport {
    // How often each rule was found at each severity: the k-th costs 1/k.
    // (A rule has one severity unless a config overrides it; counting per
    // severity keeps the score monotone either way.)
    let mut counts: Vec<((&'static str, Severity), usize)> = Vec::new();
    for f in findings.iter() {
        match counts.iter_mut().find(|(k, _)| *k == (f.rule, f.severity)) {
            Some((_, n)) => *n += 1,
            None => counts.push(((f.rule, f.severity), 1)),
        }
    }
    // Per group: n and the harmonic number H(n) = 1 + 1/2 + … + 1/n,
    // computed once (not per finding: thousands of findings of one rule
    // must not cost a quadratic time).
    let groups: Vec<((&'static str, Severity), f64, f64)> = counts
        .iter()
        .map(|&(key, n)| {
            let harmonic = (1..=n).map(|k| 1.0 / k as f64).sum::<f64>();
            (key, n as f64, harmonic)
        })
        .collect();
    let group_of = |f: &Finding| {
        let key = (f.rule, f.severity);
        groups
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or((1.0, 1.0), |g| (g.1, g.2))
    };
    // Every finding of a group carries an equal share of the group's cost,
    // and fixing one takes the last term off: cost / n.
    let share = |f: &Finding| {
        let (n, harmonic) = group_of(f);
        cost(f.severity) * harmonic / n
    };
    let marginal = |f: &Finding| cost(f.severity) / group_of(f).0;

    let total: f64 = findings.iter().map(share).sum();
    let criticals = findings
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .count();
    let exact = capped(total, criticals);
    for f in findings.iter_mut() {
        let without = capped(
            total - marginal(f),
            criticals - usize::from(f.severity == Severity::Critical),
        );
        f.points = Points::from_f64(without - exact);
    }
    let categories = Category::ALL
        .into_iter()
        .map(|category| {
            let mine = findings.iter().filter(|f| f.category == category);
            let points: f64 = mine.clone().map(share).sum();
            CategoryScore {
                category,
                score: to_score(curve(points)),
                points: Points::from_f64(points),
                findings: mine.count(),
            }
        })
        .collect();
    let score = to_score(exact);
    ScoreReport {
        score,
        grade: Grade::of(score),
        points: Points::from_f64(total),
        uncapped: to_score(curve(total)),
        capped_by: findings
            .iter()
            .find(|f| f.severity == Severity::Critical)
            .map(|f| f.rule),
        categories,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;

    fn finding(rule: &'static str, severity: Severity, category: Category) -> Finding {
        Finding {
            rule,
            severity,
            span: Span::default(),
            line: 1,
            end_line: 1,
            column: 1,
            message: String::new(),
            aliases: &[],
            category,
            points: Points::ZERO,
            fix: None,
        }
    }

    #[test]
    fn bands() {
        assert_eq!(Grade::of(100), Grade::Excellent);
        assert_eq!(Grade::of(90), Grade::Excellent);
        assert_eq!(Grade::of(89), Grade::Good);
        assert_eq!(Grade::of(70), Grade::Good);
        assert_eq!(Grade::of(69), Grade::Fair);
        assert_eq!(Grade::of(50), Grade::Fair);
        assert_eq!(Grade::of(49), Grade::Poor);
        assert_eq!(Grade::of(0), Grade::Poor);
    }

    #[test]
    fn repeats_weigh_less_and_categories_score_apart() {
        let mut one = [finding("A", Severity::Medium, Category::SupplyChain)];
        let mut three = [
            finding("A", Severity::Medium, Category::SupplyChain),
            finding("A", Severity::Medium, Category::SupplyChain),
            finding("A", Severity::Medium, Category::SupplyChain),
        ];
        let r1 = assess(&mut one);
        let r3 = assess(&mut three);
        // 4 points; 4 × (1 + 1/2 + 1/3) = 7.3 points.
        assert_eq!((r1.points.to_string(), r1.score), ("4.0".into(), 96));
        assert_eq!((r3.points.to_string(), r3.score), ("7.3".into(), 93));
        // Fixing one of three gives back the last term, 4/3 points on the curve.
        assert!(three.iter().all(|f| f.points == three[0].points));
        let supply = r3
            .categories
            .iter()
            .find(|c| c.category == Category::SupplyChain)
            .unwrap();
        assert_eq!((supply.score, supply.findings), (93, 3));
        let security = r3
            .categories
            .iter()
            .find(|c| c.category == Category::Security)
            .unwrap();
        assert_eq!((security.score, security.findings), (100, 0));
    }

    #[test]
    fn a_critical_finding_caps_the_score() {
        let mut f = [
            finding("S", Severity::Critical, Category::Security),
            finding("L", Severity::Low, Category::Style),
        ];
        let r = assess(&mut f);
        assert_eq!((r.score, r.uncapped, r.capped_by), (35, 77, Some("S")));
        // Fixing the secret lifts the cap: 35 → 98.5.
        assert_eq!(f[0].points.to_string(), "63.5");
        // Fixing the low one alone changes nothing while the cap holds.
        assert_eq!(f[1].points, Points::ZERO);
    }

    /// Removing any finding never lowers the score, over many random sets.
    #[test]
    fn monotone() {
        let rules = ["A", "B", "C", "D"];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..2000 {
            let n = (next() % 12) as usize;
            let set: Vec<Finding> = (0..n)
                .map(|_| {
                    let sev = Severity::ALL[(next() % 5) as usize];
                    let rule = rules[(next() % 4) as usize];
                    finding(rule, sev, Category::ALL[(next() % 6) as usize])
                })
                .collect();
            let full = assess(&mut set.clone()).score;
            for skip in 0..set.len() {
                let mut fewer: Vec<Finding> = set.clone();
                fewer.remove(skip);
                assert!(assess(&mut fewer).score >= full, "{set:?} without {skip}");
            }
        }
    }
}
