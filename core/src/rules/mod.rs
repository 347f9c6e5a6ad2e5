//! The rule registry. One rule, one file; each file declares the rule's
//! metadata, its docs (with a bad and a good example the tests run) and its
//! check.

use serde::Serialize;

use crate::diagnostic::{Finding, LineIndex, Points, Severity, Span};
use crate::model::BuildModel;
use crate::options::AnalysisOptions;
use crate::syntax::Dockerfile;

mod add_instead_of_copy;
mod add_url_checksum;
mod apk_cache;
mod apk_unpinned;
mod apt_get_recommends;
mod apt_get_unpinned;
mod apt_lists_kept;
mod apt_not_apt_get;
mod backtick_substitution;
mod base_digest;
mod base_image_tag;
mod bash_syntax_in_sh;
mod cd_instead_of_workdir;
mod cd_without_check;
mod command_line;
mod consecutive_run;
mod copy_destination_not_directory;
mod copy_entire_stage;
mod copy_from_own_stage;
mod copy_from_unknown_stage;
mod copy_relative_without_workdir;
mod curl_pipe_shell;
mod debug_tools_installed;
mod dev_mode_env;
mod dist_upgrade;
mod distroless_candidate;
mod duplicate_stage_name;
mod echo_escapes;
mod empty_continuation;
mod end_of_life;
mod env_self_reference;
mod expose_invalid_format;
mod expose_ports;
mod expose_protocol_casing;
pub mod fix;
mod from_as_casing;
mod from_platform_constant;
mod gem_unpinned;
mod glob_as_option;
mod go_install_unpinned;
mod hardcoded_secret;
mod inconsistent_instruction_casing;
mod install_without_yes;
mod instruction_before_from;
mod invalid_default_arg_in_from;
mod invalid_label_key;
mod legacy_key_value_format;
mod maintainer_deprecated;
mod masked_return_value;
mod negation_skips_errexit;
mod no_healthcheck;
mod non_numeric_user;
mod npm_global_install;
mod npm_unpinned;
mod onbuild_forbidden;
mod package_signature_disabled;
pub mod packages;
mod password_in_run;
mod pip_cache;
mod pip_unpinned;
mod pipe_without_pipefail;
mod pointless_command;
mod port_out_of_range;
pub mod pragma;
mod redundant_target_platform;
mod relative_workdir;
mod repeated_instruction;
mod reserved_stage_name;
mod rpm_cache_kept;
mod rpm_unpinned;
mod runs_as_root;
pub mod scope;
mod secret_build_arg;
mod sensitive_port;
pub(crate) use sensitive_port::remote_access as sensitive_port_service;
mod shell_form_command;
mod shell_symlinked;
mod single_iteration_loop;
mod single_quoted_expansion;
mod stage_name_casing;
mod sudo_in_run;
mod sudo_installed;
mod tls_verification_disabled;
mod undefined_arg_in_from;
mod undefined_variable;
mod unquoted_expansion;
mod unquoted_substitution;
mod untrusted_registry;
mod update_alone;
mod useradd_high_uid;
mod wget_and_curl;
mod wget_progress;
mod word_parts;
mod workdir_system_directory;
mod world_writable;
mod yarn_cache_kept;

pub use crate::diagnostic::Category;

/// A rule's documentation. It *is* the docs page, and its examples are tests.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleDocs {
    pub what_it_does: &'static str,
    pub why_it_matters: &'static str,
    /// Triggers the rule exactly once.
    pub bad_example: &'static str,
    /// Triggers the rule never.
    pub good_example: &'static str,
    pub references: &'static [&'static str],
}

/// Everything about a rule but its check.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleMeta {
    /// Stable id, `DD` and three digits.
    pub id: &'static str,
    /// Readable kebab-case name, usable in place of the id.
    pub name: &'static str,
    pub severity: Severity,
    pub category: Category,
    /// The peer rules this one covers (hadolint, Trivy, Checkov, BuildKit, dockle).
    pub aliases: &'static [&'static str],
    pub summary: &'static str,
}

/// The options of a [`Context`] made without any.
static DEFAULT_OPTIONS: AnalysisOptions = AnalysisOptions::DEFAULT;

/// What a check sees: the text, its tree and its build model.
#[derive(Debug)]
pub struct Context<'a> {
    pub text: &'a str,
    pub file: &'a Dockerfile,
    pub model: &'a BuildModel,
    /// What the analysis was told besides the text (today's date, …).
    pub options: &'a AnalysisOptions,
    lines: &'a LineIndex,
}

