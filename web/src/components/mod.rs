//! One file per panel.

pub mod editor;
pub mod findings;
pub mod header;
pub mod prose;
pub mod rule_page;
pub mod score;
pub mod scoring_page;
pub mod settings;
pub mod shortcuts;
pub mod stages;
