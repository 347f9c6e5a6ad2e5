//! The user's settings: rules to ignore, severities to override and the
//! registries base images may come from, kept
//! in the browser's localStorage (never sent anywhere). Applied with the
//! core's [`Config`], the same code the CLI's `--config` uses.

use drydock_core::Severity;
use drydock_core::config::Config;
use serde::{Deserialize, Serialize};

/// Where the settings live in localStorage. The version changes when the
/// shape does; an old or garbled value is ignored, never an error.
pub const STORAGE_KEY: &str = "drydock.settings.v1";

/// Ignored rules and severity overrides, as the user entered them (ids,
/// names or peer ids).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub ignored: Vec<String>,
    /// `(rule, severity name)`.
    #[serde(default)]
    pub overrides: Vec<(String, String)>,
    /// Registries base images may come from; empty: no policy.
    #[serde(default)]
    pub trusted_registries: Vec<String>,
}

impl Settings {
    /// The core's configuration for these settings (unknown severity names
    /// are skipped).
    pub fn config(&self) -> Config {
        Config {
            ignored: self.ignored.clone(),
            overrides: self
                .overrides
                .iter()
                .filter_map(|(rule, sev)| Some((rule.clone(), Severity::parse(sev)?)))
                .collect(),
            trusted_registries: self.trusted_registries.clone(),
        }
    }

    /// Sets the trusted registries from a list separated by commas or
    /// spaces (`docker.io, *.gcr.io`).
    pub fn set_trusted_registries(&mut self, text: &str) {
        self.trusted_registries = text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
    }

    /// Adds `rule` to the ignored list (once).
    pub fn ignore(&mut self, rule: &str) {
        let rule = rule.trim();
        if !rule.is_empty() && !self.ignored.iter().any(|r| r.eq_ignore_ascii_case(rule)) {
            self.ignored.push(rule.to_string());
        }
    }

    /// Sets the severity of `rule`, replacing an earlier override of it.
    pub fn set_severity(&mut self, rule: &str, severity: Severity) {
        let rule = rule.trim();
        if rule.is_empty() {
            return;
        }
        self.overrides
            .retain(|(r, _)| !r.eq_ignore_ascii_case(rule));
        self.overrides
            .push((rule.to_string(), severity.as_str().to_string()));
    }

    /// Reads settings saved by [`Settings::to_json`]; anything else gives
    /// the defaults.
    pub fn from_json(text: &str) -> Settings {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved settings, or the defaults (no storage, nothing saved, garbage).
pub fn load() -> Settings {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .map(|text| Settings::from_json(&text))
        .unwrap_or_default()
}

/// Saves the settings; a full or forbidden storage is not an error (the
/// settings then last until the page closes).
pub fn save(settings: &Settings) {
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, &settings.to_json());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_tolerates_garbage() {
        let mut s = Settings::default();
        s.ignore("DD001");
        s.ignore("dd001");
        s.ignore("  ");
        s.set_severity("DL4000", Severity::High);
        s.set_severity("dl4000", Severity::Low);
        assert_eq!(s.ignored, ["DD001"]);
        assert_eq!(s.overrides, [("dl4000".to_string(), "low".to_string())]);
        assert_eq!(Settings::from_json(&s.to_json()), s);
        for garbage in ["", "{", "null", "[1,2]", "{\"ignored\": 3}", "<script>"] {
            assert_eq!(
                Settings::from_json(garbage),
                Settings::default(),
                "{garbage}"
            );
        }
        // Unknown severities are skipped, not applied.
        let odd = Settings {
            overrides: vec![("DD001".into(), "urgent".into())],
            ..Settings::default()
        };
        assert!(odd.config().overrides.is_empty());
        // Trusted registries: commas or spaces; settings saved before they
        // existed still load.
        s.set_trusted_registries(" docker.io,*.gcr.io  ghcr.io,, ");
        assert_eq!(
            s.config().trusted_registries,
            ["docker.io", "*.gcr.io", "ghcr.io"]
        );
        assert_eq!(Settings::from_json(&s.to_json()), s);
        let old = Settings::from_json("{\"ignored\":[\"DD001\"],\"overrides\":[]}");
        assert_eq!(old.ignored, ["DD001"]);
        assert!(old.trusted_registries.is_empty());
    }
}
