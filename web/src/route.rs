//! Hash routes: the app is one page, and the part after `#` says what it
//! shows. No server is involved, so links work offline and from a file.

use drydock_core::share;

/// What the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `#` or `#/`: the playground.
    Playground,
    /// `#/rules`: every rule.
    Rules,
    /// `#/rules/<id or name>`: one rule's docs.
    Rule(String),
    /// `#/docs/scoring`: how the score is made.
    Scoring,
    /// `#/docs`: what drydock is, how to use it, privacy, embedding.
    Docs,
    /// `#/examples`: the examples gallery.
    Examples,
    /// `#/embed/<analysis link>`: a compact result for an iframe.
    Embed(String),
    /// `#/image`: a container image archive, analysed in a worker.
    Image,
    /// `#v1.…`: an analysis link; the playground opens its Dockerfile.
    SharedDockerfile(String),
    /// `#s1.…`: a score link, shown as a read-only card.
    ScoreCard(String),
    /// Anything else: said so, with a way back.
    NotFound(String),
}

impl Route {
    /// The route of the page's `location.hash`.
    pub fn current() -> Route {
        Route::parse(
            &web_sys::window()
                .and_then(|w| w.location().hash().ok())
                .unwrap_or_default(),
        )
    }

    /// Reads a `location.hash` (`#/rules/DD001`, `#`, or empty).
    pub fn parse(hash: &str) -> Route {
        let path = hash.strip_prefix('#').unwrap_or(hash);
        if share::is_share_link(path) {
            return if path.starts_with('s') {
                Route::ScoreCard(path.to_string())
            } else {
                Route::SharedDockerfile(path.to_string())
            };
        }
        let path = path.split('?').next().unwrap_or_default().trim_matches('/');
        let mut parts = path.split('/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(""), None, None) => Route::Playground,
            (Some("rules"), None, None) => Route::Rules,
            (Some("rules"), Some(id), None) if !id.is_empty() => Route::Rule(decode(id)),
            (Some("docs"), Some("scoring"), None) => Route::Scoring,
            (Some("docs"), None, None) => Route::Docs,
            (Some("examples"), None, None) => Route::Examples,
            (Some("embed"), Some(link), None) if share::is_share_link(link) => {
                Route::Embed(link.to_string())
            }
            (Some("image"), None, None) => Route::Image,
            _ => Route::NotFound(path.to_string()),
        }
    }

    /// The hash that leads here.
    pub fn href(&self) -> String {
        match self {
            Route::Playground => "#/".to_string(),
            Route::Rules => "#/rules".to_string(),
            Route::Rule(id) => format!("#/rules/{id}"),
            Route::Scoring => "#/docs/scoring".to_string(),
            Route::Docs => "#/docs".to_string(),
            Route::Examples => "#/examples".to_string(),
            Route::Embed(link) => format!("#/embed/{link}"),
            Route::Image => "#/image".to_string(),
            Route::SharedDockerfile(link) | Route::ScoreCard(link) => format!("#{link}"),
            Route::NotFound(path) => format!("#/{path}"),
        }
    }
}

/// Percent-decodes a path segment; bad escapes are kept as written.
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = segment
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hashes() {
        assert_eq!(Route::parse(""), Route::Playground);
        assert_eq!(Route::parse("#"), Route::Playground);
        assert_eq!(Route::parse("#/"), Route::Playground);
        assert_eq!(Route::parse("#/rules"), Route::Rules);
        assert_eq!(
            Route::parse("#v1.d.AA"),
            Route::SharedDockerfile("v1.d.AA".into())
        );
        assert_eq!(
            Route::parse("#s1.9.P.x."),
            Route::ScoreCard("s1.9.P.x.".into())
        );
        assert_eq!(Route::parse("#v1.d.AA").href(), "#v1.d.AA");
        assert_eq!(Route::parse("#/docs"), Route::Docs);
        assert_eq!(Route::parse("#/examples"), Route::Examples);
        assert_eq!(
            Route::parse("#/embed/v1.r.QQ"),
            Route::Embed("v1.r.QQ".into())
        );
        assert!(matches!(Route::parse("#/embed/nope"), Route::NotFound(_)));
        assert_eq!(Route::parse("#/rules/"), Route::Rules);
        assert_eq!(Route::parse("#/rules/DD001"), Route::Rule("DD001".into()));
        assert_eq!(
            Route::parse("#/rules/runs%2Das%2Droot"),
            Route::Rule("runs-as-root".into())
        );
        assert_eq!(Route::parse("#/rules/%zz"), Route::Rule("%zz".into()));
        assert_eq!(Route::parse("#/nope/x"), Route::NotFound("nope/x".into()));
        assert_eq!(Route::Rule("DD002".into()).href(), "#/rules/DD002");
        assert_eq!(Route::parse("#/docs/scoring"), Route::Scoring);
        assert_eq!(Route::Scoring.href(), "#/docs/scoring");
        assert_eq!(Route::parse("#/image"), Route::Image);
        assert_eq!(Route::Image.href(), "#/image");
    }
}
