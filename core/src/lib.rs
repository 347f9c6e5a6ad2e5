//! drydock's analysis core.
//!
//! Data flows one way: [`syntax`] (text → tree + errors) → [`model`] (stages)
//! → [`rules`] (findings) → [`score`] → [`Analysis`], the façade the CLI and
//! the web app call; [`size`] estimates the image's size from the same model
//! ([`estimate_size`]).
//!
//! **Invariants:** no IO, no wasm or UI dependencies, and no panics on any
//! input: parsing never fails, it returns the tree plus its errors.

pub mod analysis;
pub mod config;
pub mod diagnostic;
pub mod eol;
pub mod image;
pub mod model;
pub mod options;
pub mod report;
pub mod rewrite;
pub mod rules;
pub mod score;
pub mod secrets;
pub mod share;
pub mod size;
pub mod syntax;

pub use analysis::{Analysis, analyze, analyze_with};
pub use diagnostic::{Finding, Severity, Span};
pub use options::AnalysisOptions;
pub use size::{SizeEstimate, SizeOptions, estimate_text as estimate_size};
