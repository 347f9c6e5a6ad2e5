//! `drydock parse`: the syntax tree, as BuildKit's dump or as JSON.

use std::io::Write;
use std::process::ExitCode;

use drydock_core::syntax;

use crate::{UsageError, read_input};

pub fn run(args: &[String]) -> Result<ExitCode, UsageError> {
    let mut dump = false;
    let mut file = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--dump" => dump = true,
            "--format=json" => dump = false,
            "--format" => match it.next().map(String::as_str) {
                Some("json") => dump = false,
                Some("dump") => dump = true,
                Some(other) => {
                    return Err(UsageError(format!("unknown format `{other}` (json, dump)")));
                }
                None => return Err(UsageError("--format needs a value".into())),
            },
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(UsageError(format!("unknown option `{flag}` for parse")));
            }
            path if file.is_none() => file = Some(path.to_string()),
            _ => return Err(UsageError("parse takes one FILE".into())),
        }
    }
    let file =
        file.ok_or_else(|| UsageError("parse needs a FILE (or `-` for standard input)".into()))?;
    let text = read_input(&file)?;
    let tree = syntax::parse(&text);
    let output = if dump {
        // Errors go to standard error, so standard output stays BuildKit's dump.
        for e in &tree.errors {
            let _ = writeln!(std::io::stderr(), "{file}:{}: error: {}", e.line, e.message);
        }
        // BuildKit's testfiles `result` files end each line, the last too.
        let mut text = syntax::dump(&tree);
        if !text.is_empty() {
            text.push('\n');
        }
        text
    } else {
        let mut json = serde_json::to_string_pretty(&tree)
            .map_err(|e| UsageError(format!("cannot render JSON: {e}")))?;
        json.push('\n');
        json
    };
    std::io::stdout()
        .lock()
        .write_all(output.as_bytes())
        .map_err(|e| UsageError(format!("cannot write output: {e}")))?;
    Ok(if tree.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
