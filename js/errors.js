// Uncaught errors and Content-Security-Policy violations, read by the end-to-end tests
// (tests/e2e). A file, not an inline <script>: the page must run under a CSP without
// 'unsafe-inline' (docs/embedding.md). A classic script in <head>, so it
// listens before the app's module starts.
window.__batchLabErrors = [];
window.__batchLabCspViolations = [];
addEventListener("error", (e) => __batchLabErrors.push(String(e.message)));
addEventListener("unhandledrejection", (e) => __batchLabErrors.push(String(e.reason)));
// A refused script, style or request is an error of the page: it must not happen.
document.addEventListener("securitypolicyviolation", (e) => {
  const what = `CSP ${e.effectiveDirective} refused ${e.blockedURI || "inline"} (${e.sourceFile || "?"}:${e.lineNumber})`;
  __batchLabCspViolations.push(what);
  __batchLabErrors.push(what);
});
