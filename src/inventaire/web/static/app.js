// Every page: the CSRF header on HTMX requests, and failures shown to the person, never hidden.
(function () {
  "use strict";
  // « Imprimer » buttons (no inline script: the print sheet in style.css hides the menu).
  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    if (event.target.closest("[data-imprimer]")) window.print();
    var read = event.target.closest("[data-lu]");
    var unread = read && read.closest("[data-non-lu]");
    if (unread) unread.remove();
  });

  // Destructive one-click actions ask first (data-confirmer holds the question; no inline script).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirmer");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // On a phone a table is a stack of cards (style.css): each cell carries its column's name in
  // data-label, taken from the header row, for the cells that have no label of their own.
  function labelCells(root) {
    var tables = root.querySelectorAll ? root.querySelectorAll("table") : [];
    Array.prototype.forEach.call(tables, function (table) {
      var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!head) return;
      var names = [];
      Array.prototype.forEach.call(head.cells, function (cell) {
        var text = cell.textContent.trim();
        for (var i = 0; i < (cell.colSpan || 1); i++) names.push(text);
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            var name = names[column];
            if (name && cell.tagName === "TD" && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", name);
            column += cell.colSpan || 1;
          });
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { labelCells(document); });
  // After a swap (a polled section, one row): the whole page again, cheap, and a row swapped alone is
  // labelled from its table's header too; cells labelled already are left as they are.
  document.addEventListener("htmx:load", function () { labelCells(document); });

  var NETWORK = "Connexion au serveur impossible : rien n'a été enregistré. Vérifiez le réseau et réessayez.";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function serverMessage(xhr) {
    var header = xhr && xhr.getResponseHeader("X-Inventaire-Erreur");
    if (header) {
      try { return decodeURIComponent(header); } catch (e) { return header; }
    }
    if (xhr && xhr.status === 401) return "Votre session a expiré : reconnectez-vous.";
    if (xhr && xhr.status >= 500) return "Erreur du serveur (" + xhr.status + ") : rien n'a été enregistré. Réessayez.";
    return "La demande a été refusée (" + (xhr ? xhr.status : "?") + ").";
  }

  // Show a message next to the element that failed (a stock line), else in the page's banner.
  function show(elt, text, source) {
    var line = elt && elt.closest ? elt.closest(".ligne") : null;
    var box = line ? line.querySelector(".message") : null;
    if (box) {
      box.textContent = "";
      var p = document.createElement("p");
      p.className = "erreur";
      p.setAttribute("role", "alert");
      p.textContent = text;
      box.appendChild(p);
      return;
    }
    var banner = document.getElementById("avis");
    if (!banner) return;
    banner.textContent = text;
    banner.dataset.source = source || "";
    banner.hidden = false;
  }

  // A polled zone with data-etag sends it back; the answer 304 (nothing changed) is not swapped
  // (responseHandling in base.html) and leaves the zone as it is.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
    var etag = event.detail.elt.dataset && event.detail.elt.dataset.etag;
    if (etag) event.detail.headers["If-None-Match"] = etag;
  });
  document.addEventListener("htmx:responseError", function (event) {
    show(event.detail.elt, serverMessage(event.detail.xhr), event.detail.elt.dataset.source);
  });
  document.addEventListener("htmx:sendError", function (event) {
    show(event.detail.elt, NETWORK, event.detail.elt.dataset.source);
  });
  document.addEventListener("htmx:timeout", function (event) {
    show(event.detail.elt, NETWORK, event.detail.elt.dataset.source);
  });
  // A form being filled in a polled zone (data-pause-saisie) is not wiped by the poll: the poll
  // waits until the field is sent or left as it was. Nor is an action on its way (its answer brings
  // the zone back), nor a refusal the person has not read yet (data-non-lu, until « Compris »: the
  // refused answer shows what was typed as the fields' values, so they no longer look edited).
  function filling(zone) {
    if (zone.querySelector("[data-non-lu], .htmx-request")) return true;
    var active = document.activeElement;
    if (active && zone.contains(active) && active.matches("input, select, textarea")) return true;
    return Array.prototype.some.call(zone.querySelectorAll("input, select, textarea"), function (field) {
      if (field.type === "hidden") return false;
      if (field.tagName === "SELECT") {
        return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      return field.value !== field.defaultValue;
    });
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var zone = event.detail.elt;
    if (zone.hasAttribute && zone.hasAttribute("data-pause-saisie") && filling(zone)) event.preventDefault();
  });
  // A poll that works again clears the banner its failure had put up.
  document.addEventListener("htmx:afterRequest", function (event) {
    var etag = event.detail.xhr && event.detail.xhr.status === 200 && event.detail.xhr.getResponseHeader("ETag");
    if (etag && event.detail.elt.dataset && event.detail.elt.dataset.etag !== undefined) {
      event.detail.elt.dataset.etag = etag;
    }
    var banner = document.getElementById("avis");
    if (event.detail.successful && banner && !banner.hidden && banner.dataset.source &&
        banner.dataset.source === event.detail.elt.dataset.source) {
      banner.hidden = true;
    }
  });
})();
