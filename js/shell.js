// Picks the page's static header before the first paint (index.html, rendered by src/shell.rs):
// a plain visit (no key in the link but `lang`) keeps the header of its language and shows it,
// without its first-visit suggestion once a visit is recorded; any other link removes them all
// and the app draws its own header. A classic script right after the headers, so it runs before
// the parser goes on and before anything is painted.
//
// Until the app adopts the header (it removes `data-static-header`), its buttons work here: the
// suggestion's × removes it, and the language button opens the page in the other language (a
// plain visit has nothing to lose yet).
//
// The language follows the app's rule (src/i18n.rs `Lang::negotiate` and the `lang` key of
// src/url_state/keys.rs): the link's `lang` when it names a language, else the first of the
// browser's languages that is one, else the first header's (the default language). The app
// decides again when it starts and adopts the header only if it agrees (src/ui/static_header.rs).
(() => {
  const headers = [...document.querySelectorAll("header[data-static-header]")];
  const query = new URLSearchParams(location.search);
  const plain = [...query.keys()].every((k) => k === "lang");
  const langs = headers.map((h) => h.lang);
  const primary = (tag) => String(tag).split(/[-_]/)[0].trim().toLowerCase();
  // The `lang` key takes only an exact name; anything else is negotiated, as the app does.
  const named = langs.includes(query.get("lang")) ? query.get("lang") : null;
  const browser = [...(navigator.languages || []), navigator.language]
    .filter((t) => t != null)
    .map(primary)
    .find((t) => langs.includes(t));
  const lang = named || browser || langs[0];
  let visited = false;
  try {
    visited = localStorage.getItem(headers[0]?.dataset.visitedKey) != null;
  } catch {
    // Storage that cannot be read counts as a first visit, as in the app (src/ui/first_visit.rs).
  }
  for (const h of headers) {
    if (!plain || h.lang !== lang) {
      h.remove();
      continue;
    }
    if (visited) h.querySelector(".first-visit")?.remove();
    document.documentElement.lang = lang;
    h.removeAttribute("lang");
    h.hidden = false;
    h.querySelector(".first-visit-close")?.addEventListener("click", () => {
      h.querySelector(".first-visit")?.remove();
    });
    const other = h.querySelector(".lang");
    other?.addEventListener("click", () => {
      if (h.hasAttribute("data-static-header")) location.search = `?lang=${other.lang}`;
    });
  }
})();
