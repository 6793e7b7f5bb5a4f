// The phone page: − and + prepare a change on a line; nothing is sent until "Enregistrer".
(function () {
  "use strict";

  function parse(text) {
    var n = parseFloat(String(text).replace(/\s/g, "").replace(",", "."));
    return isFinite(n) ? n : NaN;
  }

  // The server's search rule (catalogue/search.py): no accents, any case, words in any order.
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function fmt(n) {
    return String(Math.round(n * 1000) / 1000).replace(".", ",");
  }

  // One Idempotency-Key per prepared change: a retry after a lost answer is not counted twice.
  function newKey(form) {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);  // randomUUID() needs https; this works on a LAN too
    form.dataset.cle = Array.prototype.map.call(bytes, function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
  }

  function pending(line) {
    return parseFloat(line.dataset.delta || "0");
  }

  // Show the prepared change: its type, its amount and what the line will hold.
  function render(line, delta) {
    var form = line.querySelector("form.en-attente");
    line.dataset.delta = String(delta);
    line.querySelector("form.comptage").hidden = true;
    hideRequest(line);
    if (delta === 0) {
      form.hidden = true;
      line.classList.remove("modifiee");
      return;
    }
    newKey(form);
    var before = parse(line.dataset.quantite);
    var after = Math.round((before + delta) * 1000) / 1000;
    var use = delta < 0;
    form.hidden = false;
    line.classList.add("modifiee");
    form.querySelector('input[name="sens"]').value = use ? "utilisation" : "reception";
    var amount = form.querySelector('input[name="quantite"]');
    if (document.activeElement !== amount) amount.value = fmt(Math.abs(delta));
    var summary = form.querySelector(".projet");
    summary.textContent = (use ? "Utilisation de " : "Réception de ") + fmt(Math.abs(delta)) + " " +
      (Math.abs(delta) >= 2 ? line.dataset.unitePluriel : line.dataset.unite) + " → " + fmt(after) + (after < 0 ? " (stock insuffisant)" : "");
    summary.classList.toggle("insuffisant", after < 0);
  }

  function hideRequest(line) {
    var ask = line.querySelector("form.demande");
    if (ask) ask.hidden = true;
  }

  // Someone is working on this card (a prepared change, a count, a request, the levels): a poll
  // does not replace it under their fingers; it will on the next poll after they are done.
  function busy(line) {
    if (line.classList.contains("modifiee")) return true;
    if (line.contains(document.activeElement) && document.activeElement.matches("input, select, textarea")) return true;
    return Array.prototype.some.call(line.querySelectorAll("form.en-attente, form.comptage, form.demande, details[open]"),
      function (part) { return part.tagName === "DETAILS" || !part.hidden; });
  }

  function reset(line) {
    var message = line.querySelector(".message");
    if (message) message.textContent = "";
    render(line, 0);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    var line = button && button.closest(".ligne");
    if (!line) return;
    if (button.classList.contains("moins")) render(line, pending(line) - 1);
    else if (button.classList.contains("plus")) render(line, pending(line) + 1);
    else if (button.classList.contains("annuler")) {
      reset(line);
      line.querySelector("form.comptage").hidden = true;
    } else if (button.classList.contains("demander")) {
      // Tap 1 of 2: the quantity is prefilled (what brings the line to par, else 1); tap 2 sends it.
      reset(line);
      var ask = line.querySelector("form.demande");
      newKey(ask);
      ask.hidden = false;
      ask.querySelector("button.envoyer-demande").scrollIntoView({block: "nearest"});
    } else if (button.classList.contains("compter")) {
      reset(line);
      var count = line.querySelector("form.comptage");
      newKey(count);
      count.hidden = false;
      var input = count.querySelector('input[name="quantite"]');
      input.focus();
      input.select();
    }
  });

  // A refused change comes back prepared (data-projet): show its projection again, with a new
  // key for the retry (the refusal wrote nothing, so the key was not kept either).
  document.addEventListener("htmx:load", function (event) {
    var line = event.detail.elt.closest ? event.detail.elt.closest(".ligne") : null;
    if (!line || !line.dataset.projet) return;
    var delta = parse(line.dataset.projet);
    delete line.dataset.projet;
    if (isFinite(delta) && delta !== 0) {
      var message = line.querySelector(".message").innerHTML;
      render(line, delta);
      line.querySelector(".message").innerHTML = message;
    }
  });

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains("ligne") && busy(target)) {
      event.detail.shouldSwap = false;
    }
  });

  // A refused request comes back open with what was typed: a new key for the retry.
  document.addEventListener("htmx:load", function (event) {
    var elt = event.detail.elt;
    var ask = elt.querySelector ? elt.querySelector("form.demande:not([hidden])") : null;
    if (ask) newKey(ask);
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (form.dataset && form.dataset.cle) event.detail.headers["Idempotency-Key"] = form.dataset.cle;
  });

  // Typing an amount keeps the direction chosen with − or +; any edit is a new change (new key).
  document.addEventListener("input", function (event) {
    var input = event.target;
    var changed = input.closest && input.closest("form.en-attente, form.comptage, form.demande");
    if (changed) newKey(changed);
    if (input.name === "quantite" && input.closest("form.en-attente")) {
      var line = input.closest(".ligne");
      var amount = parse(input.value);
      if (isFinite(amount) && amount > 0) render(line, pending(line) < 0 ? -amount : amount);
    }
    if (input.id === "filtre-lignes") {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      document.querySelectorAll("#lignes .ligne").forEach(function (line) {
        var text = fold(line.textContent + " " + (line.dataset.codeBarres || ""));  // a scanner types barcodes
        line.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
      });
    }
  });
})();
