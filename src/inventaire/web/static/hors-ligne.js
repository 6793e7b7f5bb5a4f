// The phone page without network: the service worker keeps it, changes made offline go to the
// outbox (envois.js) and are sent when the network comes back; each card says where its change is.
/* global Envois, htmx */
(function () {
  "use strict";
  var ROUND_MS = 30000;  // a round at this interval as well, for browsers that miss `online`
  var head = document.getElementById("entete-stock");
  if (!head || !self.indexedDB) return;
  var fromCopy = head.dataset.copie === "cache";

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // --- What the page shows: offline banner, count of waiting changes, each change's state -------

  function zone() {
    var box = document.getElementById("boite-envoi");
    if (box) return box;
    box = document.createElement("section");
    box.id = "boite-envoi";
    box.className = "carte boite-envoi";
    box.setAttribute("aria-live", "polite");
    box.innerHTML = '<p class="hors-ligne" hidden></p><p class="compte"></p><ul class="envois"></ul>';
    head.parentNode.insertBefore(box, head.nextSibling);
    return box;
  }

  function banner() {
    var offline = !navigator.onLine || fromCopy;
    var p = zone().querySelector(".hors-ligne");
    p.hidden = !offline;
    p.textContent = "Hors ligne\u00a0— stock vu à " + head.dataset.vuA;
  }

  var STATES = {attente: "En attente d'envoi", envoye: "Envoyé", refuse: "Refusé"};

  function describe(change) {
    var text = STATES[change.etat] + "\u00a0: " + change.libelle;
    if (change.etat === "refuse") text += " — " + change.raison;
    else if (change.etat === "attente" && change.avis) text += " (" + change.avis + ")";
    return text;
  }

  function show() {
    return Envois.all().then(function (changes) {
      var box = zone();
      var waiting = changes.filter(function (c) { return c.etat === "attente"; }).length;
      box.querySelector(".compte").textContent = waiting === 0 ? "" : waiting + (waiting === 1
        ? " changement en attente d'envoi" : " changements en attente d'envoi");
      var list = box.querySelector(".envois");
      list.textContent = "";
      document.querySelectorAll(".ligne .envoi").forEach(function (p) { p.remove(); });
      changes.forEach(function (change) {
        var item = document.createElement("li");
        item.className = "envoi " + change.etat;
        item.dataset.cle = change.cle;
        item.textContent = describe(change);
        list.appendChild(item);
        var card = change.code && document.getElementById("ligne-" + change.code);
        var message = card && card.querySelector(".message");
        if (message) {
          var note = document.createElement("p");
          note.className = "envoi " + change.etat;
          note.textContent = describe(change);
          message.appendChild(note);
        }
      });
      box.hidden = waiting === 0 && changes.length === 0 && !(!navigator.onLine || fromCopy);
      banner();
    });
  }

  // --- Queueing -------------------------------------------------------------------------------

  function label(form, params) {
    var line = form.closest(".ligne");
    var name = line ? line.querySelector(".nom").textContent : (params.get("code_produit") || "");
    var amount = params.get("quantite") || "";
    var unit = !line ? "" : parseFloat(amount.replace(",", ".")) >= 2 ? line.dataset.unitePluriel : line.dataset.unite;
    if (form.matches("form.comptage")) return "comptage de " + name + " : " + amount + " " + unit;
    if (form.matches("form.demande, form.demande-absent")) return "demande de " + amount + " " + unit + " " + name;
    if (form.matches("form.reception")) return "réception de " + amount + " " + name;
    var use = params.get("sens") === "utilisation";
    return (use ? "utilisation de " : "réception de ") + amount + " " + unit + " " + name;
  }

  function queue(form, url, params, key, htmx) {
    params.set("hors_ligne", new Date().toISOString());
    params.delete("csrf");
    var line = form.closest(".ligne");
    return Envois.add({
      url: url, corps: params.toString(), cle: key, htmx: htmx, csrf: csrf(),
      code: line ? line.dataset.code : null, libelle: label(form, params),
    }).then(function () {
      form.hidden = form.matches(".ligne form");
      if (line) {
        line.classList.remove("modifiee");
        line.dataset.delta = "0";
      }
      if (!htmx) {
        form.reset();
        var field = form.querySelector('input[name="cle"]');
        if (field) field.value = newKey();  // the next change is another change
      }
      askSync();
      return show();
    });
  }

  function askSync() {
    if (!navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("envois");
    }).catch(function () { /* Background Sync refused or absent: the page's rounds send it */ });
  }

  // A card's change (HTMX) made offline goes to the outbox instead of the network.
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (navigator.onLine) return;
    event.preventDefault();  // a poll offline would only fail
    if (detail.verb !== "post") return;
    var elt = event.target;
    var params = new URLSearchParams();
    (detail.formData || detail.parameters).forEach(function (value, name) { params.append(name, value); });
    queue(elt.closest("form") || elt, detail.path, params,
          detail.headers["Idempotency-Key"] || newKey(), true);
  });

  // Sent while the phone says it is online but no answer came back (a weak signal): the card keeps
  // the change and says so (app.js); « Enregistrer » again sends it with the same key, written once.

  // The page's plain forms (a product not carried: reception, request) carry their key in `cle`.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine || !form.matches("form.reception, form.demande-absent")) return;
    event.preventDefault();
    queue(form, form.getAttribute("action"), new URLSearchParams(new FormData(form)),
          form.querySelector('input[name="cle"]').value, false);
  });

  // --- Sending --------------------------------------------------------------------------------

  // A card's answer replaces the card unless someone is working on it (the next poll will).
  function sent(change, html) {
    var card = change.htmx && change.code && document.getElementById("ligne-" + change.code);
    if (card && !card.classList.contains("modifiee") && html.indexOf('id="ligne-') !== -1) {
      htmx.swap(card, html, {swapStyle: "outerHTML"});
    }
  }

  function flush() {
    if (!navigator.onLine) return show();
    return Envois.flush(csrf(), sent).then(show, show);
  }

  window.addEventListener("online", function () {
    banner();
    flush().then(function () {
      // A kept copy is as old as its « vu à »: the network's page replaces it once all is sent.
      if (fromCopy) location.reload();
    });
  });
  window.addEventListener("offline", banner);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") flush();
  });
  setInterval(flush, ROUND_MS);
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "envoyes") show();
    });
  }

  // --- Installing -----------------------------------------------------------------------------

  function keep() {
    var urls = [location.pathname];
    document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=icon], link[rel=apple-touch-icon]")
      .forEach(function (el) { urls.push(el.getAttribute("src") || el.getAttribute("href")); });
    return navigator.serviceWorker.ready.then(function (registration) {
      if (navigator.onLine && !fromCopy && registration.active) registration.active.postMessage({type: "garder", urls: urls});
    });
  }

  if (navigator.serviceWorker) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).then(keep).catch(function () {
      /* no worker (http on a LAN address): the page still queues offline while it stays open */
    });
  }
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
  flush();
})();
