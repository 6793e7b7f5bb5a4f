// The service worker of the phone page: it keeps the van's page and its files, so that the page
// opens without network, and sends the outbox when Background Sync wakes it (where it exists:
// the page sends it too, on opening, on `online` and at intervals, so nothing relies on this).
/* global importScripts, Envois */
"use strict";

var CACHE = "inventaire-__VERSION__";
var PAGE_TIMEOUT_MS = 4000;  // a weak signal (a basement) answers late or never: the kept copy then

importScripts("/static/envois.js?v=__VERSION__");

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("inventaire-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// A van's page: /stock/<nom> (not its history, its picking list or the fragments it polls).
function isVanPage(url) {
  return url.origin === self.location.origin && /^\/stock\/[^/]+\/?$/.test(url.pathname);
}

function pageKey(url) {
  return url.origin + url.pathname;
}

// Keep a page only as the person saw it logged in (a redirect to /connexion is not a van's page).
function keepPage(cache, url, response) {
  if (!response || response.status !== 200 || response.redirected) return Promise.resolve();
  return cache.put(pageKey(url), response);
}

// The copy says it is one: the page then shows « Hors ligne — stock vu à 7 h 52 ».
function markCopy(response) {
  return response.text().then(function (html) {
    return new Response(html.replace('data-copie="reseau"', 'data-copie="cache"'),
                        {status: 200, headers: {"Content-Type": "text/html; charset=utf-8"}});
  });
}

function vanPage(request) {
  var url = new URL(request.url);
  return caches.open(CACHE).then(function (cache) {
    var network = fetch(request).then(function (response) {
      return keepPage(cache, url, response.clone()).then(function () { return response; });
    });
    var timeout = new Promise(function (resolve) { setTimeout(resolve, PAGE_TIMEOUT_MS, null); });
    return Promise.race([network.catch(function () { return null; }), timeout]).then(function (response) {
      if (response) return response;
      return cache.match(pageKey(url)).then(function (copy) {
        if (copy) return markCopy(copy);
        return network;  // no copy yet: the network's answer or its failure, as without a worker
      });
    });
  });
}

// Static files carry their version in the query (?v=): the first copy is the right one.
function staticFile(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) event.respondWith(staticFile(request));
  else if (request.mode === "navigate" && isVanPage(url)) event.respondWith(vanPage(request));
});

// The page asks to keep itself and its files (the first visit loads them before the worker runs).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "garder") return;
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all((data.urls || []).map(function (href) {
      var url = new URL(href, self.location.origin);
      if (url.origin !== self.location.origin) return null;
      return fetch(url.href, {credentials: "same-origin"}).then(function (response) {
        if (isVanPage(url)) return keepPage(cache, url, response);
        return response.ok ? cache.put(url.href, response) : null;
      }).catch(function () { return null; });
    }));
  }).then(function () {
    if (event.source) event.source.postMessage({type: "garde"});
  }));
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "envois") return;
  event.waitUntil(Envois.flush(null).then(function () {
    return self.clients.matchAll({type: "window"});
  }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage({type: "envoyes"}); });
  }));
});
