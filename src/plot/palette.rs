//! The charts' series colours and the contrast rule they keep, without a canvas so both are
//! tested natively.
//!
//! Every drawn series (each run's training trace, epoch means, validation) must stand out
//! from the chart's background by at least [`MIN_CONTRAST`] (WCAG 2.1 non-text contrast,
//! 3:1): a reader tells the runs apart by colour and marker, so a colour that fades into the
//! background hides a run. The run colours are one palette for light and dark pages alike
//! (the run list's swatches use them on either), so each lies in the band of luminance that
//! keeps 3:1 against white and against the dark page: Okabe–Ito's hues, the lighter ones
//! (orange, reddish purple, bluish green) darkened, a violet for sky blue (darkened, it is the
//! blue again), an olive for yellow (darkened, it is the orange again) and a grey for black.

/// An sRGB colour, 8 bits per channel.
pub type Rgb = [u8; 3];

/// The least contrast ratio a drawn series keeps against the chart's background.
pub const MIN_CONTRAST: f64 = 3.0;

/// The page's background behind the charts, light and dark (`--bg` in style/main.css).
pub const LIGHT_BACKGROUND: Rgb = [0xff, 0xff, 0xff];
pub const DARK_BACKGROUND: Rgb = [0x14, 0x17, 0x1b];

/// The charts' own backdrop (behind the legend; the sweep chart's fill), light and dark.
pub const LIGHT_BACKDROP: Rgb = [0xff, 0xff, 0xff];
pub const DARK_BACKDROP: Rgb = [0x1e, 0x1e, 0x1e];

/// A lone run's training colour: Okabe–Ito blue, sky blue on dark pages (where the blue
/// keeps only about 3.3:1).
pub const TRAIN: Rgb = [0x00, 0x72, 0xB2];
pub const TRAIN_ON_DARK: Rgb = [0x56, 0xB4, 0xE9];

/// A lone run's validation colour: Okabe–Ito orange on dark pages; on light ones a darker
/// amber (the orange #E69F00 is 2.3:1 on white).
pub const VALIDATION: Rgb = [0xB0, 0x78, 0x00];
pub const VALIDATION_ON_DARK: Rgb = [0xE6, 0x9F, 0x00];

/// One colour per kept run's slot; each slot also has its own marker shape.
pub const RUN_COLOURS: [Rgb; 8] = [
    [0x00, 0x72, 0xB2], // blue
    [0xD5, 0x5E, 0x00], // vermillion
    [0x00, 0x8A, 0x64], // bluish green, darkened
    [0xB8, 0x58, 0x8C], // reddish purple, darkened
    [0xA0, 0x7D, 0x00], // orange, darkened to a dark gold
    [0x8E, 0x6A, 0xC8], // violet
    [0x6B, 0x8E, 0x23], // olive
    [0x76, 0x76, 0x76], // grey
];

/// WCAG 2.1 relative luminance of an sRGB colour: 0 for black, 1 for white.
pub fn relative_luminance(c: Rgb) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])
}

/// WCAG 2.1 contrast ratio of two colours, from 1 (the same) to 21 (black on white); the
/// order does not matter.
pub fn contrast_ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Whether text of colour `text` means a dark page (light text): the text is nearer white
/// than black by contrast.
pub fn is_light(text: Rgb) -> bool {
    contrast_ratio(text, [0, 0, 0]) > contrast_ratio(text, [0xff, 0xff, 0xff])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_reference_values() {
        let white = [0xff; 3];
        let black = [0; 3];
        assert!((contrast_ratio(black, white) - 21.0).abs() < 1e-9);
        assert_eq!(contrast_ratio(white, white), 1.0);
        assert_eq!(
            contrast_ratio([0x33, 0x66, 0x99], white),
            contrast_ratio(white, [0x33, 0x66, 0x99])
        );
        // Published values: #767676 is the lightest grey with 4.5:1 on white; #E69F00 and
        // #949494 are about 2.3:1 and 3.0:1.
        assert!((contrast_ratio([0x76; 3], white) - 4.54).abs() < 0.01);
        assert!((contrast_ratio([0xE6, 0x9F, 0x00], white) - 2.25).abs() < 0.01);
        assert!((contrast_ratio([0x94; 3], white) - 3.03).abs() < 0.01);
        assert!(is_light([0xe7, 0xea, 0xee]) && !is_light([0x1b, 0x1f, 0x24]));
    }

    /// Every colour a chart draws series in, with the backgrounds it is drawn on.
    fn pairs() -> Vec<(&'static str, Rgb, Rgb)> {
        let light = [LIGHT_BACKGROUND, LIGHT_BACKDROP];
        let dark = [DARK_BACKGROUND, DARK_BACKDROP];
        let mut pairs = Vec::new();
        for bg in light {
            pairs.push(("train (light)", TRAIN, bg));
            pairs.push(("validation (light)", VALIDATION, bg));
        }
        for bg in dark {
            pairs.push(("train (dark)", TRAIN_ON_DARK, bg));
            pairs.push(("validation (dark)", VALIDATION_ON_DARK, bg));
        }
        for bg in light.into_iter().chain(dark) {
            for c in RUN_COLOURS {
                pairs.push(("run colour", c, bg));
            }
        }
        pairs
    }

    #[test]
    fn every_series_colour_keeps_3_to_1_on_its_background() {
        let failing: Vec<String> = pairs()
            .into_iter()
            .filter(|&(_, c, bg)| contrast_ratio(c, bg) < MIN_CONTRAST)
            .map(|(what, c, bg)| {
                format!("{what} {c:02x?} on {bg:02x?}: {:.2}", contrast_ratio(c, bg))
            })
            .collect();
        assert!(failing.is_empty(), "{failing:#?}");
    }

    #[test]
    fn run_colours_differ_from_each_other() {
        // Distinct slots, none a near-copy of another (some channel differs by ≥ 40).
        for (i, a) in RUN_COLOURS.iter().enumerate() {
            for b in &RUN_COLOURS[i + 1..] {
                let far = a.iter().zip(b).map(|(x, y)| x.abs_diff(*y)).max().unwrap();
                assert!(far >= 40, "{a:02x?} vs {b:02x?}");
            }
        }
    }
}
