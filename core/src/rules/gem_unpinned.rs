use crate::diagnostic::{Finding, Severity};
use crate::rules::command_line::{has_option, list, program, runs, subcommand};
use crate::rules::{Category, Context, Rule, RuleDocs, RuleMeta};

/// `gem install` without versions.
#[derive(Debug)]
pub struct GemUnpinned;

static META: RuleMeta = RuleMeta {
    id: "DD027",
    name: "gem-unpinned",
    severity: Severity::Low,
    category: Category::SupplyChain,
    aliases: &["DL3028"],
    summary: "`gem install` without versions",
};

/// The rule's docs page (see [`super::docs`]).
pub(super) static DOCS: RuleDocs = RuleDocs {
    what_it_does: "Flags a `gem install` that names a gem without a version: neither \
        `name:1.2.3` nor a `-v`/`--version` option. Local `.gem` files are not judged.",
    why_it_matters: "Without a version RubyGems installs the newest release at build time, \
        so rebuilding the same Dockerfile can pull in a breaking or malicious release. A \
        version (or a `Gemfile.lock` with `bundle install`) makes the build repeatable. \
        Severity low: reproducibility, with a supply-chain edge.",
    bad_example: "FROM ruby:3.3-slim\nRUN gem install bundler\n",
    good_example: "FROM ruby:3.3-slim\nRUN gem install bundler:2.5.16\n",
    references: &[
        "https://guides.rubygems.org/command-reference/#gem-install",
        "https://docs.docker.com/build/building/best-practices/#run",
    ],
};

const VALUE_OPTIONS: &[&str] = &[
    "-v",
    "--version",
    "-i",
    "--install-dir",
    "-n",
    "--bindir",
    "-s",
    "--source",
    "-p",
    "--http-proxy",
    "--platform",
    "-g",
    "--file",
    "--build-root",
];

impl Rule for GemUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for run in runs(cx) {
            for cmd in run.commands() {
                if program(cmd) != Some("gem") || has_option(cmd, &["version"], &['v']) {
                    continue;
                }
                let Some(("install" | "i", gems)) = subcommand(cmd, VALUE_OPTIONS) else {
                    continue;
                };
                let unpinned: Vec<_> = gems
                    .into_iter()
                    .filter(|w| !w.value.contains(':') && !w.value.ends_with(".gem"))
                    .collect();
                let Some(first) = unpinned.first() else {
                    continue;
                };
                let names: Vec<&str> = unpinned.iter().map(|w| w.value.as_str()).collect();
                let message = format!(
                    "`gem install` without versions for {}: pin them (`gem install name:1.2.3`).",
                    list(&names, 5)
                );
                out.push(cx.finding(&META, run.span_of(first.span), message));
            }
        }
    }
}
