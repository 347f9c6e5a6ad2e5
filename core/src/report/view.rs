//! What the renderers read from a finding, in one place: when `Finding`
//! gains a field, only its accessor here changes.

use crate::diagnostic::{Category, Finding, Fix, Points};
use crate::rules::{self, RuleMeta};

/// The facts about a finding that reports show beyond its position.
pub trait FindingView {
    /// The rule's metadata, when the id is in the registry.
    fn meta(&self) -> Option<&'static RuleMeta>;
    /// What the finding is about.
    fn category(&self) -> Category;
    /// What the finding costs in the score: how much the score rises when it
    /// alone is fixed. Silenced findings cost nothing.
    fn points(&self) -> Points;
    /// A suggested fix, if the rule has one.
    fn fix(&self) -> Option<&Fix>;
}

impl FindingView for Finding {
    fn meta(&self) -> Option<&'static RuleMeta> {
        rules::lookup(self.rule).map(|r| r.meta())
    }

    fn category(&self) -> Category {
        self.category
    }

    fn points(&self) -> Points {
        self.points
    }

    fn fix(&self) -> Option<&Fix> {
        self.fix.as_ref()
    }
}
