//! A shields-style score badge: `drydock | 95 EXCELLENT`, the right half
//! in the grade's colour. A static SVG (no scripts, no external fonts or
//! links), sized for monospace-ish widths so it needs no font metrics.

use crate::score::Grade;

/// The badge's SVG for `score` and `grade`.
pub fn badge_svg(score: u8, grade: Grade) -> String {
    let label = "drydock";
    let value = format!("{score} {}", grade.as_str());
    // About 7 px per character at 11 px Verdana, plus padding.
    let width = |s: &str| s.chars().count() * 7 + 12;
    let (lw, vw) = (width(label), width(&value));
    let total = lw + vw;
    let colour = match grade {
        Grade::Excellent => "#2ea44f",
        Grade::Good => "#4c8a00",
        Grade::Fair => "#b08800",
        Grade::Poor => "#cf222e",
    };
    // Text is drawn at scale(.1): x in tenths of a pixel, at each half's centre.
    let (lx, vx) = (lw * 5, (lw * 2 + vw) * 5);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total}\" height=\"20\" role=\"img\" aria-label=\"{label}: {value}\">\
<title>{label}: {value}</title>\
<linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>\
<clipPath id=\"r\"><rect width=\"{total}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>\
<g clip-path=\"url(#r)\"><rect width=\"{lw}\" height=\"20\" fill=\"#555\"/><rect x=\"{lw}\" width=\"{vw}\" height=\"20\" fill=\"{colour}\"/><rect width=\"{total}\" height=\"20\" fill=\"url(#s)\"/></g>\
<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"110\">\
<text x=\"{lx}\" y=\"140\" transform=\"scale(.1)\">{label}</text>\
<text x=\"{vx}\" y=\"140\" transform=\"scale(.1)\">{value}</text></g></svg>\n"
    )
}

/// Markdown that shows a badge saved as `file` next to the document.
pub fn badge_markdown(score: u8, grade: Grade, file: &str) -> String {
    format!("![drydock: {score} {}]({file})", grade.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_carry_score_grade_and_colour() {
        let svg = badge_svg(95, Grade::Excellent);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(">95 EXCELLENT</text>") && svg.contains("#2ea44f"));
        assert!(!svg.contains("<script") && !svg.contains("href"));
        assert!(badge_svg(35, Grade::Poor).contains("#cf222e"));
        assert_eq!(
            badge_markdown(35, Grade::Poor, "drydock.svg"),
            "![drydock: 35 POOR](drydock.svg)"
        );
    }
}
