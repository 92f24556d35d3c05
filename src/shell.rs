//! The page's header, and the same header as static HTML in `index.html`.
//!
//! The page's wasm is the largest download of a first visit (about 650 KB compressed): on a
//! slow phone network the header and the first-visit suggestion, the largest text a reader
//! sees first, waited for it, about 4.5 s in Lighthouse's mobile profile. `index.html`
//! therefore carries the header once per language, rendered from here ([`static_headers`];
//! a test holds the two equal), and `js/shell.js` keeps the one a plain visit (no setting in
//! the link but `lang`) shows, before the first paint. The app then adopts those nodes
//! (`ui::static_header`) instead of drawing its own: the same text, painted once. Any other
//! link (a setting, a view, an embed) gets the header the app draws ([`header_text`] too).

use crate::i18n::Lang;
use crate::i18n::labels::{Label, limits};

/// The `localStorage` key a visit is recorded under: the app writes it on a first visit
/// (`ui::first_visit`), and `js/shell.js` reads it (through the static header's
/// `data-visited-key`) to leave out the first-visit suggestion on a later one.
pub const VISITED_KEY: &str = "batch-lab-visited";

/// What the header says in one language.
#[derive(Clone, Debug, PartialEq)]
pub struct HeaderText {
    pub lang: Lang,
    pub title: &'static str,
    pub subtitle: &'static str,
    /// The first-visit suggestion: the post's Keras example when the page holds it, else
    /// the general one (a link's own settings).
    pub hint: String,
    pub dismiss: &'static str,
    /// The language button: it offers the next language, named in itself ("English" on the
    /// Korean page: an accessible name must contain the visible text).
    pub other: Lang,
    pub other_label: String,
    pub language: &'static str,
}

/// The header's text in `lang`.
pub fn header_text(lang: Lang, keras_example: bool) -> HeaderText {
    let t = lang.strings();
    let now = Lang::ALL.iter().position(|&l| l == lang).unwrap_or(0);
    let other = Lang::ALL[(now + 1) % Lang::ALL.len()];
    HeaderText {
        lang,
        title: t.app_title,
        subtitle: t.app_subtitle,
        hint: if keras_example {
            limits::first_visit(t)
        } else {
            t.first_visit_link.to_owned()
        },
        dismiss: t.dismiss,
        other,
        other_label: other.label(t).into_owned(),
        language: t.language,
    }
}

/// The static headers of `index.html`, one per language, the default language first
/// (`js/shell.js` falls back to the first): the markup the app's `Header` draws on a plain
/// visit, hidden until the script picks one.
pub fn static_headers() -> String {
    let mut langs = vec![Lang::default()];
    langs.extend(Lang::ALL.iter().filter(|&&l| l != Lang::default()));
    let mut out = String::new();
    for lang in langs {
        let h = header_text(lang, true);
        out.push_str(&format!(
            concat!(
                "    <header class=\"top\" lang=\"{lang}\" data-static-header data-visited-key=\"{key}\" hidden>\n",
                "      <div>\n",
                "        <h1>{title}</h1>\n",
                "        <p class=\"subtitle\">{subtitle}</p>\n",
                "        <p class=\"first-visit\" data-testid=\"first-visit\">",
                "<span>{hint}</span>",
                "<button class=\"first-visit-close\" data-testid=\"first-visit-dismiss\" aria-label=\"{dismiss}\" title=\"{dismiss}\">×</button></p>\n",
                "      </div>\n",
                "      <div class=\"top-actions\">",
                "<button class=\"lang\" data-testid=\"language\" title=\"{language}\" lang=\"{other}\">{other_label}</button></div>\n",
                "    </header>\n",
            ),
            lang = lang.tag(),
            key = VISITED_KEY,
            title = escape(h.title),
            subtitle = escape(h.subtitle),
            hint = escape(&h.hint),
            dismiss = escape(h.dismiss),
            language = escape(h.language),
            other = h.other.tag(),
            other_label = escape(&h.other_label),
        ));
    }
    out
}

/// Text for HTML, in an element or a quoted attribute.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `index.html`'s markers around the static headers.
pub const BEGIN: &str =
    "<!-- static headers: src/shell.rs (SHELL_WRITE=1 cargo test --lib shell) -->\n";
pub const END: &str = "    <!-- /static headers -->";

/// `page` with the part between the markers rendered anew; `None` without the markers.
pub fn render_into(page: &str) -> Option<String> {
    let start = page.find(BEGIN)? + BEGIN.len();
    let end = start + page[start..].find(END)?;
    Some(format!(
        "{}{}{}",
        &page[..start],
        static_headers(),
        &page[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `index.html` holds the headers this module renders.
    #[test]
    fn index_html_holds_the_rendered_headers() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/index.html");
        let page = std::fs::read_to_string(path).expect("index.html");
        let rendered = render_into(&page).expect("index.html has the static header markers");
        if std::env::var_os("SHELL_WRITE").is_some() {
            std::fs::write(path, &rendered).expect("write index.html");
        }
        assert!(
            page == rendered,
            "index.html's static headers differ from src/shell.rs; SHELL_WRITE=1 cargo test --lib shell"
        );
    }

    #[test]
    fn each_language_once_the_default_first() {
        let html = static_headers();
        let langs: Vec<&str> = html
            .match_indices("<header class=\"top\" lang=\"")
            .map(|(i, m)| &html[i + m.len()..i + m.len() + 2])
            .collect();
        assert_eq!(langs, ["ko", "en"]);
        assert_eq!(Lang::default(), Lang::Ko);
    }

    #[test]
    fn the_header_text_names_the_other_language_in_itself() {
        let ko = header_text(Lang::Ko, true);
        assert_eq!((ko.other, ko.other_label.as_str()), (Lang::En, "English"));
        let en = header_text(Lang::En, true);
        assert_eq!((en.other, en.other_label.as_str()), (Lang::Ko, "한국어"));
        assert!(en.hint.contains("batch 32, 10 epochs"), "{}", en.hint);
        assert_eq!(
            header_text(Lang::En, false).hint,
            Lang::En.strings().first_visit_link
        );
    }

    #[test]
    fn text_is_escaped_for_html() {
        assert_eq!(
            escape(r#"a < b & "c" > d"#),
            "a &lt; b &amp; &quot;c&quot; &gt; d"
        );
        assert!(static_headers().contains("post's Keras example"));
    }
}
