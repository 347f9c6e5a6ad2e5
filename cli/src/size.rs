//! `drydock size`: the image size estimate, as text or JSON.

use std::io::Write;
use std::process::ExitCode;

use drydock_core::model::{BuildModel, BuildOptions};
use drydock_core::size::{self, SizeOptions, human, human_range};
use drydock_core::syntax;

use crate::{UsageError, read_input};

pub fn run(args: &[String]) -> Result<ExitCode, UsageError> {
    let mut json = false;
    let mut file = None;
    let mut context = None;
    let mut stage = None;
    let mut args = crate::Args::new(args);
    while let Some(flag) = args.next_name() {
        let mut value = |name: &str| args.value(name);
        match flag {
            "--format" => match value("--format")?.as_str() {
                "json" => json = true,
                "text" => json = false,
                other => return Err(UsageError(format!("unknown format `{other}` (text, json)"))),
            },
            "--context-size" => {
                let v = value("--context-size")?;
                context = Some(size::parse_size(&v, 1).ok_or_else(|| {
                    UsageError(format!(
                        "--context-size takes bytes (`120000`, `50MB`, `2GiB`), not `{v}`"
                    ))
                })?);
            }
            "--stage" => stage = Some(value("--stage")?),
            f if f.starts_with('-') && f != "-" => {
                return Err(UsageError(format!("unknown option `{f}` for size")));
            }
            path if file.is_none() => file = Some(path.to_string()),
            _ => return Err(UsageError("size takes one FILE".into())),
        }
    }
    let file =
        file.ok_or_else(|| UsageError("size needs a FILE (or `-` for standard input)".into()))?;
    let text = read_input(&file)?;
    let tree = syntax::parse(&text);
    let model = BuildModel::new(&tree, &BuildOptions::default());
    let stage = match stage {
        None => None,
        Some(s) => Some(
            s.parse::<usize>()
                .ok()
                .filter(|&i| i < model.stages.len())
                .or_else(|| model.stage_by_name(&s).map(|st| st.index))
                .ok_or_else(|| UsageError(format!("no stage `{s}` in {file}")))?,
        ),
    };
    let options = SizeOptions {
        context_bytes: context,
        stage,
        exclude_tag: None,
    };
    let estimate = size::estimate(&tree, &model, &options);
    let output = if json {
        let mut s = serde_json::to_string_pretty(&estimate)
            .map_err(|e| UsageError(format!("cannot render JSON: {e}")))?;
        s.push('\n');
        s
    } else {
        render_text(&file, &estimate)
    };
    std::io::stdout()
        .lock()
        .write_all(output.as_bytes())
        .map_err(|e| UsageError(format!("cannot write output: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

fn render_text(file: &str, e: &size::SizeEstimate) -> String {
    let mut out = String::new();
    let stage = e.final_stage.as_deref().unwrap_or("(no stage)");
    out.push_str(&format!(
        "{file}: {stage}: ≈ {} on disk, ≈ {} to pull ({})\n",
        human_range(e.uncompressed_bytes),
        human_range(e.compressed_bytes),
        match e.certainty {
            size::Certainty::Known => "from known sizes",
            size::Certainty::Approximate => "approximate",
            size::Certainty::Unknown => "parts unknown: see the ranges",
        }
    ));
    for item in &e.breakdown {
        out.push_str(&format!(
            "  {:>5}  {:>9}  {}\n         {}\n",
            item.line,
            human(item.bytes.expected),
            item.instruction,
            item.reason
        ));
    }
    if e.needs_context {
        out.push_str("  The build context's size is unknown: pass --context-size BYTES.\n");
    }
    for a in &e.alternatives {
        out.push_str(&format!(
            "  alternative: {} ≈ {} → {} ≈ {} ({})\n",
            a.from,
            human(a.from_bytes.expected),
            a.to,
            human(a.to_bytes.expected),
            a.note
        ));
    }
    out
}
