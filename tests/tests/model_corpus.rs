//! The build model over the development corpus (`../shared/corpus/
//! dockerfiles`): every file gives a model without panicking; the test
//! prints figures (stages, unresolved FROMs, RUNs lexed / not analysable).
//! Without `../shared`, the test says so and passes. A property test feeds
//! random, Dockerfile-flavoured bytes to the model.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use drydock_core::model::{BaseKind, BuildModel, BuildOptions, RunForm};
use drydock_core::syntax;

#[test]
fn model_builds_for_every_corpus_file() {
    let Some((dir, names)) = common::corpus_names("corpus model test") else {
        return;
    };
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    let options = BuildOptions::default();
    let (mut files, mut stages, mut unresolved, mut invalid, mut with_unset) = (0, 0, 0, 0, 0);
    let (mut runs, mut lexed, mut not_analysable, mut exec, mut with_errors) = (0, 0, 0, 0, 0);
    let (mut edges, mut unreachable) = (0, 0);
    let mut diagnostics: BTreeMap<String, usize> = BTreeMap::new();
    let mut unresolved_examples = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let file = syntax::parse(&text);
        let model = BuildModel::new(&file, &options);
        serde_json::to_string(&model.summary()).unwrap();
        files += 1;
        stages += model.stages.len();
        for s in &model.stages {
            match s.base_kind {
                BaseKind::Unresolved => {
                    unresolved += 1;
                    if unresolved_examples.len() < 5 {
                        unresolved_examples.push(s.base.clone());
                    }
                }
                BaseKind::Invalid => invalid += 1,
                _ => {}
            }
            with_unset += usize::from(!s.base_unset.is_empty());
            unreachable += usize::from(!s.reachable);
        }
        edges += model.edges.len();
        for r in &model.runs {
            runs += 1;
            if let Some(script) = &r.script {
                lexed += 1;
                with_errors += usize::from(!script.errors.is_empty());
            }
            not_analysable += usize::from(r.not_analysable.is_some());
            exec += usize::from(r.form == RunForm::Exec);
            assert!(r.stage < model.stages.len());
        }
        for d in &model.diagnostics {
            *diagnostics.entry(format!("{:?}", d.kind)).or_default() += 1;
        }
    }
    println!(
        "model corpus: {files} files, {stages} stages, {edges} graph edges, {unreachable} stages unreachable from the target"
    );
    println!(
        "FROM bases: {unresolved} unresolved (e.g. {unresolved_examples:?}), {invalid} invalid references, {with_unset} using unset variables"
    );
    println!(
        "RUNs: {runs} total, {lexed} lexed ({with_errors} with shell syntax errors), {not_analysable} not analysable, {exec} exec form"
    );
    println!("model diagnostics: {diagnostics:?}");
    assert!(files > 0);
}

/// Random byte strings biased towards what the model reads: it never
/// panics and always serializes.
#[test]
fn arbitrary_input_never_panics() {
    const ALPHABET: &[&[u8]] = &[
        b"\n",
        b" ",
        b"\\\n",
        b"FROM ",
        b"FROM scratch",
        b" AS ",
        b"a",
        b"b",
        b"0",
        b"1",
        b"ARG ",
        b"ENV ",
        b"USER ",
        b"WORKDIR ",
        b"SHELL [\"pwsh\", \"-c\"]",
        b"SHELL [\"bash\", \"-c\"]",
        b"RUN ",
        b"RUN [\"sh\", \"-c\", \"",
        b"COPY --from=",
        b"--mount=",
        b"type=cache,",
        b"from=",
        b"target=",
        b",",
        b"=",
        b"$",
        b"${",
        b"}",
        b":-",
        b":?",
        b"/",
        b"..",
        b":",
        b"@sha256:",
        b"<<EOF\n",
        b"EOF\n",
        b"<<-",
        b"#!",
        b"'",
        b"\"",
        b"&&",
        b"|",
        b"(",
        b")",
        b"`",
        b"# escape=`\n",
        b"\xff",
        b"\xc3\xa0",
    ];
    let options = [
        BuildOptions::default(),
        BuildOptions::default()
            .with_build_arg("a", "b")
            .with_target("a")
            .with_target_platform("windows/amd64"),
    ];
    for seed in 1..=5_000u64 {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let len = (next() % 60) as usize;
        let mut bytes = Vec::new();
        for _ in 0..len {
            let r = next();
            if r % 5 == 0 {
                bytes.push((r >> 8) as u8);
            } else {
                bytes.extend_from_slice(ALPHABET[(r >> 8) as usize % ALPHABET.len()]);
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let file = syntax::parse(&text);
        let model = BuildModel::new(&file, &options[(seed % 2) as usize]);
        serde_json::to_string(&model).unwrap();
        serde_json::to_string(&model.summary()).unwrap();
    }
}

/// The model stays linear where a naive one is quadratic: a RUN after each
/// of many ENVs (each RUN records its variables), and a long chain of
/// stages each built `FROM` the previous one.
#[test]
fn adversarial_inputs_stay_linear() {
    fn time(text: &str) -> std::time::Duration {
        let file = syntax::parse(text);
        (0..3)
            .map(|_| {
                let start = std::time::Instant::now();
                let model = BuildModel::new(&file, &BuildOptions::default());
                assert!(!model.stages.is_empty());
                start.elapsed()
            })
            .min()
            .unwrap()
    }
    let env_runs = |n: usize| {
        "FROM a\n".to_string()
            + &(0..n)
                .map(|i| format!("ENV a{i}=$zz\nRUN x\n"))
                .collect::<String>()
    };
    let chain = |n: usize| {
        "FROM a AS s0\n".to_string()
            + &(1..n)
                .map(|i| format!("ENV a{i}=b\nFROM s{} AS s{i}\n", i - 1))
                .collect::<String>()
    };
    for make in [&env_runs as &dyn Fn(usize) -> String, &chain] {
        let small = time(&make(2_000));
        let large = time(&make(16_000));
        // Linear: ×8; quadratic: ×64.
        assert!(
            large < small * 24 + std::time::Duration::from_millis(50),
            "superlinear: {small:?} → {large:?}"
        );
    }
}