impl<'a> Context<'a> {
    pub fn new(
        text: &'a str,
        file: &'a Dockerfile,
        model: &'a BuildModel,
        lines: &'a LineIndex,
    ) -> Self {
        Self {
            text,
            file,
            model,
            options: &DEFAULT_OPTIONS,
            lines,
        }
    }

    /// The same context with `options`.
    #[must_use]
    pub fn with_options(mut self, options: &'a AnalysisOptions) -> Self {
        self.options = options;
        self
    }

    /// A finding of `rule` at `span`.
    pub fn finding(&self, rule: &RuleMeta, span: Span, message: String) -> Finding {
        self.finding_for(rule, rule.aliases, span, message)
    }

    /// A finding of `rule` that answers only for the peer ids `aliases` (a
    /// subset of the rule's): for rules that cover several peer rules, each
    /// finding names the ones that match this case.
    pub fn finding_for(
        &self,
        rule: &RuleMeta,
        aliases: &'static [&'static str],
        span: Span,
        message: String,
    ) -> Finding {
        let start = self.lines.position(self.text, span.start);
        let end = self.lines.position(self.text, span.end.max(span.start));
        Finding {
            rule: rule.id,
            severity: rule.severity,
            span,
            line: start.line,
            end_line: end.line,
            column: start.column,
            message,
            aliases,
            category: rule.category,
            points: Points::ZERO,
            fix: None,
        }
    }
}

/// A rule: metadata plus a check that appends findings.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// Every rule, in id order.
pub static REGISTRY: &[&dyn Rule] = &[
    &base_image_tag::BaseImageTag,
    &runs_as_root::RunsAsRoot,
    &maintainer_deprecated::MaintainerDeprecated,
    &consecutive_run::ConsecutiveRun,
    &apt_get_unpinned::AptGetUnpinned,
    &pipe_without_pipefail::PipeWithoutPipefail,
    &apt_get_recommends::AptGetRecommends,
    &add_instead_of_copy::AddInsteadOfCopy,
    &apk_unpinned::ApkUnpinned,
    &cd_instead_of_workdir::CdInsteadOfWorkdir,
    &apt_lists_kept::AptListsKept,
    &wget_progress::WgetProgress,
    &pip_cache::PipCache,
    &pip_unpinned::PipUnpinned,
    &shell_form_command::ShellFormCommand,
    &apk_cache::ApkCache,
    &npm_unpinned::NpmUnpinned,
    &sudo_in_run::SudoInRun,
    &wget_and_curl::WgetAndCurl,
    &apt_not_apt_get::AptNotAptGet,
    &non_numeric_user::NonNumericUser,
    &rpm_unpinned::RpmUnpinned,
    &rpm_cache_kept::RpmCacheKept,
    &install_without_yes::InstallWithoutYes,
    &copy_relative_without_workdir::CopyRelativeWithoutWorkdir,
    &go_install_unpinned::GoInstallUnpinned,
    &gem_unpinned::GemUnpinned,
    &invalid_label_key::InvalidLabelKey,
    &relative_workdir::RelativeWorkdir,
    &pointless_command::PointlessCommand,
    &yarn_cache_kept::YarnCacheKept,
    &copy_from_unknown_stage::CopyFromUnknownStage,
    &copy_from_own_stage::CopyFromOwnStage,
    &duplicate_stage_name::DuplicateStageName,
    &repeated_instruction::RepeatedInstruction,
    &port_out_of_range::PortOutOfRange,
    &copy_destination_not_directory::CopyDestinationNotDirectory,
    &from_platform_constant::FromPlatformConstant,
    &redundant_target_platform::RedundantTargetPlatform,
    &dist_upgrade::DistUpgrade,
    &onbuild_forbidden::OnbuildForbidden,
    &env_self_reference::EnvSelfReference,
    &useradd_high_uid::UseraddHighUid,
    &instruction_before_from::InstructionBeforeFrom,
    &reserved_stage_name::ReservedStageName,
    &copy_entire_stage::CopyEntireStage,
    &inconsistent_instruction_casing::InconsistentInstructionCasing,
    &expose_invalid_format::ExposeInvalidFormat,
    &expose_protocol_casing::ExposeProtocolCasing,
    &from_as_casing::FromAsCasing,
    &invalid_default_arg_in_from::InvalidDefaultArgInFrom,
    &legacy_key_value_format::LegacyKeyValueFormat,
    &empty_continuation::EmptyContinuation,
    &stage_name_casing::StageNameCasing,
    &undefined_arg_in_from::UndefinedArgInFrom,
    &shell_symlinked::ShellSymlinked,
    &update_alone::UpdateAlone,
    &untrusted_registry::UntrustedRegistry,
    &undefined_variable::UndefinedVariable,
    &hardcoded_secret::HardcodedSecret,
    &secret_build_arg::SecretBuildArg,
    &curl_pipe_shell::CurlPipeShell,
    &add_url_checksum::AddUrlChecksum,
    &world_writable::WorldWritable,
    &debug_tools_installed::DebugToolsInstalled,
    &sensitive_port::SensitivePort,
    &dev_mode_env::DevModeEnv,
    &distroless_candidate::DistrolessCandidate,
    &base_digest::BaseDigest,
    &end_of_life::EndOfLife,
    &no_healthcheck::NoHealthcheck,
    &sudo_installed::SudoInstalled,
    &npm_global_install::NpmGlobalInstall,
    &workdir_system_directory::WorkdirSystemDirectory,
    &tls_verification_disabled::TlsVerificationDisabled,
    &package_signature_disabled::PackageSignatureDisabled,
    &password_in_run::PasswordInRun,
    &unquoted_expansion::UnquotedExpansion,
    &masked_return_value::MaskedReturnValue,
    &unquoted_substitution::UnquotedSubstitution,
    &single_quoted_expansion::SingleQuotedExpansion,
    &cd_without_check::CdWithoutCheck,
    &echo_escapes::EchoEscapes,
    &glob_as_option::GlobAsOption,
    &backtick_substitution::BacktickSubstitution,
    &negation_skips_errexit::NegationSkipsErrexit,
    &single_iteration_loop::SingleIterationLoop,
    &bash_syntax_in_sh::BashSyntaxInSh,
];

