//! What the renderers read from a finding, in one place: when `Finding`
//! gains a field (category, points, fix), only its accessor here changes.

use crate::diagnostic::Finding;
use crate::rules::{self, Category, RuleMeta};
use crate::score;

/// The facts about a finding that reports show beyond its position.
pub trait FindingView {
    /// The rule's metadata, when the id is in the registry.
    fn meta(&self) -> Option<&'static RuleMeta>;
    /// What the finding is about.
    fn category(&self) -> Option<Category>;
    /// What the finding costs in the score (silenced findings cost nothing,
    /// which the caller knows; this is what it costs when it stands).
    fn points(&self) -> u32;
}

impl FindingView for Finding {
    fn meta(&self) -> Option<&'static RuleMeta> {
        rules::lookup(self.rule).map(|r| r.meta())
    }

    fn category(&self) -> Option<Category> {
        self.meta().map(|m| m.category)
    }

    fn points(&self) -> u32 {
        score::cost(self.severity)
    }
}

/// A category's name as the JSON output spells it (kebab-case).
pub fn category_name(category: Category) -> &'static str {
    match category {
        Category::Security => "security",
        Category::SupplyChain => "supply-chain",
        Category::Efficiency => "efficiency",
        Category::Reliability => "reliability",
        Category::Maintainability => "maintainability",
        Category::Style => "style",
    }
}
