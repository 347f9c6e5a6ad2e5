//! The Size panel: how big the image will be, and why (the core's
//! [`drydock_core::size`] estimate of the analysed text).

use drydock_core::size::{Certainty, SizeOptions, estimate_text, human, human_range, parse_size};

const MB: u64 = 1_000_000;
use leptos::prelude::*;

/// Total with its range, a bar per base image / RUN / COPY / ADD, an input
/// for the build context's size, and smaller bases.
#[component]
pub fn SizePanel(#[prop(into)] text: Signal<String>) -> impl IntoView {
    // Bytes from the input (megabytes unless a unit is typed); `None`
    // while empty or not a size.
    let context_bytes = RwSignal::new(None::<u64>);
    let estimate = Memo::new(move |_| {
        let options = SizeOptions {
            context_bytes: context_bytes.get(),
            ..SizeOptions::default()
        };
        text.with(|t| estimate_text(t, &options))
    });
    let total = move || {
        estimate.with(|e| {
            format!(
                "≈ {} on disk, ≈ {} to pull",
                human(e.uncompressed_bytes.expected),
                human(e.compressed_bytes.expected)
            )
        })
    };
    let range = move || {
        estimate.with(|e| {
            format!(
                "On disk {}; compressed {}. {}",
                human_range(e.uncompressed_bytes),
                human_range(e.compressed_bytes),
                match e.certainty {
                    Certainty::Known => "From measured sizes.",
                    Certainty::Approximate =>
                        "Approximate: from data about similar images and packages.",
                    Certainty::Unknown => "Some parts are unknown: their ranges are wide.",
                }
            )
        })
    };
    let stage = move || estimate.with(|e| e.final_stage.clone().unwrap_or_default());
    let items = move || {
        estimate.with(|e| {
            let total = e.uncompressed_bytes.expected.max(1);
            let high = e.uncompressed_bytes.high.max(1);
            e.breakdown
                .iter()
                .map(|item| {
                    // Shares in tenths of a percent (integers: no float
                    // formatting in the wasm).
                    let share = permille(item.bytes.expected, total);
                    // The range, on the scale of the total's high end.
                    let lo = permille(item.bytes.low, high);
                    let hi = permille(item.bytes.high, high);
                    let certainty = match item.certainty {
                        Certainty::Known => "known",
                        Certainty::Approximate => "approximate",
                        Certainty::Unknown => "unknown",
                    };
                    let label = format!(
                        "{} ({}% of the total), {}",
                        human_range(item.bytes),
                        (share + 5) / 10,
                        certainty
                    );
                    view! {
                        <li class="size-item" data-line=item.line data-certainty=certainty>
                            <div class="size-row">
                                <span class="where">{format!("line {}", item.line)}</span>
                                <code class="size-instruction">{item.instruction.clone()}</code>
                                <span class="size-value" data-testid="size-item-value">{human(item.bytes.expected)}</span>
                            </div>
                            <div class="size-bar" role="img" aria-label=label>
                                <span class="size-bar-range" style:left=percent(lo) style:width=percent(hi.saturating_sub(lo).max(5))></span>
                                <span class=format!("size-bar-fill size-{certainty}") style:width=percent(share.max(5))></span>
                            </div>
                            <p class="size-reason muted">{item.reason.clone()}</p>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let alternatives = move || {
        estimate.with(|e| {
            e.alternatives
                .iter()
                .map(|a| {
                    view! {
                        <li class="size-alternative" data-testid="size-alternative">
                            <code>{a.from.clone()}</code>
                            {format!(" ≈ {} → ", human(a.from_bytes.expected))}
                            <code>{a.to.clone()}</code>
                            {format!(" ≈ {}", human(a.to_bytes.expected))}
                            <span class="muted">{format!(" — {}", a.note)}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let stages = move || {
        estimate.with(|e| {
            e.stages
                .iter()
                .map(|s| {
                    let name = s
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("stage {}", s.index));
                    let role = if s.ships {
                        "ships"
                    } else {
                        "build stage, does not ship"
                    };
                    view! {
                        <li class="size-stage" class:ships=s.ships data-stage=s.index>
                            <code>{name}</code>
                            {format!(" ≈ {} on disk ", human(s.uncompressed_bytes.expected))}
                            <span class="muted">{format!("({role})")}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let multi_stage = move || estimate.with(|e| e.stages.len() > 1);
    let has_alternatives = move || estimate.with(|e| !e.alternatives.is_empty());
    let needs_context = move || estimate.with(|e| e.needs_context);
    let has_stages = move || estimate.with(|e| e.final_stage.is_some());
    let on_context = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        context_bytes.set(parse_size(&value, MB));
    };
    view! {
        <section class="size panel" aria-label="Size">
            <h2>"Size " <span class="muted">{stage}</span></h2>
            <Show
                when=has_stages
                fallback=|| view! { <p class="muted pad">"No FROM yet: nothing to measure."</p> }
            >
                <p class="size-total pad" data-testid="size-total"><strong>{total}</strong></p>
                <p class="size-range muted pad" data-testid="size-range">{range}</p>
                <ol class="size-list" data-testid="size-breakdown" aria-label="Size by instruction">{items}</ol>
            </Show>
            <Show when=multi_stage>
                <h3>"Stages"</h3>
                <ul class="size-stages" data-testid="size-stages">{stages}</ul>
            </Show>
            <div class="size-context pad">
                <label for="context-size">"Build context size (MB)"</label>
                " "
                <input
                    id="context-size"
                    data-testid="context-size"
                    type="number"
                    min="0"
                    step="any"
                    inputmode="decimal"
                    on:input=on_context
                />
                <Show when=needs_context>
                    <p class="size-hint muted" data-testid="size-needs-context">
                        "A COPY or ADD takes the build context, whose size drydock cannot see: enter it (after .dockerignore) for a firmer figure."
                    </p>
                </Show>
            </div>
            <Show when=has_alternatives>
                <h3>"Smaller bases"</h3>
                <ul class="size-alternatives" data-testid="size-alternatives">{alternatives}</ul>
            </Show>
        </section>
    }
}

/// `part / whole` in tenths of a percent, at most 1000.
fn permille(part: u64, whole: u64) -> u64 {
    let whole = u128::from(whole.max(1));
    let v = (u128::from(part) * 1000 / whole).min(1000);
    u64::try_from(v).unwrap_or(1000)
}

/// Tenths of a percent as CSS (`12.5%`).
fn percent(permille: u64) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}