/// Each rule's docs, by id. Apart from [`RuleMeta`] so that a build which
/// only analyses (the playground's first load) carries none of their text;
/// the docs pages, SARIF's help and the CLI read them here.
static DOCS: &[(&str, &RuleDocs)] = &[
    ("DD001", &base_image_tag::DOCS),
    ("DD002", &runs_as_root::DOCS),
    ("DD003", &maintainer_deprecated::DOCS),
    ("DD004", &consecutive_run::DOCS),
    ("DD005", &apt_get_unpinned::DOCS),
    ("DD006", &pipe_without_pipefail::DOCS),
    ("DD007", &apt_get_recommends::DOCS),
    ("DD008", &add_instead_of_copy::DOCS),
    ("DD009", &apk_unpinned::DOCS),
    ("DD010", &cd_instead_of_workdir::DOCS),
    ("DD011", &apt_lists_kept::DOCS),
    ("DD012", &wget_progress::DOCS),
    ("DD013", &pip_cache::DOCS),
    ("DD014", &pip_unpinned::DOCS),
    ("DD015", &shell_form_command::DOCS),
    ("DD016", &apk_cache::DOCS),
    ("DD017", &npm_unpinned::DOCS),
    ("DD018", &sudo_in_run::DOCS),
    ("DD019", &wget_and_curl::DOCS),
    ("DD020", &apt_not_apt_get::DOCS),
    ("DD021", &non_numeric_user::DOCS),
    ("DD022", &rpm_unpinned::DOCS),
    ("DD023", &rpm_cache_kept::DOCS),
    ("DD024", &install_without_yes::DOCS),
    ("DD025", &copy_relative_without_workdir::DOCS),
    ("DD026", &go_install_unpinned::DOCS),
    ("DD027", &gem_unpinned::DOCS),
    ("DD028", &invalid_label_key::DOCS),
    ("DD029", &relative_workdir::DOCS),
    ("DD030", &pointless_command::DOCS),
    ("DD031", &yarn_cache_kept::DOCS),
    ("DD032", &copy_from_unknown_stage::DOCS),
    ("DD033", &copy_from_own_stage::DOCS),
    ("DD034", &duplicate_stage_name::DOCS),
    ("DD035", &repeated_instruction::DOCS),
    ("DD036", &port_out_of_range::DOCS),
    ("DD037", &copy_destination_not_directory::DOCS),
    ("DD038", &from_platform_constant::DOCS),
    ("DD039", &redundant_target_platform::DOCS),
    ("DD040", &dist_upgrade::DOCS),
    ("DD041", &onbuild_forbidden::DOCS),
    ("DD042", &env_self_reference::DOCS),
    ("DD043", &useradd_high_uid::DOCS),
    ("DD044", &instruction_before_from::DOCS),
    ("DD045", &reserved_stage_name::DOCS),
    ("DD046", &copy_entire_stage::DOCS),
    ("DD047", &inconsistent_instruction_casing::DOCS),
    ("DD048", &expose_invalid_format::DOCS),
    ("DD049", &expose_protocol_casing::DOCS),
    ("DD050", &from_as_casing::DOCS),
    ("DD051", &invalid_default_arg_in_from::DOCS),
    ("DD052", &legacy_key_value_format::DOCS),
    ("DD053", &empty_continuation::DOCS),
    ("DD054", &stage_name_casing::DOCS),
    ("DD055", &undefined_arg_in_from::DOCS),
    ("DD056", &shell_symlinked::DOCS),
    ("DD057", &update_alone::DOCS),
    ("DD060", &untrusted_registry::DOCS),
    ("DD061", &undefined_variable::DOCS),
    ("DD100", &hardcoded_secret::DOCS),
    ("DD101", &secret_build_arg::DOCS),
    ("DD102", &curl_pipe_shell::DOCS),
    ("DD103", &add_url_checksum::DOCS),
    ("DD104", &world_writable::DOCS),
    ("DD105", &debug_tools_installed::DOCS),
    ("DD106", &sensitive_port::DOCS),
    ("DD107", &dev_mode_env::DOCS),
    ("DD108", &distroless_candidate::DOCS),
    ("DD109", &base_digest::DOCS),
    ("DD110", &end_of_life::DOCS),
    ("DD111", &no_healthcheck::DOCS),
    ("DD112", &sudo_installed::DOCS),
    ("DD113", &npm_global_install::DOCS),
    ("DD114", &workdir_system_directory::DOCS),
    ("DD115", &tls_verification_disabled::DOCS),
    ("DD116", &package_signature_disabled::DOCS),
    ("DD117", &password_in_run::DOCS),
    ("DD200", &unquoted_expansion::DOCS),
    ("DD201", &masked_return_value::DOCS),
    ("DD202", &unquoted_substitution::DOCS),
    ("DD203", &single_quoted_expansion::DOCS),
    ("DD204", &cd_without_check::DOCS),
    ("DD205", &echo_escapes::DOCS),
    ("DD206", &glob_as_option::DOCS),
    ("DD207", &backtick_substitution::DOCS),
    ("DD208", &negation_skips_errexit::DOCS),
    ("DD209", &single_iteration_loop::DOCS),
    ("DD210", &bash_syntax_in_sh::DOCS),
];

