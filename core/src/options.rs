//! What an analysis is told besides the Dockerfile's text.
//!
//! **Architecture Invariant:** the core reads no clock. Anything that depends
//! on the day (end-of-life verdicts) takes the date from here; the CLI passes
//! the system clock (overridable with `--today`), the web app the browser's.

use serde::Serialize;

use crate::eol::Date;

/// Options of [`crate::analyze_with`]. The default is what
/// [`crate::analyze`] uses: no date.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct AnalysisOptions {
    /// Today's date, for judgements that depend on it.
    ///
    /// `None` (no clock available, or reproducible output wanted): only
    /// verdicts that are already certain on the end-of-life data's own date
    /// ([`crate::eol::AS_OF`]) are given — a cycle that had ended by then is
    /// end of life on any later day too; "ends soon" warnings, which need
    /// the real date, are not given.
    pub today: Option<Date>,
    /// The registries base images may come from (`docker.io`, `*.gcr.io`,
    /// `*`), as configured (`trustedRegistries`). Empty, the default: no
    /// policy, every registry is accepted.
    pub trusted_registries: Vec<String>,
}

impl AnalysisOptions {
    /// The default options: no date.
    pub const DEFAULT: AnalysisOptions = AnalysisOptions {
        today: None,
        trusted_registries: Vec::new(),
    };

    /// Sets the registries base images may come from.
    #[must_use]
    pub fn with_trusted_registries(mut self, registries: Vec<String>) -> Self {
        self.trusted_registries = registries;
        self
    }

    /// Sets today's date.
    #[must_use]
    pub fn with_today(mut self, today: Date) -> Self {
        self.today = Some(today);
        self
    }
}
