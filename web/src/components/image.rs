//! `#/image`: a container image archive (`docker save`, OCI) analysed in a
//! Web Worker. Drop zone and file picker; a progress bar with MB/s and a
//! Cancel button while the worker reads; then the summary, layers (size bars,
//! `created_by`), a per-layer file tree (added / modified / removed, like
//! dive), findings, packages (filterable) and a JSON download. Everything
//! shown is text: file names in a tarball may hold markup.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::files::download;
use crate::image::{
    Analysis, Changes, FromWorker, Node, TREE_PAGE, ToWorker, WORKER_URL, bytes, filter_packages,
    progress_text, short_digest, speed, tree,
};

/// What the page is doing.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Idle,
    Reading { read: u64, total: u64, started: f64 },
    Done,
    Failed(String),
    Cancelled { read: u64, total: u64 },
}

/// A finished analysis.
#[derive(Debug, Clone, PartialEq)]
struct Report {
    name: String,
    analysis: Analysis,
    json: String,
    tree: Vec<Changes>,
    read_ms: f64,
    /// The workers' memory after the analysis (see `FromWorker::Done`).
    memory_bytes: u64,
    /// SARIF, Markdown and HTML of the same analysis.
    reports: crate::image::Reports,
    /// How the digests were checked (`FromWorker::Done`).
    digests: String,
}

