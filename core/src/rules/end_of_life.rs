use crate::diagnostic::{Finding, Severity};
use crate::eol::{self, AS_OF, Cycle, Date, EolStatus};
use crate::model::BaseKind;
use crate::rules::base_digest::name;
use crate::rules::scope;
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// A base image whose distribution or runtime no longer gets fixes.
#[derive(Debug)]
pub struct EndOfLife;

static META: RuleMeta = RuleMeta {
    id: "DD110",
    name: "end-of-life-base-image",
    severity: Severity::High,
    category: Category::SupplyChain,
    aliases: &[],
    summary: "Base image runs an end-of-life distribution or runtime",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Resolves each base image of the stages the target needs to the release \
        cycles it runs — the image's own product (`node:16` → Node.js 16, `python:3.7` → \
        Python 3.7, `golang:1.19`, `debian:buster`, `alpine:3.12`) and the OS its tag \
        names (`python:3.11-slim-buster` → Debian 10) — and compares their end of life with \
        today, using end-of-life data built into drydock (from endoflife.date, its date \
        shown in the message). Ended cycles are high in the final image (its stage or a \
        stage it is built `FROM`) and medium in build stages; a cycle ending within 90 days \
        is low. Moving tags (`latest`, `lts`, `3`) name no cycle and are not judged. The \
        date is an input: without one (as in these docs) only cycles that had already ended \
        on the data's date are reported, never \"ends soon\".",
    why_it_matters: "After its end of life a distribution or runtime gets no security fixes: \
        every vulnerability found afterwards stays open in the image for good, scanners \
        report it on every build, and package mirrors for old releases disappear, breaking \
        rebuilds. A build stage on an ended toolchain matters too — Go and Rust link their \
        standard library into the binary the final stage ships.",
    bad_example: "FROM node:16-alpine\nUSER node\nCMD [\"node\", \"server.js\"]\n",
    good_example: "FROM node:22-alpine\nUSER node\nCMD [\"node\", \"server.js\"]\n",
    references: &[
        "https://endoflife.date/",
        "https://github.com/nodejs/release#release-schedule",
        "https://devguide.python.org/versions/",
        "https://wiki.debian.org/DebianReleases",
    ],
};

impl Rule for EndOfLife {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let chain = scope::final_chain(cx.model);
        // Without a date, judge on the data's own date with no warning
        // window: what had ended then has ended now.
        let (today, window) = match cx.options.today {
            Some(d) => (d, eol::DEFAULT_WARNING_DAYS),
            None => match Date::parse(AS_OF) {
                Some(d) => (d, 0),
                None => return,
            },
        };
        for stage in cx.model.stages.iter().filter(|s| s.reachable) {
            let image = &stage.base_image;
            if stage.base_kind != BaseKind::Image {
                continue;
            }
            let Some(tag) = image.tag.as_deref() else {
                continue;
            };
            let shipped = chain.contains(&stage.index);
            for cycle in eol::resolve(&name(image), tag).cycles() {
                let judged = effective(cycle);
                let (severity, verdict) = match eol::status(&judged, today, window) {
                    EolStatus::EndOfLife { since } => {
                        let when = since.map_or_else(
                            || "has reached end of life".to_string(),
                            |d| format!("reached end of life on {d}"),
                        );
                        let severity = if shipped {
                            Severity::High
                        } else {
                            Severity::Medium
                        };
                        (severity, when)
                    }
                    EolStatus::EndingSoon { days, on } => (
                        Severity::Low,
                        format!("reaches end of life on {on}, in {days} days"),
                    ),
                    EolStatus::Supported | EolStatus::Unknown => continue,
                };
                let where_ = if shipped {
                    "the final image"
                } else {
                    "a build stage"
                };
                let message = format!(
                    "`{}` runs {} in {where_}, which {verdict}: it no longer gets security \
                     fixes. Move to a supported release{}. (End-of-life data as of {AS_OF}.)",
                    stage.base_resolved,
                    label(cycle),
                    latest_hint(cycle, today),
                );
                let mut f = cx.finding(&META, stage.base_span, message);
                f.severity = severity;
                out.push(f);
            }
        }
    }
}

/// The cycle with the end date that matters for an image: Debian's LTS
/// (free, published to the same security archive, and the official images
/// keep being rebuilt) extends its security support; other products' paid
/// extended support does not count.
fn effective(cycle: &Cycle) -> Cycle {
    match (cycle.product, cycle.extended_support) {
        ("debian", eol::Eol::On(end)) => Cycle {
            eol: eol::Eol::On(end),
            ..*cycle
        },
        _ => *cycle,
    }
}

