// « Scanner » on the phone page: the camera reads a QR code (the project's labels carry the
// product code) or a maker's barcode (EAN, UPC: the product's `code_barres`) and opens that
// product's card, ready for « − » or « Compter ». A Bluetooth scanner typing into the filter
// field and pressing Enter does the same. The browser's own BarcodeDetector is used where it
// exists; elsewhere (iOS, desktop Linux) the vendored WebAssembly reader, loaded on first tap.
/* global BarcodeDetectionAPI */
(function () {
  "use strict";
  var VENDOR = "/static/vendor/barcode-detector/";
  var FORMATS = ["qr_code", "ean_13", "ean_8", "upc_a", "upc_e", "code_128", "code_39"];
  var button = document.getElementById("scanner");
  var filter = document.getElementById("filtre-lignes");
  if (!button || !filter) return;
  var dialog = document.getElementById("camera");
  var video = dialog.querySelector("video");
  var status = dialog.querySelector(".etat-scan");
  var stream = null, scanning = false;

  function say(text) {
    var box = document.getElementById("resultat-scan");
    box.textContent = text;
    box.hidden = !text;
  }

  // A barcode as one key: a UPC-A is an EAN-13 starting with 0, and readers report it either way
  // (the WebAssembly one reads « 036000291452 » as « 0036000291452 »), so 12 digits get that 0.
  function barcodeKey(value) {
    var text = String(value).trim().toLowerCase();
    return /^[0-9]{12}$/.test(text) ? "0" + text : text;
  }

  // The card of a scanned value: its product code (a label), else its barcode, whatever the case.
  function cardOf(value) {
    var wanted = String(value).trim().toLowerCase();
    var cards = Array.prototype.slice.call(document.querySelectorAll("#lignes .ligne"));
    return cards.filter(function (c) { return (c.dataset.code || "").toLowerCase() === wanted; })[0] ||
      cards.filter(function (c) { return barcodeKey(c.dataset.codeBarres || "") === barcodeKey(value); })[0] || null;
  }

  function open(value) {
    var card = cardOf(value);
    if (!card) {
      say("Aucun produit de ce véhicule ne porte le code «\u00a0" + value + "\u00a0».");
      return false;
    }
    say("");
    filter.value = card.dataset.code;
    filter.dispatchEvent(new Event("input", {bubbles: true}));  // stock.js shows this card alone
    document.querySelectorAll(".ligne.scannee").forEach(function (c) { c.classList.remove("scannee"); });
    card.classList.add("scannee");
    card.scrollIntoView({block: "center"});
    card.querySelector("button.moins").focus();
    return true;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("lecteur de codes introuvable")); };
      document.head.appendChild(script);
    });
  }

  var detector = null;
  function getDetector() {
    if (detector) return detector;
    var native = self.BarcodeDetector && BarcodeDetector.getSupportedFormats ?
      BarcodeDetector.getSupportedFormats().then(function (formats) {
        return formats.indexOf("qr_code") !== -1 && formats.indexOf("ean_13") !== -1 ? new BarcodeDetector({formats: FORMATS}) : null;
      }, function () { return null; }) : Promise.resolve(null);
    detector = native.then(function (found) {
      if (found) return found;
      return loadScript(VENDOR + "barcode-detector.ponyfill.js?v=3.2.2").then(function () {
        BarcodeDetectionAPI.setZXingModuleOverrides({
          locateFile: function (path, prefix) { return path.endsWith(".wasm") ? VENDOR + path : prefix + path; },
        });
        return new BarcodeDetectionAPI.BarcodeDetector({formats: FORMATS});
      });
    });
    detector.catch(function () { detector = null; });
    return detector;
  }

  function stop() {
    scanning = false;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    if (dialog.open) dialog.close();
  }

  function loop(reader) {
    if (!scanning) return;
    reader.detect(video).then(function (codes) {
      if (!scanning) return;
      if (codes.length) {
        stop();
        open(codes[0].rawValue);
      } else {
        setTimeout(function () { loop(reader); }, 150);
      }
    }, function () { setTimeout(function () { loop(reader); }, 300); });
  }

  button.addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say("La caméra n'est pas accessible ici (il faut une adresse https).");
      return;
    }
    status.textContent = "Visez le code-barres ou l'étiquette…";
    dialog.showModal();
    scanning = true;
    Promise.all([
      navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false}),
      getDetector(),
    ]).then(function (parts) {
      stream = parts[0];
      if (!scanning) return stop();
      video.srcObject = stream;
      return video.play().then(function () { loop(parts[1]); });
    }).catch(function (error) {
      stop();
      say("Scanner impossible : " + (error && error.name === "NotAllowedError"
        ? "l'accès à la caméra a été refusé." : (error && error.message) || "erreur inconnue."));
    });
  });
  dialog.querySelector("button.fermer").addEventListener("click", stop);
  dialog.addEventListener("cancel", stop);

  // A Bluetooth scanner types the code into the filter field, then Enter.
  filter.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !filter.value.trim()) return;
    event.preventDefault();
    open(filter.value.trim());
  });
})();
