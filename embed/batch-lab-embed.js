// Batch Lab embeds: sizes every Batch Lab iframe on the page from its own height messages.
//
// Each embedded page posts {type: "batch-lab:height", height} to its parent whenever its
// height changes (src/ui/embed.rs). This file installs ONE `message` listener for the whole
// page, however many iframes it has (loading it twice keeps the first), and gives a message's
// height to the iframe whose window sent it (event.source === iframe.contentWindow), never to
// another. Iframes are found by their `data-batch-lab` attribute, also those added later.
//
// A file, not an inline script, so a post under a strict Content-Security-Policy can use it
// (docs/embedding.md); styles go through the CSSOM, which such a policy allows.
(function () {
  "use strict";
  if (window.batchLabEmbed) {
    return;
  }
  var TYPE = "batch-lab:height";

  function frames() {
    return document.querySelectorAll("iframe[data-batch-lab]");
  }

  // No border, no inline gap; the width stays the page's (the include's width="100%", or the
  // post's own stylesheet).
  function prepare(frame) {
    frame.style.border = "0";
    frame.style.display = "block";
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== TYPE) {
      return;
    }
    var height = Number(data.height);
    if (!isFinite(height) || height <= 0 || height > 100000) {
      return;
    }
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      if (list[i].contentWindow === event.source) {
        prepare(list[i]);
        list[i].style.height = Math.ceil(height) + "px";
        list[i].setAttribute("data-batch-lab-height", String(Math.ceil(height)));
        return;
      }
    }
  });

  function prepareAll() {
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      prepare(list[i]);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", prepareAll);
  } else {
    prepareAll();
  }

  // What the page can check: one listener, installed by this file.
  window.batchLabEmbed = { listeners: 1, type: TYPE };
})();
