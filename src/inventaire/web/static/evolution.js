// Évolution du stock: the chart is drawn from the page's own JSON (rebuilt from the ledger).
(function () {
  "use strict";
  var COLOURS = ["#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f", "#a21caf"];

  // The pages' month names (kit/dates.py MONTHS_SHORT): « sept. 2026 », never « sept. 26 ».
  var MOIS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
  var NBSP = "\u00a0";

  // A tick: the month and year over a long period, the day and month over a short one.
  function tick(span) {
    return function (ms) {
      var d = new Date(ms);
      if (span > 62 * 86400000) return MOIS[d.getMonth()] + NBSP + d.getFullYear();
      return d.getDate() + NBSP + MOIS[d.getMonth()] + NBSP + d.getFullYear();
    };
  }
  window.evolutionTick = tick;  // for the browser test

  // « 1 mouvement », « 4 mouvements »: the server's rule (units.count), plural from 2 on.
  function compte(n, one, many) {
    return n + " " + (Math.abs(n) >= 2 ? many : one);
  }

  function number(n) {
    return String(n).replace(".", ",");
  }

  function draw(canvas, data, status) {
    var end = Date.parse(data.jusqu_a);
    var start = null;  // the first change shown (the window's start when a line was already stocked)
    var datasets = data.series.map(function (s, i) {
      var points = s.points.map(function (p) { return { x: Date.parse(p.x), y: p.y }; });
      if (points.length) points.push({ x: end, y: s.quantite });  // the level holds until now
      if (points.length) start = start === null ? points[0].x : Math.min(start, points[0].x);
      return { label: s.technicien, data: points, stepped: "before", borderColor: COLOURS[i % COLOURS.length],
               backgroundColor: COLOURS[i % COLOURS.length], pointRadius: 2, borderWidth: 2 };
    });
    if (start === null) start = end - 86400000;
    var last = end;  // the chart reaches the end of the furthest forecast
    var forecasts = [];  // drawn after the history, listed after the thresholds
    data.series.forEach(function (s, i) {
      if (!s.prevision) return;
      var ahead = s.prevision.points.map(function (p) { return { x: Date.parse(p.x), y: p.y }; });
      last = Math.max(last, ahead[ahead.length - 1].x);
      var booked = s.prevision.demande_reservee
        ? " ; " + number(s.prevision.demande_reservee) + " réservé(s) aux rendez-vous, " +
          number(s.prevision.jours_reserves) + " j de couverture selon les rendez-vous, le reste au rythme"
        : "";
      forecasts.push({ label: "Prévision " + s.technicien + " (" + number(s.prevision.consommation_par_jour) + " / jour" +
                              booked + ")",
                      data: ahead, borderColor: COLOURS[i % COLOURS.length], borderDash: [2, 3], borderWidth: 2,
                      pointRadius: 0, prevision: true });
    });
    data.seuils.forEach(function (t) {
      datasets.push({ label: "Seuil " + number(t.valeur) + " (" + t.techniciens.join(", ") + ")",
                      data: [{ x: start, y: t.valeur }, { x: last, y: t.valeur }], borderColor: "#dc2626",
                      borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, seuil: true });
    });
    datasets = datasets.concat(forecasts);
    var chart = new Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      options: {
        animation: false, maintainAspectRatio: false, parsing: false,
        interaction: { mode: "nearest", intersect: false },
        scales: {
          x: { type: "linear", min: start, max: last, ticks: { callback: tick(last - start), maxTicksLimit: 8 } },
          y: { beginAtZero: true, title: { display: true, text: "Quantité (" + data.produit.unite + ")" } }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: {
            title: function (items) { return new Date(items[0].parsed.x).toLocaleString("fr-CA"); },
            label: function (item) { return item.dataset.label + " : " + number(item.parsed.y); }
          } }
        }
      }
    });
    window.graphiqueStock = chart;  // lets the browser tests read the drawn data
    var points = data.series.reduce(function (n, s) { return n + s.points.length; }, 0);
    status.textContent = data.series.length
      ? compte(points, "mouvement du journal", "mouvements du journal") + ", " + compte(data.series.length, "ligne de stock", "lignes de stock") + "."
      : "Aucun technicien n'a ce produit : rien à tracer.";
    canvas.dataset.pret = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var canvas = document.getElementById("graphique-stock");
    if (!canvas) return;
    var status = document.getElementById("graphique-etat");
    fetch(canvas.dataset.source, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { draw(canvas, data, status); })
      .catch(function (error) {
        status.textContent = "Impossible de charger les données du graphique (" + error.message + ").";
        status.classList.add("erreur");
        canvas.dataset.pret = "erreur";
      });
  });
})();
