//! In-file pragmas that silence findings: hadolint's, BuildKit's `check`
//! directive, and drydock's own.
//!
//! | pragma | scope |
//! |---|---|
//! | `# hadolint ignore=DL3008,SC2086` | the next instruction |
//! | `# hadolint global ignore=DL3003` | the whole file, wherever it stands |
//! | `# hadolint stage ignore=DL3011` | the stage whose `FROM` comes next |
//! | `# drydock ignore=DD001,runs-as-root -- reason` | the next instruction |
//! | `# drydock global ignore=… -- reason` | the whole file |
//! | `# check=skip=JSONArgsRecommended,…` or `skip=all` (parser directive) | the whole file, rules covering those BuildKit checks |
//!
//! A list item may be a drydock id (`DD002`), a drydock rule name
//! (`runs-as-root`) or a peer id (`DL3002`, `CKV_DOCKER_3`,
//! `MaintainerDeprecated`): a peer id silences every drydock rule that
//! covers it. hadolint allows a trailing `# reason`; drydock's pragma takes
//! `-- reason`, and the reason is shown with the silenced finding.

use serde::Serialize;

use crate::diagnostic::Finding;
use crate::rules;
use crate::syntax::Dockerfile;

/// Where a pragma applies.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    File,
    /// Instructions with index in `start..end`.
    Instructions(std::ops::Range<usize>),
}

/// One pragma: what it names and where it applies.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pragma {
    scope: Scope,
    /// Ids, names or peer ids, as written. `*` means every rule.
    items: Vec<String>,
    /// Rules of BuildKit's check names only (`# check=skip=`).
    buildkit: bool,
    reason: Option<String>,
    line: usize,
    text: String,
}

/// The pragmas of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pragmas {
    pragmas: Vec<Pragma>,
}

/// A finding a pragma silenced, with the pragma and its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppressed {
    pub finding: Finding,
    /// The pragma's text, e.g. `drydock ignore=DD002 -- runs as root by design`.
    pub pragma: String,
    /// The line the pragma is on (0 for a directive given from outside).
    pub pragma_line: usize,
    pub reason: Option<String>,
}

impl Pragmas {
    /// Reads the pragmas of `file`.
    pub fn read(file: &Dockerfile) -> Pragmas {
        let mut pragmas = Vec::new();
        for d in file.directives.iter().filter(|d| d.name == "check") {
            let skip = d
                .value
                .split(';')
                .find_map(|part| part.trim().strip_prefix("skip="));
            if let Some(list) = skip {
                pragmas.push(Pragma {
                    scope: Scope::File,
                    items: split_list(list),
                    buildkit: true,
                    reason: None,
                    line: d.line,
                    text: format!("check={}", d.value),
                });
            }
        }
        for c in &file.comments {
            let Some((global_or_stage, list, reason)) = parse_comment(&c.text) else {
                continue;
            };
            // The first instruction after the comment.
            let next = file
                .instructions
                .partition_point(|i| i.start_line <= c.line);
            let scope = match global_or_stage {
                Kind::Global => Scope::File,
                Kind::Next => Scope::Instructions(next..next + 1),
                Kind::Stage => {
                    let is_from = file.instructions.get(next).is_some_and(|i| i.is("FROM"));
                    if !is_from {
                        continue;
                    }
                    let end = file
                        .instructions
                        .iter()
                        .enumerate()
                        .skip(next + 1)
                        .find(|(_, i)| i.is("FROM"))
                        .map_or(file.instructions.len(), |(k, _)| k);
                    Scope::Instructions(next..end)
                }
            };
            pragmas.push(Pragma {
                scope,
                items: split_list(list),
                buildkit: false,
                reason,
                line: c.line,
                text: c.text.clone(),
            });
        }
        Pragmas { pragmas }
    }

    /// Splits `findings` into those that stand and those a pragma silences.
    /// `instruction_of` gives the index of the instruction a finding is on.
    pub fn apply(
        &self,
        findings: Vec<Finding>,
        instruction_of: impl Fn(&Finding) -> Option<usize>,
    ) -> (Vec<Finding>, Vec<Suppressed>) {
        let mut kept = Vec::new();
        let mut silenced = Vec::new();
        for finding in findings {
            let at = instruction_of(&finding);
            let hit = self.pragmas.iter().find(|p| {
                let in_scope = match &p.scope {
                    Scope::File => true,
                    Scope::Instructions(r) => at.is_some_and(|i| r.contains(&i)),
                };
                in_scope && p.items.iter().any(|item| names(item, &finding, p.buildkit))
            });
            match hit {
                Some(p) => silenced.push(Suppressed {
                    finding,
                    pragma: p.text.clone(),
                    pragma_line: p.line,
                    reason: p.reason.clone(),
                }),
                None => kept.push(finding),
            }
        }
        (kept, silenced)
    }
}

enum Kind {
    Next,
    Global,
    Stage,
}