/// The docs of the rule or image check with this id.
pub fn docs(id: &str) -> Option<&'static RuleDocs> {
    DOCS.iter()
        .find(|(i, _)| *i == id)
        .map(|(_, d)| *d)
        .or_else(|| crate::image::check_docs(id))
}

/// `meta`'s docs; a rule or check without any (none has: see the tests)
/// gets its summary.
pub fn docs_of(meta: &RuleMeta) -> RuleDocs {
    docs(meta.id).copied().unwrap_or(RuleDocs {
        what_it_does: meta.summary,
        why_it_matters: "",
        bad_example: "",
        good_example: "",
        references: &[],
    })
}

/// The rule with this id or name (case-insensitive).
pub fn lookup(id_or_name: &str) -> Option<&'static dyn Rule> {
    REGISTRY.iter().copied().find(|r| {
        let m = r.meta();
        m.id.eq_ignore_ascii_case(id_or_name) || m.name.eq_ignore_ascii_case(id_or_name)
    })
}

/// Runs every rule over a parsed file.
pub fn check_all(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in REGISTRY {
        rule.check(cx, &mut out);
    }
    out.sort_by(|a, b| (a.span.start, a.rule).cmp(&(b.span.start, b.rule)));
    out
}

/// The options a rule's docs examples are judged with: the default, except
/// for rules that only run with a configuration (`untrusted-registry` needs
/// trusted registries). The docs test and the fixes test use it.
pub fn example_options(id: &str) -> AnalysisOptions {
    let mut options = AnalysisOptions::default();
    if id == untrusted_registry::UntrustedRegistry.meta().id {
        options.trusted_registries = untrusted_registry::EXAMPLE_TRUSTED
            .iter()
            .map(|r| (*r).to_string())
            .collect();
    }
    options
}

