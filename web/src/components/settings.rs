use drydock_core::Severity;
use leptos::prelude::*;

use crate::settings::Settings;

/// Ignored rules, severity overrides and trusted registries, saved in this
/// browser only.
#[component]
pub fn SettingsPanel(settings: RwSignal<Settings>) -> impl IntoView {
    let (rule, set_rule) = signal(String::new());
    let (severity, set_severity) = signal("high".to_string());
    let ignored = move || {
        settings.with(|s| {
            s.ignored
                .iter()
                .cloned()
                .map(|r| {
                    let label = format!("Stop ignoring {r}");
                    let gone = r.clone();
                    let key = r.clone();
                    view! {
                        <li data-ignored=key>
                            <code>{r}</code>
                            <button type="button" aria-label=label
                                on:click=move |_| settings.update(|s| s.ignored.retain(|x| *x != gone))>
                                "remove"
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let overrides = move || {
        settings.with(|s| {
            s.overrides
                .iter()
                .cloned()
                .map(|(r, sev)| {
                    let label = format!("Remove the override of {r}");
                    let gone = r.clone();
                    let key = r.clone();
                    view! {
                        <li data-override=key>
                            <code>{r}</code>" → "{sev}
                            <button type="button" aria-label=label
                                on:click=move |_| settings.update(|s| s.overrides.retain(|(x, _)| *x != gone))>
                                "remove"
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let add_ignore = move |_| {
        settings.update(|s| s.ignore(&rule.get_untracked()));
        set_rule.set(String::new());
    };
    let add_override = move |_| {
        if let Some(sev) = Severity::parse(&severity.get_untracked()) {
            settings.update(|s| s.set_severity(&rule.get_untracked(), sev));
            set_rule.set(String::new());
        }
    };
    let empty = move || {
        settings.with(|s| {
            s.ignored.is_empty() && s.overrides.is_empty() && s.trusted_registries.is_empty()
        })
    };
    let trusted = move || settings.with(|s| s.trusted_registries.join(", "));
    view! {
        <section class="settings panel" aria-label="Settings">
            <h2>"Settings"</h2>
            <p class="muted pad">"Saved in this browser only. Rules by drydock id, name, or a peer id such as DL3008."</p>
            <div class="settings-form pad">
                <label for="settings-rule">"Rule"</label>
                <input id="settings-rule" type="text" placeholder="DD001 or DL3008" autocomplete="off"
                    prop:value=move || rule.get()
                    on:input=move |ev| set_rule.set(event_target_value(&ev)) />
                <button type="button" id="settings-ignore" on:click=add_ignore>"Ignore"</button>
                <label for="settings-severity">"or set severity"</label>
                <select id="settings-severity" on:change=move |ev| set_severity.set(event_target_value(&ev))>
                    {Severity::ALL.into_iter().map(|s| {
                        let name = s.as_str();
                        view! { <option value=name selected=move || severity.get() == name>{name}</option> }
                    }).collect_view()}
                </select>
                <button type="button" id="settings-override" on:click=add_override>"Set"</button>
            </div>
            <div class="settings-form pad">
                <label for="settings-trusted">"Trusted registries"</label>
                <input id="settings-trusted" type="text" placeholder="docker.io, *.gcr.io (empty: any)"
                    autocomplete="off" aria-describedby="settings-trusted-help"
                    prop:value=trusted
                    on:change=move |ev| settings.update(|s| s.set_trusted_registries(&event_target_value(&ev))) />
                <span id="settings-trusted-help" class="muted">
                    "Base images from other registries are flagged (untrusted-registry, DL3026)."
                </span>
            </div>
            <Show when=move || !empty()>
                <ul class="settings-list" data-testid="ignored">{ignored}</ul>
                <ul class="settings-list" data-testid="overrides">{overrides}</ul>
                <p class="pad">
                    <button type="button" on:click=move |_| settings.set(Settings::default())>"Reset all"</button>
                </p>
            </Show>
        </section>
    }
}