/// `Debian 10 (Buster)`, `Node.js 16`.
fn label(cycle: &Cycle) -> String {
    let product = match cycle.product {
        "nodejs" => "Node.js",
        "python" => "Python",
        "go" => "Go",
        "debian" => "Debian",
        "ubuntu" => "Ubuntu",
        "alpine-linux" => "Alpine Linux",
        "centos" => "CentOS",
        "centos-stream" => "CentOS Stream",
        "fedora" => "Fedora",
        "amazon-linux" => "Amazon Linux",
        "rocky-linux" => "Rocky Linux",
        "almalinux" => "AlmaLinux",
        "oracle-linux" => "Oracle Linux",
        "opensuse" => "openSUSE Leap",
        "rhel" => "RHEL",
        "ruby" => "Ruby",
        "php" => "PHP",
        "eclipse-temurin" => "Eclipse Temurin",
        "postgresql" => "PostgreSQL",
        "mysql" => "MySQL",
        "mariadb" => "MariaDB",
        "mongodb" => "MongoDB",
        "redis" => "Redis",
        "nginx" => "nginx",
        "dotnet" => ".NET",
        other => other,
    };
    match cycle.codename {
        Some(c) => format!("{product} {} ({c})", cycle.cycle),
        None => format!("{product} {}", cycle.cycle),
    }
}

/// ` (e.g. 22)` — the newest supported cycle of the same product, a
/// long-term-support one if there is one.
fn latest_hint(cycle: &Cycle, today: Date) -> String {
    let newest = eol::CYCLES
        .iter()
        .filter(|c| c.product == cycle.product)
        .filter(|c| matches!(eol::status(&effective(c), today, 0), EolStatus::Supported))
        .max_by_key(|c| (c.lts, c.release));
    match newest {
        Some(c) if c.cycle != cycle.cycle => format!(" (e.g. {})", c.cycle),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::eol::Date;
    use crate::{AnalysisOptions, Severity, analyze, analyze_with};

    fn found_on(text: &str, today: Option<Date>) -> Vec<(usize, Severity, String)> {
        let options = AnalysisOptions {
            today,
            ..AnalysisOptions::default()
        };
        analyze_with(text, &options)
            .findings
            .iter()
            .filter(|f| f.rule == "DD110")
            .map(|f| (f.line, f.severity, f.message.clone()))
            .collect()
    }

    fn found(text: &str) -> Vec<(usize, Severity)> {
        found_on(text, None)
            .into_iter()
            .map(|(l, s, _)| (l, s))
            .collect()
    }

    #[test]
    fn final_and_build_stages() {
        let got = found_on(
            "FROM golang:1.19-alpine AS build\nFROM debian:buster-slim\nCOPY --from=build /a /a\n",
            None,
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].0, got[0].1), (1, Severity::Medium));
        assert!(
            got[0].1 == Severity::Medium && got[0].2.contains("Go 1.19"),
            "{}",
            got[0].2
        );
        assert_eq!((got[1].0, got[1].1), (2, Severity::High));
        assert!(got[1].2.contains("Debian 10 (Buster)"), "{}", got[1].2);
        assert!(got[1].2.contains("2024-06-30"), "{}", got[1].2);
        assert!(got[1].2.contains("as of 2026-08-22"), "{}", got[1].2);
    }

    #[test]
    fn product_and_os_each_and_inherited_chains() {
        assert_eq!(
            found("FROM python:3.7-slim-buster AS base\nFROM base\n"),
            [(1, Severity::High), (1, Severity::High)]
        );
        assert_eq!(
            found("ARG NODE=16\nFROM node:${NODE}-alpine\n"),
            [(2, Severity::High)]
        );
    }

    #[test]
    fn ending_soon_needs_a_date() {
        let text = "FROM node:22-slim\n";
        assert_eq!(found(text), []);
        let soon = found_on(text, Date::parse("2027-03-01"));
        assert_eq!(soon.len(), 1);
        assert_eq!(soon[0].1, Severity::Low);
        assert!(
            soon[0].2.contains("2027-04-30, in 60 days"),
            "{}",
            soon[0].2
        );
        let ended = found_on(text, Date::parse("2027-05-01"));
        assert_eq!(ended[0].1, Severity::High);
        assert_eq!(found_on(text, Date::parse("2026-09-01")), []);
    }

    #[test]
    fn supported_moving_and_unknown_tags() {
        for text in [
            "FROM node:22-slim\n",
            "FROM node:latest\n",
            "FROM python:3\n",
            // Debian LTS (free) runs to 2028.
            "FROM debian:bookworm\n",
            "FROM example.com/acme/app:1.0\n",
            "FROM node:16 AS unused\nFROM node:22\n",
            "FROM scratch\n",
        ] {
            assert_eq!(found(text), [], "{text}");
        }
    }

    #[test]
    fn default_analysis_has_no_date() {
        assert_eq!(
            analyze("FROM node:16\n")
                .findings
                .iter()
                .filter(|f| f.rule == "DD110")
                .count(),
            1
        );
    }
}
