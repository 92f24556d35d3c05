//! A card's result in words and numbers ([`measured`]: the same text on the card and in the
//! copied table), and "Copy results as Markdown": one table row per card run so far
//! ([`table`]), for the blog author to paste under the post.

use super::runner::CardResult;
use super::{Claim, Contrast, Measure, text};
use crate::i18n::Lang;

/// A number with three significant digits (no exponent for the sizes cards produce).
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    let decimals = if a == 0.0 || a >= 100.0 {
        0
    } else {
        (2 - a.log10().floor() as i64).clamp(0, 6) as usize
    };
    format!("{x:.decimals$}")
}

/// A value of `measure` in its unit (bytes for memory, seconds for times, else three
/// significant digits).
pub fn value(measure: Measure, x: f64) -> String {
    match measure {
        Measure::StepMemory if x >= 0.0 => crate::cost::format_bytes(x.round() as u64),
        Measure::SecondsPerEpoch | Measure::SecondsToValAccuracy(_) => format!("{} s", number(x)),
        _ => number(x),
    }
}

/// A signed difference in the measure's unit.
fn signed(measure: Measure, d: f64) -> String {
    let sign = if d >= 0.0 { "+" } else { "−" };
    format!("{sign}{}", value(measure, d.abs()))
}

/// The headline measured: its difference (higher-claimed minus other; for "falls with B"
/// minus the mean log–log slope), its 95 % interval and p; `None` before it can be told.
pub fn measured(claim: Claim, result: &CardResult, lang: Lang) -> Option<String> {
    measured_contrast(claim, 0, result, lang)
}

/// [`measured`] for contrast `i` of the card.
pub fn measured_contrast(
    claim: Claim,
    i: usize,
    result: &CardResult,
    lang: Lang,
) -> Option<String> {
    let plan = claim.plan();
    let h = result.contrasts.get(i)?;
    let measure = plan.contrasts.get(i)?.measure();
    let d = h.difference()?;
    let ci = match lang {
        Lang::Ko => "95% 구간",
        Lang::En => "95% CI",
    };
    // "Falls with B" is tested on (0, slope) pairs: say the slope itself, as measured.
    if let Contrast::FallsWithBatch { .. } = plan.contrasts[i] {
        let slope = match lang {
            Lang::Ko => "로그–로그 기울기",
            Lang::En => "log–log slope",
        };
        let mut out = format!("{slope} {}", number(-d));
        if let Some(i) = h.comparison.and_then(|c| c.inference) {
            out += &format!(
                " ({ci} {} … {}), p = {}",
                number(-i.high),
                number(-i.low),
                number(i.p)
            );
        }
        return Some(out);
    }
    let mut out = signed(measure, d);
    if let Some(i) = h.comparison.and_then(|c| c.inference) {
        out += &format!(
            " ({ci} {} … {}), p = {}",
            number(i.low),
            number(i.high),
            number(i.p)
        );
    }
    Some(out)
}

/// One card run, as the table shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub claim: Claim,
    pub result: CardResult,
    /// Seeds per arm.
    pub seeds: usize,
    /// When it finished, `YYYY-MM-DD`.
    pub date: String,
}

/// A cell's text with the table's separators made harmless.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown table of `rows` (one per card run, in order), headed in `lang`, with the
/// app's version in every row so a pasted table says which build measured it.
pub fn table(rows: &[Row], lang: Lang, version: &str) -> String {
    let head = match lang {
        Lang::Ko => "| 주장 | 측정 | 판정 | 시드 | 날짜 | 앱 버전 |",
        Lang::En => "| Claim | Measured | Verdict | Seeds | Date | App version |",
    };
    let mut out = format!("{head}\n|---|---|---|---|---|---|\n");
    for r in rows {
        let (_, words) = text::quote(r.claim);
        let verdict = r.result.verdict.map_or("—", |v| text::verdict(v, lang));
        let measured = measured(r.claim, &r.result, lang).unwrap_or_else(|| "—".into());
        out += &format!(
            "| {} (`{}`) | {} | {} | {} | {} | {} |\n",
            cell(words.get(lang)),
            r.claim.key(),
            cell(&measured),
            cell(verdict),
            r.seeds,
            cell(&r.date),
            cell(version),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::runner::ContrastResult;
    use crate::claims::{Outcome, Verdict};
    use crate::stats::compare::paired;

    fn result(pairs: Vec<(f64, f64)>, exact: bool) -> CardResult {
        let comparison = (!exact).then(|| paired(&pairs).unwrap());
        CardResult {
            contrasts: vec![ContrastResult {
                pairs,
                comparison,
                outcome: Some(Outcome::Claimed),
            }],
            verdict: Some(Verdict::Holds),
        }
    }

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(number(0.012345), "0.0123");
        assert_eq!(number(1.2345), "1.23");
        assert_eq!(number(12.345), "12.3");
        assert_eq!(number(1234.5), "1234");
        assert_eq!(number(0.0), "0");
    }

    #[test]
    fn one_row_per_card_run_with_its_numbers() {
        let noise = result(vec![(0.0, -0.5), (0.0, -0.4), (0.0, -0.6)], false);
        let memory = result(vec![(3_000_000.0, 1_000_000.0)], true);
        let rows = [
            Row {
                claim: Claim::Memory,
                result: memory.clone(),
                seeds: 1,
                date: "2026-12-06".into(),
            },
            Row {
                claim: Claim::Noise,
                result: noise.clone(),
                seeds: 3,
                date: "2026-12-06".into(),
            },
        ];
        let md = table(&rows, Lang::En, "0.1.0");
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(lines.len(), 2 + rows.len());
        assert_eq!(
            lines[2],
            "| Uses less memory (`memory`) | +2.0 MB | Holds | 1 | 2026-12-06 | 0.1.0 |"
        );
        // Slopes −0.5 ± 0.1 (SD), t₀.₉₇₅(2) = 4.303: −0.5 ± 0.248.
        assert!(
            lines[3].starts_with(
                "| Noisy (`noise`) | log–log slope -0.500 (95% CI -0.748 … -0.252), p = "
            ),
            "{}",
            lines[3]
        );
        assert!(lines[3].ends_with("| Holds | 3 | 2026-12-06 | 0.1.0 |"));
        let ko = table(&rows, Lang::Ko, "0.1.0");
        assert!(ko.starts_with("| 주장 |") && ko.contains("| 성립 |") && ko.contains("95% 구간"));
        assert_eq!(table(&[], Lang::En, "x").lines().count(), 2);
    }
}
