//! The security score: 0–100 with a band.
//!
//! Provisional model (the rules issue replaces it with the documented one):
//! start at 100 and take off a fixed cost per finding by severity. It is
//! deterministic and monotone: removing a finding never lowers the score.

use serde::Serialize;

use crate::diagnostic::{Finding, Severity};

/// The band a score falls in (DockSec's bands, so results compare).
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

/// Points a finding of this severity costs.
pub fn cost(severity: Severity) -> u32 {
    match severity {
        Severity::Critical => 40,
        Severity::High => 20,
        Severity::Medium => 8,
        Severity::Low => 3,
        Severity::Info => 1,
    }
}

/// The score of a set of findings.
pub fn score(findings: &[Finding]) -> u8 {
    let lost: u32 = findings.iter().map(|f| cost(f.severity)).sum();
    u8::try_from(100u32.saturating_sub(lost)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
