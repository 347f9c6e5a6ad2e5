//! Light or dark: the system's preference (`prefers-color-scheme`) unless the
//! user chose with the header's toggle; the choice is kept in localStorage.
//! `style.css` reads `data-theme` on the root element.

/// Where the choice lives in localStorage.
pub const STORAGE_KEY: &str = "drydock.theme";

/// A colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    /// Reads a stored value; anything else is no choice.
    pub fn parse(value: &str) -> Option<Theme> {
        match value {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The other one (what the toggle switches to).
    pub fn toggled(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }

    /// The theme in effect: the stored choice, else the system's.
    pub fn effective(stored: Option<Theme>, system_dark: bool) -> Theme {
        stored.unwrap_or(if system_dark {
            Theme::Dark
        } else {
            Theme::Light
        })
    }
}

/// The stored choice, if any.
pub fn load() -> Option<Theme> {
    let storage = web_sys::window()?.local_storage().ok()??;
    Theme::parse(&storage.get_item(STORAGE_KEY).ok()??)
}

/// Whether the system prefers dark.
pub fn system_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok()?)
        .is_some_and(|m| m.matches())
}

/// Keeps `theme` and sets it on the root element.
pub fn apply(theme: Theme) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.set_item(STORAGE_KEY, theme.as_str());
    }
    set_root(theme);
}

/// Sets `data-theme` on the root element (without storing anything).
pub fn set_root(theme: Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_wins_over_the_system() {
        assert_eq!(Theme::effective(None, true), Theme::Dark);
        assert_eq!(Theme::effective(None, false), Theme::Light);
        assert_eq!(Theme::effective(Some(Theme::Light), true), Theme::Light);
        assert_eq!(Theme::effective(Some(Theme::Dark), false), Theme::Dark);
        assert_eq!(Theme::parse("dark"), Some(Theme::Dark));
        assert_eq!(Theme::parse(Theme::Light.as_str()), Some(Theme::Light));
        assert_eq!(Theme::parse("sepia"), None);
        assert_eq!(Theme::Dark.toggled(), Theme::Light);
    }
}
