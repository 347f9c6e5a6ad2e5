use leptos::prelude::*;

/// Text whose `backticked` parts show as code. Everything is text nodes:
/// markup in the input stays inert.
pub fn prose(text: &str) -> impl IntoView + use<> {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            let part = part.to_string();
            // Odd pieces sat between backticks; an unmatched last one too,
            // which is harmless.
            if i % 2 == 1 {
                view! { <code>{part}</code> }.into_any()
            } else {
                part.into_any()
            }
        })
        .collect_view()
}
