//! One file per panel.

pub mod docs_page;
pub mod editor;
pub mod embed;
pub mod findings;
pub mod header;
pub mod image;
pub mod prose;
pub mod rewrite;
pub mod rule_page;
pub mod score;
pub mod score_card;
pub mod scoring_page;
pub mod settings;
pub mod share;
pub mod shortcuts;
pub mod size;
pub mod stages;
