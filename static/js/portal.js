/* The portal's only script of its own (the CSP allows scripts from the portal, none
   inline). It keeps keyboard and screen-reader users oriented (docs/accessibility.md):

   - A form sent back with errors: the focus goes to its error summary
     ([data-error-summary]), which lists each error as a link that focuses its field.
   - After an htmx swap that took the focus away (the link or button that had it was
     replaced, as pagination, "Mois suivant" and a row's action buttons are), the focus
     goes, in this order, to the element of the new content with the same id as the one
     that had it, to the element marked [data-focus-after-swap] (a results heading), to
     the first control of the new content, or to the new content itself. A swap that did
     not take the focus (a filter field being typed in, a poll) leaves it where it is.
   - The server says what a swap did in a short sentence, sent in the
     HX-Trigger-After-Settle header as the "portal:announce" event
     (accounts/announce.py); it is written in the page's one polite live region,
     #portal-announcer (base.html), instead of whole tables being live regions.
*/
(function () {
  "use strict";

  var CONTROLS =
    'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
  var pending = null;

  function focusOn(element) {
    if (!element.matches(CONTROLS) && !element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) {
      focusOn(summary);
      return true;
    }
    return false;
  }

  function announce(message) {
    var region = document.getElementById("portal-announcer");
    if (!region || !message) {
      return;
    }
    // Emptied first, then written: the same sentence twice in a row is read twice.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = message;
    }, 150);
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });

  // A link of the error summary puts the focus in its field, not only the page's scroll.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    pending = {
      target: event.detail.target,
      focusedId: active && active !== document.body ? active.id : "",
    };
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!pending || event.detail.target !== pending.target) {
      return;
    }
    var state = pending;
    pending = null;
    var root = state.target;
    if (!root.isConnected && root.id) {
      // outerHTML: the target was replaced by an element carrying the same id.
      root = document.getElementById(root.id);
    }
    if (!root || !root.isConnected) {
      return;
    }
    if (focusErrorSummary(root)) {
      return;
    }
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) {
      return;
    }
    var next =
      (state.focusedId && document.getElementById(state.focusedId)) ||
      root.querySelector("[data-focus-after-swap]") ||
      root.querySelector(CONTROLS) ||
      root;
    focusOn(next);
  });

  document.addEventListener("portal:announce", function (event) {
    announce(event.detail && event.detail.message);
  });
})();
