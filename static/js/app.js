// Enhancements only: every page works without this file.
(function () {
  "use strict";

  // "Add" under a formset: clone the empty row from its <template> instead of a
  // round trip to the server (which is what the button does without JavaScript).
  function addRow(form, prefix) {
    var total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = form.querySelector('template[data-empty-row="' + prefix + '"]');
    var rows = form.querySelector('[data-rows="' + prefix + '"]');
    if (!total || !template || !rows) return false;
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = rows.lastElementChild.querySelector("select, input:not([type=hidden])");
    if (first) first.focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (button && button.form && addRow(button.form, button.dataset.addRow)) {
      event.preventDefault();
    }
  });

  // Links marked data-opens-dialog open their page's [data-dialog-content] in a
  // modal <dialog>. Its form posts in the background: a redirect means saved (the
  // page reloads with the success message), anything else is the window again with
  // its errors. Cancel or Escape closes the dialog and discards the changes.
  var dialog = null;
  var opener = null;

  function contentOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    return doc.querySelector("[data-dialog-content]");
  }

  function show(html, fallbackUrl) {
    var content = contentOf(html);
    if (!content) {
      window.location.href = fallbackUrl;
      return;
    }
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "dialog";
      dialog.addEventListener("close", function () {
        dialog.remove();
        dialog = null;
        if (opener) opener.focus();
      });
      document.body.appendChild(dialog);
    }
    dialog.replaceChildren(document.importNode(content, true));
    var title = dialog.querySelector("h1, h2");
    if (title && title.id) dialog.setAttribute("aria-labelledby", title.id);
    var form = dialog.querySelector("form");
    if (form) form.addEventListener("submit", submit);
    // Cancel and the close button (×) discard the changes.
    dialog.querySelectorAll("[data-dialog-cancel]").forEach(function (cancel) {
      cancel.addEventListener("click", function (event) {
        event.preventDefault();
        dialog.close();
      });
    });
    if (!dialog.open) dialog.showModal();
    // The server marks the first field with an error (or a row just added) with
    // autofocus; else the first field of the window.
    var focus =
      dialog.querySelector("[autofocus]") ||
      dialog.querySelector("input:not([type=hidden]):not([tabindex='-1']), select");
    if (focus) focus.focus();
  }

  function submit(event) {
    var form = event.target;
    event.preventDefault();
    var cancel = form.querySelector("[data-dialog-cancel]");
    var done = cancel ? cancel.href : window.location.href;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form, event.submitter || undefined),
      credentials: "same-origin",
      redirect: "manual",
    })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 302) {
          window.location.href = done;
          return null;
        }
        return response.text().then(function (html) {
          show(html, form.action);
        });
      })
      .catch(function () {
        form.removeEventListener("submit", submit);
        form.submit();
      });
  }

  // A description behind an info icon shows on hover and on focus (CSS); Escape
  // hides it until the pointer or the focus leaves it (WCAG 1.4.13).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("[data-info]").forEach(function (info) {
      if (info.matches(":hover, :focus-within")) info.setAttribute("data-dismissed", "");
    });
  });
  function undismiss(event) {
    var info = event.target.closest && event.target.closest("[data-info]");
    if (info && !info.contains(event.relatedTarget)) info.removeAttribute("data-dismissed");
  }
  document.addEventListener("mouseout", undismiss);
  document.addEventListener("focusout", undismiss);

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-opens-dialog]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    if (typeof HTMLDialogElement === "undefined") return;
    event.preventDefault();
    opener = link;
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        show(html, link.href);
      })
      .catch(function () {
        window.location.href = link.href;
      });
  });
  // The header's menu (a <details>) closes on a click elsewhere and on Escape,
  // as a menu does; without JavaScript its summary opens and closes it.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-header-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = document.querySelector("details[data-header-menu][open]");
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
})();
