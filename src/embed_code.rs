//! The code a blog author pastes to embed Batch Lab ("Copy embed code"), built the way the
//! Jekyll include (`embed/jekyll/_includes/batch-lab.html`) writes it: an `<iframe
//! data-batch-lab>` and the listener file `batch-lab-embed.js` next to the app. No inline
//! script, no `style=` attribute and no `id`, so the snippet works under a strict
//! Content-Security-Policy (docs/embedding.md) and any number of snippets share one page:
//! the file installs one listener however often it is loaded, and gives each height message
//! to the iframe that sent it.

/// The `type` of the height message the embedded page posts to its parent (and the only one
/// `batch-lab-embed.js` listens to).
pub const HEIGHT_MESSAGE: &str = "batch-lab:height";

/// The listener's file name, next to the app's `index.html` in `dist/`.
pub const LISTENER_FILE: &str = "batch-lab-embed.js";

/// The iframe's height before the embedded page reports its own (the include's default).
pub const PLACEHOLDER_HEIGHT: u32 = 900;

/// The folder of the app's address `page` (origin + path, no query): where the listener
/// file is. `https://b.log/assets/batch-lab/index.html` → `https://b.log/assets/batch-lab/`.
pub fn app_folder(page: &str) -> &str {
    match page.rfind('/') {
        // Not the `//` of the scheme: an origin alone is its own folder.
        Some(i) if !page[..=i].ends_with("//") => &page[..=i],
        _ => page,
    }
}

/// Escapes `text` for a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The two lines to paste: the iframe of the app at `page` with `query` (already the embed
/// view's settings), titled `title`, and the listener script (`defer`, so it runs once the
/// post's HTML is parsed and finds every iframe).
pub fn snippet(page: &str, query: &str, title: &str) -> String {
    let folder = app_folder(page);
    let sep = if folder.ends_with('/') { "" } else { "/" };
    format!(
        "<iframe data-batch-lab src=\"{src}\" title=\"{title}\" width=\"100%\" height=\"{PLACEHOLDER_HEIGHT}\" loading=\"lazy\"></iframe>\n\
         <script src=\"{script}\" defer></script>",
        src = attribute(&format!("{page}?{query}")),
        title = attribute(title),
        script = attribute(&format!("{folder}{sep}{LISTENER_FILE}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listener_sits_next_to_the_app() {
        assert_eq!(
            app_folder("https://b.log/assets/batch-lab/"),
            "https://b.log/assets/batch-lab/"
        );
        assert_eq!(
            app_folder("https://b.log/assets/batch-lab/index.html"),
            "https://b.log/assets/batch-lab/"
        );
        assert_eq!(app_folder("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(app_folder(""), "");
    }

    #[test]
    fn the_snippet_has_no_inline_script_style_or_id() {
        let s = snippet(
            "https://b.log/assets/batch-lab/",
            "embed=1&view=anatomy&lang=ko",
            "배치 \"실험실\"",
        );
        assert_eq!(
            s,
            "<iframe data-batch-lab src=\"https://b.log/assets/batch-lab/?embed=1&amp;view=anatomy&amp;lang=ko\" \
             title=\"배치 &quot;실험실&quot;\" width=\"100%\" height=\"900\" loading=\"lazy\"></iframe>\n\
             <script src=\"https://b.log/assets/batch-lab/batch-lab-embed.js\" defer></script>"
        );
        // What a strict policy refuses, or two snippets on one page would share.
        for bad in [" style=", " id=", "<script>", "addEventListener"] {
            assert!(!s.contains(bad), "{bad} in {s}");
        }
    }

    #[test]
    fn an_origin_without_a_path_still_gets_a_separator() {
        let s = snippet("http://h:1", "embed=1", "t");
        assert!(s.contains("src=\"http://h:1/batch-lab-embed.js\""), "{s}");
    }
}
