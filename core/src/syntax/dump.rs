//! BuildKit's `AST.Dump()` text and the Go string helpers it needs.
//!
//! One line per instruction: `(` + lower-cased keyword + flags as Go's `%q`
//! of a `[]string` (`["--a" "--b"]`) + each argument as `strconv.Quote` +
//! `)`. ONBUILD nests its inner instruction: `(onbuild (run "echo test"))`.

use super::{Dockerfile, Instruction};

/// The `AST.Dump()` of `file`: the format of BuildKit's testfiles `result`
/// (without its final newline).
pub fn dump(file: &Dockerfile) -> String {
    let lines: Vec<String> = file
        .instructions
        .iter()
        .map(|i| format!("({})", dump_instruction(i)))
        .collect();
    go_trim_space(&lines.join("\n")).to_string()
}

/// One instruction's dump, without the surrounding parentheses.
pub fn dump_instruction(inst: &Instruction) -> String {
    let mut s = go_lower(&inst.cmd);
    if !inst.flags.is_empty() {
        let flags: Vec<String> = inst.flags.iter().map(|f| go_quote(f)).collect();
        s.push_str(" [");
        s.push_str(&flags.join(" "));
        s.push(']');
    }
    match &inst.sub_command {
        Some(sub) => {
            s.push_str(" (");
            s.push_str(&dump_instruction(sub));
            s.push(')');
        }
        None => {
            for v in &inst.value {
                s.push(' ');
                s.push_str(&go_quote(v));
            }
        }
    }
    go_trim_space(&s).to_string()
}

/// Go's `strings.TrimSpace` (Unicode white space).
pub fn go_trim_space(s: &str) -> &str {
    s.trim_matches(char::is_whitespace)
}

/// Go's `strings.ToLower`: the simple (one-to-one) lower-case mapping.
pub fn go_lower(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_ascii_lowercase()
            } else {
                c.to_lowercase().next().unwrap_or(c)
            }
        })
        .collect()
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols
/// and the ASCII space. Outside ASCII this approximates the Unicode
/// categories without tables: control and format characters, separators
/// other than U+0020, private use, surrogates and noncharacters are not
/// printable; unassigned code points are treated as printable.
pub fn is_print(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7f).contains(&u);
    }
    if c.is_whitespace() || c.is_control() {
        return false;
    }
    !matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F
        | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xFDD0..=0xFDEF)
        && (u & 0xFFFE) != 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\u{0}\t\u{7f}"), r#""\x00\t\x7f""#);
        assert_eq!(go_quote("♥ \u{a0}\u{feff}"), "\"♥ \\u00a0\\ufeff\"");
        assert_eq!(go_lower("RUN İ"), "run i");
    }
}
