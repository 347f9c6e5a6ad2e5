//! Running commands: echo them, fail with a clear message, and collect test
//! runners' summary lines.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::{Error, Result};

/// Prints a step heading.
pub fn step(title: &str) {
    println!("\n==> {title}");
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs `cmd` with inherited output; an unsuccessful exit is an error.
pub fn run(cmd: &mut Command) -> Result {
    let what = describe(cmd);
    println!("$ {what}");
    let status = cmd
        .status()
        .map_err(|e| Error(format!("cannot start `{what}`: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error(format!("`{what}` failed ({status})")))
    }
}

/// Runs `cmd` and returns its standard output (trimmed), or `None` if it
/// cannot start or fails. For probing installed tools.
pub fn probe(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Passed and failed test counts, read from test runners' summary lines.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }

    /// Reads one line of output: cargo's `test result: …` and node's `# pass N`.
    fn read(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            self.passed += number_before(rest, " passed");
            self.failed += number_before(rest, " failed");
        } else if let Some(n) = line
            .strip_prefix("# pass ")
            .or_else(|| line.strip_prefix("ℹ pass "))
        {
            self.passed += n.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(n) = line
            .strip_prefix("# fail ")
            .or_else(|| line.strip_prefix("ℹ fail "))
        {
            self.failed += n.trim().parse::<u64>().unwrap_or(0);
        }
    }
}

fn number_before(text: &str, label: &str) -> u64 {
    text.find(label)
        .and_then(|end| {
            let head = text.get(..end)?;
            let start = head
                .rfind(|c: char| !c.is_ascii_digit())
                .map_or(0, |i| i + 1);
            head.get(start..)?.parse().ok()
        })
        .unwrap_or(0)
}

/// Runs a test command, echoing its standard output while counting its
/// summary lines.
pub fn run_tests(cmd: &mut Command) -> Result<Tally> {
    let what = describe(cmd);
    println!("$ {what}");
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| Error(format!("cannot start `{what}`: {e}")))?;
    let mut tally = Tally::default();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line?;
            println!("{line}");
            tally.read(&line);
        }
    }
    let status = child.wait()?;
    if status.success() {
        Ok(tally)
    } else {
        Err(Error(format!(
            "`{what}` failed ({status}); {} passed, {} failed",
            tally.passed, tally.failed
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_and_node_summaries() {
        let mut t = Tally::default();
        t.read("test result: ok. 15 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.06s");
        t.read("# pass 3");
        t.read("# fail 1");
        t.read("ℹ pass 4");
        t.read("not a summary: 99 passed");
        assert_eq!((t.passed, t.failed), (22, 3));
    }
}