/// Helpers for the rules' own tests: one way to ask "what does this rule
/// find in this text".
#[cfg(test)]
pub(crate) mod check {
    use crate::analyze;

    /// The text each finding of `rule` in `text` points at, in order.
    pub fn spans(rule: &str, text: &str) -> Vec<String> {
        lines_and_spans(rule, text)
            .into_iter()
            .map(|(_, span)| span)
            .collect()
    }

    /// Each finding of `rule` in `text` as its line and the text it points at.
    pub fn lines_and_spans(rule: &str, text: &str) -> Vec<(usize, String)> {
        analyze(text)
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| {
                let span = text.get(f.span.start..f.span.end).unwrap_or("<bad span>");
                (f.line, span.to_string())
            })
            .collect()
    }

    /// The peer ids each finding of `rule` in `text` answers for, in order.
    pub fn aliases(rule: &str, text: &str) -> Vec<&'static str> {
        analyze(text)
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .flat_map(|f| f.aliases.iter().copied())
            .collect()
    }

    /// The line of each finding of `rule` in `text`, in order.
    pub fn lines(rule: &str, text: &str) -> Vec<usize> {
        lines_and_spans(rule, text)
            .into_iter()
            .map(|(line, _)| line)
            .collect()
    }

    /// Whether `rule` finds anything in `text`.
    pub fn fires(rule: &str, text: &str) -> bool {
        analyze(text).findings.iter().any(|f| f.rule == rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze;

    fn count(text: &str, id: &str) -> usize {
        crate::analyze_with(text, &example_options(id))
            .findings
            .iter()
            .filter(|f| f.rule == id)
            .count()
    }

    /// Every rule's docs examples are tests: the bad one triggers it exactly
    /// once, the good one never, and both parse cleanly.
    #[test]
    fn docs_examples_hold_for_every_rule() {
        for rule in REGISTRY {
            let m = rule.meta();
            let d = docs_or_panic(m);
            for example in [d.bad_example, d.good_example] {
                let a = analyze(example);
                assert!(
                    a.errors.is_empty(),
                    "{}: example does not parse: {:?}",
                    m.id,
                    a.errors
                );
            }
            assert_eq!(count(d.bad_example, m.id), 1, "{}: bad example", m.id);
            assert_eq!(count(d.good_example, m.id), 0, "{}: good example", m.id);
        }
    }

    /// A finding answers only for peer ids its rule declares.
    #[test]
    fn finding_aliases_are_the_rules() {
        for rule in REGISTRY {
            let m = rule.meta();
            for f in analyze(docs_or_panic(m).bad_example).findings {
                let Some(owner) = lookup(f.rule) else {
                    continue;
                };
                let declared = owner.meta().aliases;
                assert!(
                    f.aliases.iter().all(|a| declared.contains(a)),
                    "{}: {:?} not in {:?}",
                    f.rule,
                    f.aliases,
                    declared
                );
            }
        }
    }

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for rule in REGISTRY {
            let m = rule.meta();
            assert!(m.id.len() == 5 && m.id.starts_with("DD"), "{}", m.id);
            assert!(
                m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                m.name
            );
            assert!(
                seen.insert(m.id) && seen.insert(m.name),
                "duplicate {}",
                m.id
            );
            assert!(lookup(m.name).is_some() && lookup(m.id).is_some());
            assert!(
                !docs_or_panic(m).references.is_empty(),
                "{} has no references",
                m.id
            );
        }
        let ids: Vec<_> = REGISTRY.iter().map(|r| r.meta().id).collect();
        assert!(ids.is_sorted(), "registry is not in id order: {ids:?}");
    }

    fn docs_or_panic(m: &RuleMeta) -> &'static RuleDocs {
        super::docs(m.id).unwrap_or_else(|| panic!("{} has no docs", m.id))
    }

    /// The docs table lists each registered rule once, nothing else, each
    /// under its own id (its bad example triggers that rule: see above).
    #[test]
    fn every_rule_has_docs_and_only_rules_do() {
        let ids: Vec<_> = REGISTRY.iter().map(|r| r.meta().id).collect();
        let documented: Vec<_> = DOCS.iter().map(|(id, _)| *id).collect();
        assert_eq!(documented, ids);
        for check in crate::image::CHECKS {
            assert_eq!(docs(check.id).map(|d| d.what_it_does), Some(check.summary));
        }
    }
}
