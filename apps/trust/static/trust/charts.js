// Draws every chart whose data sits in a <script type="application/json" id="trust-charts">.
// Each chart has a data table next to it for screen-reader users; the canvas is aria-hidden.
// Charts comparing schools plot each school's figure as a percentage of its roll ("percent_of_roll")
// and label it with the count; a school whose figure is suppressed keeps its place, its label
// saying "fewer than 5" (or "suppressed"), never a bar of 0.
(function () {
  var source = document.getElementById("trust-charts");
  if (!source || !window.Chart) return;
  var charts = JSON.parse(source.textContent);
  var palette = ["#005a5b", "#7fcdbb", "#d4351c", "#1d70b8", "#f47738", "#4c2c92", "#85994b", "#b58840", "#912b88", "#28a197", "#505a5f", "#f499be", "#003078", "#ffdd00", "#6f72af", "#00703c"];
  Object.keys(charts).forEach(function (id) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    var spec = charts[id];
    var perRoll = spec.unit === "percent_of_roll";
    var datasets = spec.datasets.map(function (d, i) {
      return { label: d.label, data: d.data, counts: d.counts, backgroundColor: palette[i % palette.length], borderColor: palette[i % palette.length], fill: false, tension: 0.2 };
    });
    (spec.national || []).forEach(function (n, i) {
      datasets.push({ type: "line", label: n.label, data: spec.labels.map(function () { return n.value; }), borderColor: "#0b0c0c", borderDash: [6, 4], pointRadius: 0, borderWidth: 2, backgroundColor: "transparent" });
    });
    var chart = new window.Chart(canvas, {
      type: spec.line ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: !!spec.stacked }, y: { stacked: !!spec.stacked, beginAtZero: true,
          title: { display: perRoll, text: "% of the school's roll" },
          ticks: { callback: function (v) { return (spec.unit === "percent" || perRoll) ? v + "%" : v; } } } },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) {
            var counts = ctx.dataset.counts;
            if (perRoll && counts) return ctx.dataset.label + ": " + counts[ctx.dataIndex] + " (" + ctx.parsed.y + "% of roll)";
            return ctx.dataset.label + ": " + ctx.formattedValue;
          } } }
        }
      }
    });
    canvas.hubChart = chart;
  });
})();