/// `hadolint [global|stage] ignore=LIST [# reason]` or
/// `drydock [global] ignore=LIST [-- reason]`, from a comment's text.
fn parse_comment(text: &str) -> Option<(Kind, &str, Option<String>)> {
    let text = text.trim();
    let (tool, rest) = text.split_once(char::is_whitespace)?;
    let drydock = match tool.to_ascii_lowercase().as_str() {
        "hadolint" => false,
        "drydock" => true,
        _ => return None,
    };
    let rest = rest.trim_start();
    let (kind, rest) = if let Some(r) = rest.strip_prefix("global") {
        (Kind::Global, r.trim_start())
    } else if let Some(r) = rest.strip_prefix("stage").filter(|_| !drydock) {
        (Kind::Stage, r.trim_start())
    } else {
        (Kind::Next, rest)
    };
    let list = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let separator = if drydock { "--" } else { "#" };
    let (list, reason) = match list.split_once(separator) {
        Some((l, r)) => (l, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
        None => (list, None),
    };
    // The list ends at the first blank: `ignore=DL3008 extra words` ignores DL3008.
    let list = list.split_whitespace().next().unwrap_or_default();
    Some((kind, list, reason))
}

fn split_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Does `item` name the rule of `finding`?
fn names(item: &str, finding: &Finding, buildkit_only: bool) -> bool {
    let Some(rule) = rules::lookup(finding.rule) else {
        return false;
    };
    let meta = rule.meta();
    if buildkit_only {
        return meta
            .aliases
            .iter()
            .any(|a| is_buildkit_check(a) && (item == "all" || *a == item));
    }
    item == "*"
        || meta.id.eq_ignore_ascii_case(item)
        || meta.name.eq_ignore_ascii_case(item)
        || meta.aliases.iter().any(|a| a.eq_ignore_ascii_case(item))
}

/// BuildKit check names are PascalCase words (`MaintainerDeprecated`);
/// the other peers' ids are upper case with digits (`DL4000`, `CKV_DOCKER_3`).
fn is_buildkit_check(alias: &str) -> bool {
    alias.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && alias.chars().all(|c| c.is_ascii_alphabetic())
        && alias.chars().any(|c| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use crate::analyze;

    /// The security rules (DD1xx: no HEALTHCHECK, digests, end of life)
    /// also fire on these small files; the pragmas under test are about
    /// the others.
    fn pragma_rule(rule: &str) -> bool {
        rule < "DD100"
    }

    fn rules_of(text: &str) -> (Vec<&'static str>, Vec<(&'static str, Option<String>)>) {
        let a = analyze(text);
        (
            a.findings
                .iter()
                .map(|f| f.rule)
                .filter(|r| pragma_rule(r))
                .collect(),
            a.suppressed
                .iter()
                .map(|s| (s.finding.rule, s.reason.clone()))
                .collect(),
        )
    }

    #[test]
    fn hadolint_ignore_covers_the_next_instruction_only() {
        let (kept, silenced) = rules_of(
            "# hadolint ignore=DL3007\nFROM node:latest AS a\nFROM node:latest\nUSER 1000\n",
        );
        assert_eq!(kept, ["DD001"]);
        assert_eq!(silenced, [("DD001", None)]);
    }

    #[test]
    fn global_and_peer_ids_and_reasons() {
        let text = "FROM node\n# hadolint global ignore=DL3006 # we track latest on purpose\nMAINTAINER x\n";
        let (kept, silenced) = rules_of(text);
        assert_eq!(kept, ["DD002", "DD003"]);
        assert_eq!(
            silenced,
            [("DD001", Some("we track latest on purpose".into()))]
        );
    }

    #[test]
    fn drydock_pragma_takes_ids_names_and_a_reason() {
        let text = "# drydock ignore=runs-as-root,DD001 -- a throwaway CI image\nFROM node\n";
        let (kept, silenced) = rules_of(text);
        assert!(kept.is_empty(), "{kept:?}");
        assert_eq!(silenced.len(), 2);
        assert!(
            silenced
                .iter()
                .all(|s| s.1.as_deref() == Some("a throwaway CI image"))
        );
        // Silenced findings cost nothing: only DD111 (no HEALTHCHECK, low
        // 1.5 points) is left: 100 × e^(−0.015) = 98.5.
        let a = analyze(text);
        assert_eq!(
            a.findings.iter().map(|f| f.rule).collect::<Vec<_>>(),
            ["DD111"]
        );
        assert_eq!(a.score, 99);
    }

    #[test]
    fn stage_pragma_covers_its_stage() {
        let text = "# hadolint stage ignore=DL4000\nFROM alpine:3.20 AS a\nMAINTAINER x\nFROM alpine:3.20\nMAINTAINER y\nUSER 1\n";
        let a = analyze(text);
        let kept: Vec<_> = a
            .findings
            .iter()
            .filter(|f| pragma_rule(f.rule))
            .map(|f| (f.rule, f.line))
            .collect();
        assert_eq!(kept, [("DD003", 5)]);
        assert_eq!(a.suppressed.len(), 1);
    }

    #[test]
    fn buildkit_check_skip_names_checks_only() {
        let (kept, silenced) =
            rules_of("# check=skip=MaintainerDeprecated\nFROM alpine:3.20\nMAINTAINER x\nUSER 1\n");
        assert!(kept.is_empty());
        assert_eq!(silenced.len(), 1);
        // `skip=all` skips BuildKit's checks, not drydock's other rules.
        let (kept, _) = rules_of("# check=skip=all\nFROM node\nMAINTAINER x\n");
        assert_eq!(kept, ["DD002", "DD001"]);
        // A peer id BuildKit does not know is not a check name.
        let (kept, _) = rules_of("# check=skip=DL4000\nFROM alpine:3.20\nMAINTAINER x\nUSER 1\n");
        assert_eq!(kept, ["DD003"]);
    }

    #[test]
    fn unrelated_comments_and_garbage_pragmas_do_nothing() {
        for pragma in [
            "# hadolint ignore",
            "# hadolint ignore=",
            "# drydock",
            "# hadolint shell=powershell",
            "# ignore=DD001",
            "# hadolint global ignore DL3006",
        ] {
            let (kept, silenced) = rules_of(&format!("{pragma}\nFROM node\nUSER 1000\n"));
            assert_eq!(kept, ["DD001"], "{pragma}");
            assert!(silenced.is_empty(), "{pragma}");
        }
    }
}
