//! What the gradient-noise meter says, in the post's terms first.
//!
//! The post says a small batch is noisy and a large batch gives a stable gradient. The meter
//! leads with exactly that, as a number that depends on B alone: the noise of a batch's mean
//! gradient (its standard deviation) falls as `1/√B`, so B = 256's is `√(256 / 8) ≈ 5.7`
//! times smaller than B = 8's (the post's small batch), and a batch of 8 or fewer is set
//! against one sample (B = 1, SGD). Only then does it give what the trainer measured — the
//! noise scale `B_simple` of *this* run at *this* update, which moves as training goes on —
//! and whether a larger batch would still help: below the noise scale a larger batch still
//! makes each update go further; past it, it mostly costs compute. It never calls a large
//! batch "noisy": the regime words say where B stands against the measured scale.

use crate::i18n::{Lang, fill};
use crate::trainer::noise::{Regime, regime};

/// The post's small batch: larger batches are compared with it.
pub const SMALL_BATCH: usize = 8;

/// The batch size `batch` is compared with: [`SMALL_BATCH`] when it is larger, else one
/// sample (SGD); `None` for B = 1 itself.
pub fn reference_batch(batch: usize) -> Option<usize> {
    match batch {
        0 | 1 => None,
        b if b > SMALL_BATCH => Some(SMALL_BATCH),
        _ => Some(1),
    }
}

/// How many times smaller the gradient's noise (standard deviation of the batch mean) is at
/// `batch` than at `reference`: `√(batch / reference)`.
pub fn noise_ratio(batch: usize, reference: usize) -> f64 {
    (batch as f64 / reference.max(1) as f64).sqrt()
}

/// A ratio as the page writes it: one decimal below 10 (`5.7`, `2` rather than `2.0`),
/// whole numbers from 10 on (`32`).
pub fn ratio_text(ratio: f64) -> String {
    if ratio >= 9.95 {
        format!("{}", ratio.round())
    } else {
        let s = format!("{ratio:.1}");
        s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
    }
}

/// The meter's text: the comparison by B alone (always there) and, once the run has
/// measured its noise scale, that reading and what it means for a larger batch.
#[derive(Clone, Debug, PartialEq)]
pub struct NoiseText {
    /// "B = 256's gradient noise is 5.7 times smaller than B = 8's", with the `1/√B` rule.
    pub lead: String,
    /// "Measured on this run at update 1,200: ≈ 420 samples; B = 256 is …", or the line
    /// that waits for the first updates.
    pub measured: String,
    /// `noisy` | `balanced` | `large` | `lost` | `waiting` | `none` (the panel's
    /// `data-regime`).
    pub regime: &'static str,
}

