//! A compact, display-ready view of the model: the "Stages" panel of the
//! web app and `drydock` CLI output.

use serde::Serialize;

use super::{BaseKind, BuildModel, Edge, ModelDiagnostic};

/// The model in brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelSummary {
    pub stages: Vec<StageSummary>,
    /// Index of the target stage.
    pub target: Option<usize>,
    pub edges: Vec<Edge>,
    /// Images used by `COPY --from` / mounts, normalized.
    pub external_images: Vec<String>,
    pub diagnostics: Vec<ModelDiagnostic>,
}

/// One stage in brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageSummary {
    pub index: usize,
    pub name: Option<String>,
    /// The base as written.
    pub base: String,
    /// The base after expansion.
    pub resolved: String,
    pub kind: BaseKind,
    /// `docker.io/library/node:20` for images; the stage name for stages.
    pub image: Option<String>,
    pub platform: Option<String>,
    pub reachable: bool,
    /// Line of the FROM.
    pub line: usize,
    pub user: Option<String>,
    pub workdir: Option<String>,
    pub runs: usize,
    /// RUNs whose shell drydock cannot read.
    pub runs_not_analysable: usize,
}

pub(super) fn summarize(model: &BuildModel) -> ModelSummary {
    let stages = model
        .stages
        .iter()
        .map(|s| StageSummary {
            index: s.index,
            name: s.name.clone(),
            base: s.base.clone(),
            resolved: s.base_resolved.clone(),
            kind: s.base_kind,
            image: match s.base_kind {
                BaseKind::Image => Some(s.base_image.normalized()),
                _ => None,
            },
            platform: s.platform.as_ref().map(|p| p.value.clone()),
            reachable: s.reachable,
            line: s.line,
            user: s.user.as_ref().map(|u| u.value.clone()),
            workdir: s.workdir.as_ref().map(|w| w.value.clone()),
            runs: s.runs.len(),
            runs_not_analysable: s
                .runs
                .iter()
                .filter_map(|&r| model.runs.get(r))
                .filter(|r| r.not_analysable.is_some())
                .count(),
        })
        .collect();
    ModelSummary {
        stages,
        target: model.target,
        edges: model.edges.clone(),
        external_images: model
            .external_images
            .iter()
            .map(|e| e.image.normalized())
            .collect(),
        diagnostics: model.diagnostics.clone(),
    }
}