/// The running worker and its handlers (dropped with it).
struct Live {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// `6061858` → `6,061,858`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[component]
pub fn ImagePage() -> impl IntoView {
    let phase = RwSignal::new(Phase::Idle);
    let report = RwSignal::new(None::<Report>);
    let name = StoredValue::new(String::new());
    let live = StoredValue::new_local(None::<Live>);
    let queued = StoredValue::new_local(None::<web_sys::File>);
    let dragging = RwSignal::new(false);
    let verify = RwSignal::new(true);

    let stop = move || {
        if let Some(l) = live.try_update_value(Option::take).flatten() {
            l.worker.terminate();
        }
    };
    on_cleanup(stop);

    let on_message = move |e: web_sys::MessageEvent| {
        let Some(msg) = e
            .data()
            .as_string()
            .and_then(|t| serde_json::from_str::<FromWorker>(&t).ok())
        else {
            return;
        };
        match msg {
            FromWorker::Ready => {
                if let Some(file) = queued.try_update_value(Option::take).flatten() {
                    live.with_value(|l| {
                        if let Some(l) = l {
                            let verify = JsValue::from_bool(verify.get_untracked());
                            let _ = l.worker.post_message(&js_sys::Array::of2(&file, &verify));
                        }
                    });
                }
            }
            FromWorker::Progress { read, total } => phase.update(|p| {
                if let Phase::Reading {
                    read: r, total: t, ..
                } = p
                {
                    *r = read;
                    *t = total;
                }
            }),
            FromWorker::Done {
                analysis,
                tree: changes,
                read_ms,
                memory_bytes,
                reports,
                digests,
            } => {
                let parsed = serde_json::from_str::<Analysis>(&analysis);
                let changes = serde_json::from_str::<Vec<Changes>>(&changes).unwrap_or_default();
                match parsed {
                    Ok(a) => {
                        // Another tag of the same read: its figures stay.
                        let (read_ms, digests) = if read_ms > 0.0 {
                            (read_ms, digests)
                        } else {
                            report.with_untracked(|r| {
                                r.as_ref()
                                    .map(|r| (r.read_ms, r.digests.clone()))
                                    .unwrap_or_default()
                            })
                        };
                        report.set(Some(Report {
                            name: name.get_value(),
                            analysis: a,
                            json: analysis,
                            tree: changes,
                            read_ms,
                            memory_bytes,
                            reports,
                            digests,
                        }));
                        phase.set(Phase::Done);
                    }
                    Err(e) => phase.set(Phase::Failed(format!(
                        "The analysis could not be read: {e}"
                    ))),
                }
            }
            FromWorker::Failed { message } => phase.set(Phase::Failed(message)),
            FromWorker::Digests { .. } => {}
        }
    };
    let start = move |file: web_sys::File| {
        // A worker that is not reading takes the next file: no second load
        // of its code, so analysing a file asks nothing of the network.
        let idle = !matches!(phase.get_untracked(), Phase::Reading { .. });
        report.set(None);
        name.set_value(file.name());
        phase.set(Phase::Reading {
            read: 0,
            total: file.size() as u64,
            started: now(),
        });
        if idle {
            let verify = JsValue::from_bool(verify.get_untracked());
            let posted = live.with_value(|l| {
                l.as_ref().is_some_and(|l| {
                    l.worker
                        .post_message(&js_sys::Array::of2(&file, &verify))
                        .is_ok()
                })
            });
            if posted {
                return;
            }
        }
        stop();
        let worker = match web_sys::Worker::new(WORKER_URL) {
            Ok(w) => w,
            Err(_) => {
                phase.set(Phase::Failed(
                    "This browser could not start the analysis worker.".into(),
                ));
                return;
            }
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(on_message);
        let on_error =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                e.prevent_default();
                phase.set(Phase::Failed(format!(
                    "The analysis worker failed: {}",
                    e.message()
                )));
                stop();
            });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        queued.set_value(Some(file));
        live.set_value(Some(Live {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        }));
    };
    let cancel = move |_| {
        stop();
        if let Phase::Reading { read, total, .. } = phase.get_untracked() {
            phase.set(Phase::Cancelled { read, total });
        }
    };
    let choose_tag = move |tag: String| {
        live.with_value(|l| {
            if let (Some(l), Ok(text)) = (l, serde_json::to_string(&ToWorker { tag })) {
                let _ = l.worker.post_message(&JsValue::from_str(&text));
            }
        });
    };
    let on_change = move |e: leptos::ev::Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            start(file);
        }
        // Choosing the same file again reads it again.
        input.set_value("");
    };
    let on_drop = move |e: leptos::ev::DragEvent| {
        e.prevent_default();
        dragging.set(false);
        if let Some(file) = e
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            start(file);
        }
    };

    // The progress block stays mounted while reading (only its figures
    // change), so the Cancel button keeps focus between updates.
    let reading = Memo::new(move |_| match phase.get() {
        Phase::Reading {
            read,
            total,
            started,
        } => Some((read, total, started)),
        _ => None,
    });
    let is_reading = Memo::new(move |_| reading.with(Option::is_some));
    let progress = move || {
        is_reading.get().then(|| {
            let figures = move || reading.get().unwrap_or((0, 0, 0.0));
            view! {
                <div class="image-progress" role="status">
                    <progress
                        max=move || figures().1.max(1) as f64
                        value=move || figures().0 as f64
                        aria-label="Reading the archive"
                    ></progress>
                    <span data-testid="image-progress-text">{move || {
                        let (read, total, started) = figures();
                        progress_text(read, total, now() - started)
                    }}</span>
                    " "
                    <button type="button" data-testid="image-cancel" on:click=cancel>"Cancel"</button>
                </div>
            }
        })
    };
    let status = move || match phase.get() {
        Phase::Idle | Phase::Reading { .. } => ().into_any(),
        Phase::Done => report.with(|r| r.as_ref().map(read_status)).into_any(),
        Phase::Failed(m) => {
            view! { <p class="notice" role="alert" data-testid="image-error">{m}</p> }.into_any()
        }
        Phase::Cancelled { read, total } => view! {
            <p class="notice" role="status" data-testid="image-cancelled">
                {format!("Cancelled after {} of {}. Nothing was kept.", bytes(read), bytes(total))}
            </p>
        }
        .into_any(),
    };
    let results = move || {
        report
            .get()
            .map(|r| view! { <ImageResults report=r choose_tag=choose_tag /> })
    };

    view! {
        <section class="image-page doc-page" aria-labelledby="image-title">
            <h2 id="image-title">"Image archive"</h2>
            <p>
                "Analyse the output of " <code>"docker save"</code> " or an OCI archive ("
                <code>".tar"</code> ", " <code>".tar.gz"</code> "): layers, wasted space, secrets, packages. "
                "A worker on this page reads the file: nothing is uploaded."
            </p>
            <div
                class="drop-zone"
                class:dragging=move || dragging.get()
                data-testid="drop-zone"
                on:dragover=move |e: leptos::ev::DragEvent| {
                    e.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <label for="image-file">"Choose an image archive"</label>
                " "
                <input id="image-file" type="file" accept=".tar,.tgz,.gz,.tar.gz,application/x-tar,application/gzip" on:change=on_change />
                <p class="muted">"… or drop it here."</p>
            </div>
            <p>
                <input id="image-verify" type="checkbox" prop:checked=move || verify.get() on:change=move |e| verify.set(event_target_checked(&e)) />
                " "
                <label for="image-verify">"Verify layer digests (SHA-256)"</label>
                <span class="muted">" — off reads up to three times as fast, for archives you trust."</span>
            </p>
            {progress}
            {status}
            {results}
        </section>
    }
}