/// The meter's text for batch size `batch`, the run's latest noise scale `scale` and the
/// update it was measured at.
pub fn noise_text(lang: Lang, batch: usize, scale: Option<f64>, update: usize) -> NoiseText {
    let s = lang.strings();
    let b = lang.int(batch);
    let Some(reference) = reference_batch(batch) else {
        return NoiseText {
            lead: s.noise_needs_batch.to_owned(),
            measured: String::new(),
            regime: "none",
        };
    };
    let ratio = noise_ratio(batch, reference);
    let lead = format!(
        "{} {}",
        fill(
            s.noise_compare,
            &[&b, &lang.int(reference), &ratio_text(ratio)]
        ),
        fill(
            s.noise_sqrt_rule,
            &[&b, &lang.int(reference), &ratio_text(ratio)]
        ),
    );
    let at = lang.int(update);
    let Some(v) = scale.filter(|v| v.is_finite() && *v >= 0.0) else {
        // Updates made and still no reading: the averaged |G|² is not positive, so the
        // meter has no estimate (`crate::trainer::noise`), which says something too.
        let (measured, regime) = if update > 0 && scale.is_none() {
            (fill(s.noise_lost, &[&at]), "lost")
        } else {
            (s.noise_waiting.to_owned(), "waiting")
        };
        return NoiseText {
            lead,
            measured,
            regime,
        };
    };
    let measured = fill(s.noise_measured, &[&at, &lang.int(v.round() as usize)]);
    let (template, key) = match regime(batch, v) {
        Regime::Noisy => (s.noise_below, "noisy"),
        Regime::Balanced => (s.noise_near, "balanced"),
        Regime::Large => (s.noise_above, "large"),
    };
    NoiseText {
        lead,
        measured: format!("{measured} {}", fill(template, &[&b])),
        regime: key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_ratios() {
        assert_eq!(reference_batch(1), None);
        assert_eq!(reference_batch(2), Some(1));
        assert_eq!(reference_batch(8), Some(1));
        assert_eq!(reference_batch(9), Some(8));
        assert_eq!(reference_batch(256), Some(8));
        assert_eq!(ratio_text(noise_ratio(256, 8)), "5.7");
        assert_eq!(ratio_text(noise_ratio(32, 8)), "2");
        assert_eq!(ratio_text(noise_ratio(8, 1)), "2.8");
        assert_eq!(ratio_text(noise_ratio(8_000, 8)), "32");
        assert_eq!(ratio_text(noise_ratio(799, 8)), "10"); // 9.99…
        assert_eq!(ratio_text(noise_ratio(16, 8)), "1.4");
    }

    #[test]
    fn b_256_reads_as_the_post_says_in_both_languages() {
        let ko = noise_text(Lang::Ko, 256, Some(420.0), 1_200);
        assert!(
            ko.lead
                .starts_with("B = 256의 그래디언트 노이즈는 B = 8보다 5.7배 작습니다."),
            "{}",
            ko.lead
        );
        assert!(ko.lead.contains("√(256 / 8) ≈ 5.7"), "{}", ko.lead);
        assert!(ko.measured.contains("업데이트 1,200회"), "{}", ko.measured);
        assert!(ko.measured.contains("≈ 420"), "{}", ko.measured);
        assert!(
            ko.measured.contains("B = 256은 "),
            "particle: {}",
            ko.measured
        );
        assert_eq!(ko.regime, "balanced");
        let en = noise_text(Lang::En, 256, Some(420.0), 1_200);
        assert!(
            en.lead.contains("Your B = 256") && en.lead.contains("5.7 times"),
            "{}",
            en.lead
        );
        assert!(en.measured.contains("update 1,200"), "{}", en.measured);
        // Nothing on the page calls a large batch noisy.
        for t in [&ko, &en] {
            let all = format!("{} {}", t.lead, t.measured);
            assert!(!all.contains("노이즈가 큰"), "{all}");
            assert!(!all.contains("noisy regime"), "{all}");
        }
    }

    #[test]
    fn the_verdict_follows_b_against_the_measured_scale() {
        let below = noise_text(Lang::Ko, 32, Some(400.0), 50);
        assert_eq!(below.regime, "noisy");
        assert!(below.measured.contains("B = 32는 "), "{}", below.measured);
        assert!(below.measured.contains("커집니다"), "{}", below.measured);
        let past = noise_text(Lang::En, 2_000, Some(400.0), 50);
        assert_eq!(past.regime, "large");
        assert!(past.measured.contains("B = 2,000"), "{}", past.measured);
        let lost = noise_text(Lang::En, 32, None, 7);
        assert_eq!(lost.regime, "lost");
        assert!(lost.measured.contains("no estimate"), "{}", lost.measured);
        // The comparison by B stands before any measurement; B = 1 has none.
        let waiting = noise_text(Lang::En, 32, None, 0);
        assert_eq!(waiting.regime, "waiting");
        assert!(waiting.lead.contains("2 times"), "{}", waiting.lead);
        let sgd = noise_text(Lang::Ko, 1, Some(3.0), 5);
        assert_eq!(sgd.regime, "none");
        assert!(sgd.lead.contains("B ≥ 2"), "{}", sgd.lead);
        // Bad numbers never panic.
        assert_eq!(
            noise_text(Lang::Ko, 64, Some(f64::NAN), 3).regime,
            "waiting"
        );
        assert_eq!(noise_text(Lang::Ko, 0, None, 0).regime, "none");
    }

    #[test]
    fn small_batches_compare_with_one_sample() {
        let ko = noise_text(Lang::Ko, 8, None, 0);
        assert!(
            ko.lead
                .starts_with("B = 8의 그래디언트 노이즈는 B = 1보다 2.8배 작습니다."),
            "{}",
            ko.lead
        );
    }
}
