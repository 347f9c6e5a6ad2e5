use drydock_core::Analysis;
use drydock_core::model::{BaseKind, EdgeKind};
use leptos::prelude::*;

/// The build's stages with their resolved base images, the stage graph and
/// what the model found wrong.
#[component]
pub fn Stages(#[prop(into)] analysis: Signal<Analysis>) -> impl IntoView {
    let stages = move || {
        analysis.with(|a| {
            a.model
                .stages
                .iter()
                .map(|s| {
                    let title = match &s.name {
                        Some(name) => format!("{} · {name}", s.index),
                        None => s.index.to_string(),
                    };
                    let target = a.model.target == Some(s.index);
                    let base = match s.kind {
                        BaseKind::Image => s.image.clone().unwrap_or_else(|| s.resolved.clone()),
                        _ => s.resolved.clone(),
                    };
                    let written = (s.base != s.resolved).then(|| format!("written `{}`", s.base));
                    let mut facts = Vec::new();
                    if let Some(p) = &s.platform {
                        facts.push(format!("platform {p}"));
                    }
                    if let Some(u) = &s.user {
                        facts.push(format!("USER {u}"));
                    }
                    if let Some(w) = &s.workdir {
                        facts.push(format!("WORKDIR {w}"));
                    }
                    facts.push(format!("{} RUN{}", s.runs, if s.runs == 1 { "" } else { "s" }));
                    if s.runs_not_analysable > 0 {
                        facts.push(format!("{} not analysable (non-POSIX SHELL)", s.runs_not_analysable));
                    }
                    view! {
                        <li class="stage" class:unused=!s.reachable data-stage=s.index>
                            <div class="stage-head">
                                <span class="stage-title">{title}</span>
                                <span class="where">{format!("line {}", s.line)}</span>
                                {target.then(|| view! { <span class="badge badge-target">"target"</span> })}
                                {(!s.reachable).then(|| view! { <span class="badge">"not built"</span> })}
                            </div>
                            <div class="stage-base">
                                <span class=format!("base-kind kind-{}", kind_name(s.kind))>{kind_name(s.kind)}</span>
                                <code data-testid="stage-base">{base}</code>
                                {written.map(|w| view! { <span class="muted">{w}</span> })}
                            </div>
                            <div class="stage-facts muted">{facts.join(" · ")}</div>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let edges = move || {
        analysis.with(|a| {
            a.graph
                .iter()
                .map(|e| {
                    let to = a
                        .model
                        .stages
                        .get(e.stage)
                        .and_then(|s| s.name.clone())
                        .unwrap_or_else(|| format!("stage {}", e.stage));
                    let via = match e.kind {
                        EdgeKind::From => "FROM",
                        EdgeKind::CopyFrom => "COPY --from",
                        EdgeKind::MountFrom => "RUN --mount from",
                    };
                    let source_class = if e.source_stage.is_some() {
                        "edge-stage"
                    } else {
                        "edge-image"
                    };
                    view! {
                        <li class="edge">
                            <code class=source_class>{e.source.clone()}</code>
                            " → "
                            <code>{to}</code>
                            <span class="muted">{format!(" {via}, line {}", e.line)}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let diagnostics = move || {
        analysis.with(|a| {
            a.model
                .diagnostics
                .iter()
                .map(|d| {
                    view! {
                        <li class="model-diagnostic">
                            <span class="where">{format!("line {}", d.line)}</span>
                            " "
                            {d.message.clone()}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let count = move || analysis.with(|a| a.model.stages.len());
    let has_edges = move || analysis.with(|a| !a.graph.is_empty());
    let has_diagnostics = move || analysis.with(|a| !a.model.diagnostics.is_empty());
    view! {
        <section class="stages panel" aria-label="Stages">
            <h2>"Stages " <span class="muted">{count}</span></h2>
            <Show when=move || count() == 0>
                <p class="muted pad">"No FROM yet: nothing to build."</p>
            </Show>
            <ol class="stage-list" data-testid="stages">{stages}</ol>
            <Show when=has_edges>
                <h3>"Stage graph"</h3>
                <ul class="edge-list" data-testid="stage-graph">{edges}</ul>
            </Show>
            <Show when=has_diagnostics>
                <h3>"Build problems"</h3>
                <ul class="diagnostic-list">{diagnostics}</ul>
            </Show>
        </section>
    }
}

fn kind_name(kind: BaseKind) -> &'static str {
    match kind {
        BaseKind::Scratch => "scratch",
        BaseKind::Stage => "stage",
        BaseKind::Image => "image",
        BaseKind::Unresolved => "unresolved",
        BaseKind::Invalid => "invalid",
    }
}
