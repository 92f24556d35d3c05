//! The charts' colours: text and grid from the page's computed style (so a dark page gets
//! light ink), the classic two series colours of a lone run, and one colour per kept run.

use plotters::prelude::RGBColor;

/// Okabe–Ito blue (training) and orange (validation); sky blue replaces the blue on dark
/// backgrounds, where #0072B2 has too little contrast.
const TRAIN: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const TRAIN_ON_DARK: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
const VALIDATION: RGBColor = RGBColor(0xE6, 0x9F, 0x00);

/// One colour per kept run's slot (Okabe–Ito, with a dark ochre for its yellow, which is
/// unreadable on white): runs stay apart for the common colour-vision deficiencies, and each
/// slot also has its own marker shape ([`super::draw::Marker`]).
pub const RUN_COLOURS: [RGBColor; crate::history::slots::PALETTE] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x8C, 0x6D, 0x1F),
    RGBColor(0x66, 0x66, 0x66),
];

/// The colour of run slot `slot` ([`crate::history::slots::colour_index`]).
pub fn run_colour(slot: usize) -> RGBColor {
    RUN_COLOURS[crate::history::slots::colour_index(slot)]
}

/// The colour of run slot `slot` as CSS (the run list's swatches).
pub fn run_colour_css(slot: usize) -> String {
    let c = run_colour(slot);
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The colours of a chart: text (also axes and grid, at lower opacity), the two series, and
/// the legend's backdrop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartTheme {
    pub text: RGBColor,
    pub train: RGBColor,
    pub validation: RGBColor,
    pub backdrop: RGBColor,
}

impl Default for ChartTheme {
    fn default() -> Self {
        ChartTheme::for_text(RGBColor(0x33, 0x33, 0x33))
    }
}

impl ChartTheme {
    /// The theme for a text colour: dark text means a light page and vice versa.
    pub fn for_text(text: RGBColor) -> Self {
        let dark_page = luminance(text) > 0.5;
        ChartTheme {
            text,
            train: if dark_page { TRAIN_ON_DARK } else { TRAIN },
            validation: VALIDATION,
            backdrop: if dark_page {
                RGBColor(0x1e, 0x1e, 0x1e)
            } else {
                RGBColor(0xff, 0xff, 0xff)
            },
        }
    }

    /// The theme of `el` from its computed style: `--chart-text` (else its `color`, which
    /// follows `color-scheme: light dark`), and `--chart-train`, `--chart-validation`,
    /// `--chart-backdrop` when set. Neutral greys when nothing can be read.
    pub fn of(el: &web_sys::Element) -> Self {
        let Some(style) = web_sys::window().and_then(|w| w.get_computed_style(el).ok().flatten())
        else {
            return ChartTheme::default();
        };
        let read = |name: &str| {
            style
                .get_property_value(name)
                .ok()
                .and_then(|v| parse_color(&v))
        };
        let mut theme = ChartTheme::for_text(
            read("--chart-text")
                .or_else(|| read("color"))
                .unwrap_or(RGBColor(0x33, 0x33, 0x33)),
        );
        if let Some(c) = read("--chart-train") {
            theme.train = c;
        }
        if let Some(c) = read("--chart-validation") {
            theme.validation = c;
        }
        if let Some(c) = read("--chart-backdrop") {
            theme.backdrop = c;
        }
        theme
    }
}

fn luminance(c: RGBColor) -> f64 {
    (0.2126 * c.0 as f64 + 0.7152 * c.1 as f64 + 0.0722 * c.2 as f64) / 255.0
}

/// `#rgb`, `#rrggbb`, `rgb(r, g, b)` or `rgba(r g b / a)`; `None` for anything else.
pub fn parse_color(s: &str) -> Option<RGBColor> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        let digit = |i: usize, n: usize| u8::from_str_radix(hex.get(i..i + n)?, 16).ok();
        return match hex.len() {
            3 => Some(RGBColor(
                digit(0, 1)? * 17,
                digit(1, 1)? * 17,
                digit(2, 1)? * 17,
            )),
            6 | 8 => Some(RGBColor(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            _ => None,
        };
    }
    let inner = s
        .strip_prefix("rgba(")
        .or_else(|| s.strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let mut parts = inner
        .split([',', ' ', '/'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<f64>()
                .ok()
                .map(|v| v.round().clamp(0.0, 255.0) as u8)
        });
    Some(RGBColor(parts.next()??, parts.next()??, parts.next()??))
}
