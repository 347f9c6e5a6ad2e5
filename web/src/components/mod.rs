//! One file per panel.

pub mod editor;
pub mod findings;
pub mod header;
pub mod score;
pub mod stages;
