//! What several test files share.

use drydock_core::AnalysisOptions;
use drydock_core::eol::Date;

/// Options with a fixed day, so end-of-life verdicts (and the scores and
/// rewrites that depend on them) do not drift with the calendar.
pub fn options() -> AnalysisOptions {
    AnalysisOptions {
        today: Date::parse("2026-11-27"),
        ..AnalysisOptions::default()
    }
}
