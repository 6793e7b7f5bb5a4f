// The outbox: changes made without network, kept in IndexedDB until the server has them.
// Shared by the page (hors-ligne.js) and the service worker (sw.js, Background Sync).
// Each change keeps the Idempotency-Key it was prepared with: sending it twice (an answer lost,
// the page and the worker at once) writes it once; the server answers the second time with the
// first answer. Changes are sent one at a time, oldest first; the first network failure stops
// the round, and the next one starts again from there.
/* exported Envois */
var Envois = (function () {
  "use strict";
  var DB = "inventaire", STORE = "envois";
  var KEEP_SENT_MS = 24 * 3600 * 1000;  // a sent change stays listed for a day, then is forgotten
  var running = null;  // the round in progress in this page or worker

  function open() {
    return new Promise(function (resolve, reject) {
      var request = self.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, {keyPath: "id", autoIncrement: true});
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() {
    return run("readonly", function (store) { return store.getAll(); });
  }

  function add(change) {
    change.etat = "attente";
    change.cree = new Date().toISOString();
    return run("readwrite", function (store) { return store.add(change); });
  }

  function save(change) {
    return run("readwrite", function (store) { return store.put(change); });
  }

  function forget(ids) {
    return run("readwrite", function (store) { ids.forEach(function (id) { store.delete(id); }); });
  }

  // The reason of a refusal: the header of an HTMX answer, else the page's error paragraph.
  function reason(response, text) {
    var header = response.headers.get("X-Inventaire-Erreur");
    if (header) {
      try { return decodeURIComponent(header); } catch (e) { return header; }
    }
    var match = /<p class="erreur"[^>]*>([\s\S]*?)<\/p>/.exec(text);
    if (match) return match[1].replace(/<[^>]+>/g, "").replace(/&#39;/g, "'").replace(/&amp;/g, "&").trim();
    return "Refusé par le serveur (" + response.status + ").";
  }

  function send(change, csrf) {
    var headers = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf || change.csrf};
    if (change.htmx) {
      headers["HX-Request"] = "true";
      headers["Idempotency-Key"] = change.cle;
    }
    return fetch(change.url, {method: "POST", body: change.corps, headers: headers, credentials: "same-origin"});
  }

  // One change: true to go on with the next one, false to stop the round (network, session, server).
  function deliver(change, csrf, onSent) {
    return send(change, csrf).then(function (response) {
      return response.text().then(function (text) {
        var loggedOut = response.redirected && /\/connexion/.test(response.url);
        if (response.ok && !loggedOut) {
          change.etat = "envoye";
          change.envoye = new Date().toISOString();
          return save(change).then(function () { if (onSent) onSent(change, text); return true; });
        }
        if (response.status === 409 || response.status === 422 || response.status === 404) {
          change.etat = "refuse";
          change.raison = reason(response, text);
          return save(change).then(function () { return true; });
        }
        // Logged out, CSRF, throttled, server busy: it stays waiting for the next round.
        change.avis = loggedOut || response.status === 401 || response.status === 403
          ? "Session expirée : reconnectez-vous pour envoyer." : "Serveur indisponible (" + response.status + ").";
        return save(change).then(function () { return false; });
      });
    }, function () { return false; });
  }

  function round(csrf, onSent) {
    return all().then(function (changes) {
      var old = changes.filter(function (c) {
        return c.etat === "envoye" && Date.now() - Date.parse(c.envoye) > KEEP_SENT_MS;
      }).map(function (c) { return c.id; });
      var waiting = changes.filter(function (c) { return c.etat === "attente"; });
      var sent = 0;
      function next(i) {
        if (i >= waiting.length) return Promise.resolve(sent);
        return deliver(waiting[i], csrf, onSent).then(function (goOn) {
          if (waiting[i].etat === "envoye") sent += 1;
          return goOn ? next(i + 1) : sent;
        });
      }
      return (old.length ? forget(old) : Promise.resolve()).then(function () { return next(0); });
    });
  }

  // Send what waits, in order; one round at a time in this page or worker, and one across the
  // page and the worker where the browser has Web Locks (the keys make a double send harmless anyway).
  function flush(csrf, onSent) {
    if (running) return running;
    var work = function () { return round(csrf, onSent); };
    var locks = self.navigator && self.navigator.locks;
    running = (locks ? locks.request("inventaire-envois", work) : work()).then(function (sent) {
      running = null;
      return sent;
    }, function (error) {
      running = null;
      throw error;
    });
    return running;
  }

  return {all: all, add: add, flush: flush};
})();
