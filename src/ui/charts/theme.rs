//! The charts' colours: text and grid from the page's computed style (so a dark page gets
//! light ink), the classic two series colours of a lone run, and one colour per kept run —
//! the values live in [`crate::plot::palette`], where their contrast is tested natively.

use plotters::prelude::RGBColor;

use crate::plot::palette::{self, Rgb};

const fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

/// One colour per kept run's slot ([`palette::RUN_COLOURS`], each at least 3:1 against the
/// light and the dark page): runs stay apart for the common colour-vision deficiencies, and
/// each slot also has its own marker shape ([`super::draw::Marker`]).
pub const RUN_COLOURS: [RGBColor; crate::plot::slots::PALETTE] = {
    let p = palette::RUN_COLOURS;
    [
        rgb(p[0]),
        rgb(p[1]),
        rgb(p[2]),
        rgb(p[3]),
        rgb(p[4]),
        rgb(p[5]),
        rgb(p[6]),
        rgb(p[7]),
    ]
};

/// The colour of run slot `slot` ([`crate::plot::slots::colour_index`]).
pub fn run_colour(slot: usize) -> RGBColor {
    RUN_COLOURS[crate::plot::slots::colour_index(slot)]
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
    /// Its series colours keep 3:1 against that page ([`palette`]).
    pub fn for_text(text: RGBColor) -> Self {
        let dark_page = palette::is_light([text.0, text.1, text.2]);
        let pick = |light: Rgb, dark: Rgb| rgb(if dark_page { dark } else { light });
        ChartTheme {
            text,
            train: pick(palette::TRAIN, palette::TRAIN_ON_DARK),
            validation: pick(palette::VALIDATION, palette::VALIDATION_ON_DARK),
            backdrop: pick(palette::LIGHT_BACKDROP, palette::DARK_BACKDROP),
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