/// The line under a finished read: what was read, how fast, the memory it
/// took; `data-digests` says how the digests were checked.
fn read_status(r: &Report) -> impl IntoView + use<> {
    let text = format!(
        "Read {} ({}) in {:.2} s · {} · workers' memory {}.",
        r.name,
        bytes(r.analysis.bytes_read),
        r.read_ms / 1000.0,
        speed(r.analysis.bytes_read, r.read_ms),
        bytes(r.memory_bytes)
    );
    view! {
        <p class="muted" role="status" data-testid="image-read-speed" data-digests=r.digests.clone()>
            {text}
        </p>
    }
}

#[component]
fn ImageResults(report: Report, choose_tag: impl Fn(String) + Copy + 'static) -> impl IntoView {
    let Report {
        name,
        analysis: a,
        json,
        tree: changes,
        reports,
        ..
    } = report;
    let errors = (!a.errors.is_empty()).then(|| {
        let items = a.errors.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view();
        view! {
            <div class="notice" role="alert" data-testid="image-errors">
                <p>"Something went wrong reading this archive; what could be read is analysed below."</p>
                <ul>{items}</ul>
            </div>
        }
    });
    let labels = a.image_labels();
    let picker = (labels.len() > 1).then(|| {
        let options = labels
            .iter()
            .enumerate()
            .map(|(i, l)| view! { <option value=l.clone() selected=a.selected == Some(i)>{l.clone()}</option> })
            .collect_view();
        view! {
            <p class="image-tag">
                <label for="image-tag">{format!("This archive holds {} images; showing ", labels.len())}</label>
                <select id="image-tag" on:change=move |e| choose_tag(event_target_value(&e))>{options}</select>
            </p>
        }
    });
    let efficiency = format!("{:.2} %", a.efficiency * 100.0);
    let summary = view! {
        <dl class="image-summary" data-testid="image-summary">
            <dt>"Format"</dt>
            <dd data-testid="image-format">{format!(
                "{}{}",
                a.format.clone().unwrap_or_else(|| "unknown".into()),
                a.archive_compression.as_deref().filter(|c| *c != "none").map(|c| format!(" ({c})")).unwrap_or_default()
            )}</dd>
            <dt>"OS"</dt>
            <dd data-testid="image-os">{format!("{} · {}", a.os_label(), a.architecture.clone().unwrap_or_else(|| "unknown".into()))}</dd>
            <dt>"Size"</dt>
            <dd data-testid="image-size">{format!("{} ({} bytes) in {} layers", bytes(a.size_bytes), grouped(a.size_bytes), a.layers.len())}</dd>
            <dt>"Efficiency"</dt>
            <dd data-testid="image-efficiency">{efficiency}</dd>
            <dt>"Wasted"</dt>
            <dd data-testid="image-wasted">{format!("{} ({} bytes)", bytes(a.wasted_bytes), grouped(a.wasted_bytes))}</dd>
            <dt>"Reclaimable"</dt>
            <dd data-testid="image-reclaimable">{format!("{} ({} bytes)", bytes(a.reclaimable_bytes), grouped(a.reclaimable_bytes))}</dd>
            <dt>"Score"</dt>
            <dd data-testid="image-score" class=format!("grade-{}", a.grade.to_ascii_lowercase())>{format!("{} / 100 {}", a.score, a.grade)}</dd>
        </dl>
    };
    let stem = name
        .trim_end_matches(".gz")
        .trim_end_matches(".tar")
        .to_string();
    let file_name = format!("{stem}.drydock.json");
    let save = move |ext: &'static str, mime: &'static str, body: String| {
        let name = format!("{stem}.drydock.{ext}");
        move |_| download(&name, mime, &body)
    };
    let export = view! {
        <p class="button-row" role="group" aria-label="Download the report">
            <button type="button" data-testid="image-download" on:click=move |_| download(&file_name, "application/json", &json)>
                "Download JSON"
            </button>
            <button type="button" data-testid="image-export-sarif" on:click=save("sarif", "application/sarif+json", reports.sarif)>"SARIF"</button>
            <button type="button" data-testid="image-export-md" on:click=save("md", "text/markdown", reports.markdown)>"Markdown"</button>
            <button type="button" data-testid="image-export-html" on:click=save("html", "text/html", reports.html)>"HTML"</button>
        </p>
    };
    let biggest = a
        .layers
        .iter()
        .map(|l| l.size_bytes)
        .max()
        .unwrap_or(0)
        .max(1);
    let layer_rows = a
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let share = l.size_bytes.saturating_mul(100) / biggest;
            let c = changes.get(i).cloned().unwrap_or_default();
            view! {
                <tr data-layer=i>
                    <td>{i + 1}</td>
                    <td><code title=l.digest.clone()>{short_digest(&l.digest)}</code>{l.missing.then_some(" (missing)")}</td>
                    <td class="layer-size">
                        <span data-testid="layer-size">{bytes(l.size_bytes)}</span>
                        <span class="size-bar" role="img" aria-label=format!("{share} % of the largest layer")>
                            <span class="size-bar-fill" style:width=format!("{}%", share.max(1))></span>
                        </span>
                    </td>
                    <td>{l.compression.clone().unwrap_or_default()}</td>
                    <td>{l.files}</td>
                    <td class="changes">{format!("+{} ~{} −{}", c.added, c.modified, c.removed)}</td>
                    <td><code class="created-by">{l.created_by.clone().unwrap_or_default()}</code></td>
                </tr>
            }
        })
        .collect_view();
    let layers = view! {
        <h3>"Layers"</h3>
        <table class="image-layers" data-testid="image-layers">
            <thead><tr><th>"#"</th><th>"Digest"</th><th>"Size"</th><th>"Compression"</th><th>"Files"</th><th title="added ~modified −removed">"Changes"</th><th>"Created by"</th></tr></thead>
            <tbody>{layer_rows}</tbody>
        </table>
    };
    let findings = if a.findings.is_empty() {
        view! { <p data-testid="image-no-findings">"No findings."</p> }.into_any()
    } else {
        let items = a
            .findings
            .iter()
            .map(|f| {
                let place = match (&f.layer, &f.path) {
                    (Some(l), Some(p)) => format!("{p} (layer {})", l + 1),
                    (None, Some(p)) => p.clone(),
                    (Some(l), None) => format!("layer {}", l + 1),
                    (None, None) => f.source.clone(),
                };
                view! {
                    <li class="finding" data-rule=f.rule.clone() data-severity=f.severity.clone()>
                        <span class=format!("sev sev-{}", f.severity)>{f.severity.clone()}</span>
                        " "
                        <a class="rule" href=format!("#/rules/{}", f.rule)>{f.rule.clone()}</a>
                        " "
                        <span class="message">{f.message.clone()}</span>
                        " "
                        <span class="where muted">{place}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="finding-list" data-testid="image-findings">{items}</ul> }.into_any()
    };
    let wasted = (!a.top_wasted.is_empty()).then(|| {
        let rows = a
            .top_wasted
            .iter()
            .map(|w| view! { <li><code>{w.path.clone()}</code> " " {bytes(w.bytes)}</li> })
            .collect_view();
        view! { <h3>"Most reclaimable"</h3><ul data-testid="image-top-wasted">{rows}</ul> }
    });
    let packages = a.packages.clone();
    let package_count = packages.len();
    let filter = RwSignal::new(String::new());
    let package_rows = move || {
        filter.with(|f| {
            filter_packages(&packages, f)
                .into_iter()
                .take(1000)
                .map(|p| view! {
                    <tr><td>{p.name.clone()}</td><td>{p.version.clone()}</td><td>{p.arch.clone().unwrap_or_default()}</td><td>{p.kind.clone()}</td></tr>
                })
                .collect_view()
        })
    };
    let shown = move || filter.with(|f| filter_packages(&a.packages, f).len());
    let packages_view = view! {
        <h3>{format!("Packages ({package_count})")}</h3>
        <p>
            <label for="package-filter">"Filter packages"</label>
            " "
            <input id="package-filter" type="search" prop:value=move || filter.get() on:input=move |e| filter.set(event_target_value(&e)) />
            " "
            <span class="muted" data-testid="package-count">{move || format!("{} shown", shown())}</span>
        </p>
        <table class="image-packages" data-testid="image-packages">
            <thead><tr><th>"Name"</th><th>"Version"</th><th>"Arch"</th><th>"Kind"</th></tr></thead>
            <tbody>{package_rows}</tbody>
        </table>
    };

    view! {
        {errors}
        {picker}
        {summary}
        {export}
        {layers}
        <FileTree changes=changes />
        <h3>"Findings"</h3>
        {findings}
        {wasted}
        {packages_view}
    }
}

/// The chosen layer's changes as a collapsible tree; at most
/// [`TREE_PAGE`] nodes more per "Show more".
#[component]
fn FileTree(changes: Vec<Changes>) -> impl IntoView {
    let layers = changes.len();
    let changes = StoredValue::new(changes);
    let layer = RwSignal::new(0usize);
    let budget = RwSignal::new(TREE_PAGE);
    let built = Memo::new(move |_| {
        let i = layer.get();
        changes.with_value(|c| c.get(i).map(|c| (tree(&c.changes), c.truncated)))
    });
    let options = (0..layers)
        .map(|i| view! { <option value=i.to_string()>{format!("Layer {}", i + 1)}</option> })
        .collect_view();
    let body = move || {
        built.with(|b| {
            let Some((root, truncated)) = b else {
                return view! { <p>"No layers."</p> }.into_any();
            };
            let total = root.count().saturating_sub(1);
            let mut left = budget.get();
            let nodes = root
                .children
                .values()
                .map(|n| node_view(n, &mut left, 0))
                .collect_view();
            let more = (total > budget.get()).then(|| {
                view! {
                    <button type="button" data-testid="tree-more" on:click=move |_| budget.update(|b| *b += TREE_PAGE)>
                        {format!("Show more ({} of {} shown)", budget.get(), total)}
                    </button>
                }
            });
            let note = truncated.then(|| view! { <p class="muted">"This layer changes more paths than are listed; the counts are whole."</p> });
            view! { <ul class="file-tree" data-testid="file-tree">{nodes}</ul>{more}{note} }.into_any()
        })
    };
    view! {
        <h3>"Files"</h3>
        <p>
            <label for="tree-layer">"Changes made by "</label>
            <select id="tree-layer" on:change=move |e| {
                layer.set(event_target_value(&e).parse().unwrap_or(0));
                budget.set(TREE_PAGE);
            }>{options}</select>
            <span class="muted">" + added · ~ modified · − removed"</span>
        </p>
        {body}
    }
}

fn marker(kind: Option<&str>) -> &'static str {
    match kind {
        Some("added") => "+",
        Some("modified") => "~",
        Some("removed") => "−",
        _ => "",
    }
}

fn node_view(n: &Node, left: &mut usize, depth: usize) -> AnyView {
    if *left == 0 {
        return ().into_any();
    }
    *left -= 1;
    let kind = n.kind.clone().unwrap_or_else(|| "dir".to_string());
    let label = view! {
        <span class="tree-marker" aria-hidden="true">{marker(n.kind.as_deref())}</span>
        <span class="tree-name">{n.name.clone()}{n.dir.then_some("/")}</span>
        " "
        <span class="tree-size muted">{bytes(n.size)}</span>
        <span class="visually-hidden">{n.kind.clone().map(|k| format!(" ({k})")).unwrap_or_default()}</span>
    };
    if n.children.is_empty() {
        return view! { <li class=format!("tree-file tree-{kind}") data-path=n.name.clone()>{label}</li> }.into_any();
    }
    let children = n
        .children
        .values()
        .map(|c| node_view(c, left, depth + 1))
        .collect_view();
    view! {
        <li class=format!("tree-dir tree-{kind}")>
            <details open=depth < 2>
                <summary>{label}</summary>
                <ul>{children}</ul>
            </details>
        </li>
    }
    .into_any()
}
