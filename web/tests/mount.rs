//! Components mounted in a real browser (`cargo xtask test` runs these in
//! headless Chromium through wasm-bindgen-test-runner and chromedriver).

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use drydock_web::Playground;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn text_of(selector: &str) -> String {
    document()
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default()
}

fn rules_listed() -> Vec<String> {
    let items = document().query_selector_all("li.finding").unwrap();
    (0..items.length())
        .filter_map(|i| items.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .filter_map(|e| e.get_attribute("data-rule"))
        .collect()
}

#[wasm_bindgen_test]
async fn playground_scores_text_and_reanalyses_on_ctrl_enter() {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let _handle = mount_to(host.clone().unchecked_into(), || {
        view! { <Playground initial="FROM node\nMAINTAINER me\n".to_string() /> }
    });
    tick().await;
    assert_eq!(text_of("[data-testid=score] .score-value"), "87");
    assert_eq!(text_of("[data-testid=grade]"), "GOOD");
    assert_eq!(rules_listed(), ["DD002", "DD001", "DD003"]);
    // The gutter marks the lines with findings.
    assert_eq!(
        document()
            .query_selector_all(".gutter .mark-high")
            .unwrap()
            .length(),
        1
    );

    // Type a clean Dockerfile, then Ctrl+Enter: analysed at once, no debounce wait.
    let area: HtmlTextAreaElement = document()
        .query_selector("#editor")
        .unwrap()
        .unwrap()
        .unchecked_into();
    area.set_value("FROM alpine:3.20\nUSER 65532\n");
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_ctrl_key(true);
    let key = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    area.dispatch_event(&key).unwrap();
    tick().await;
    assert_eq!(text_of("[data-testid=score] .score-value"), "100");
    assert_eq!(text_of("[data-testid=grade]"), "EXCELLENT");
    assert!(rules_listed().is_empty());
    assert!(text_of(".findings").contains("No findings."));
    host.remove();
}

#[wasm_bindgen_test]
async fn clicking_a_finding_selects_its_text() {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let _handle = mount_to(host.clone().unchecked_into(), || {
        view! { <Playground initial="# é\nFROM node:latest\nUSER app\n".to_string() /> }
    });
    tick().await;
    let button: HtmlElement = document()
        .query_selector("li.finding button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    let area: HtmlTextAreaElement = document()
        .query_selector("#editor")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let (start, end) = (
        area.selection_start().unwrap().unwrap(),
        area.selection_end().unwrap().unwrap(),
    );
    let selected: String = area
        .value()
        .chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect();
    assert_eq!(selected, "node:latest");
    assert_eq!(
        document().active_element().map(|e| e.id()),
        Some("editor".to_string())
    );
    host.remove();
}
