// Draws each <figure class="uchart"> with uPlot (served from the portal's own jar) from the JSON the
// page put beside it: bars over categories, or lines over time. The page's table has the same numbers.
(function () {
  const colours = ['#0b5cad', '#c2410c', '#116329', '#8250df', '#a4161a', '#57606a'];

  function draw(figure) {
    const plot = figure.querySelector('.uchart-plot');
    const spec = JSON.parse(figure.querySelector('.chart-data').textContent);
    const bars = spec.kind === 'bars';
    const xs = bars ? spec.x.map((_, i) => i) : spec.x;
    const series = [{}].concat(spec.series.map((s, i) => ({
      label: s.label,
      stroke: colours[i % colours.length],
      fill: bars ? colours[i % colours.length] + 'b3' : undefined,
      width: bars ? 0 : 2,
      // Bars of several series overlap, narrower in front, so each stays visible without a plugin.
      paths: bars ? uPlot.paths.bars({size: [0.8 - 0.5 * i / spec.series.length, 120 - 70 * i / spec.series.length], align: 0}) : undefined,
      points: {show: !bars && xs.length <= 48},
    })));
    const axes = [bars
      ? {values: (u, splits) => splits.map(v => Number.isInteger(v) && spec.x[v] !== undefined ? spec.x[v] : ''),
         splits: () => xs, stroke: '#1b1f24'}
      : {stroke: '#1b1f24'}, {stroke: '#1b1f24'}];
    const options = {
      width: Math.min(plot.clientWidth || 700, 900), height: 260, series: series, axes: axes,
      scales: {x: bars ? {time: false, range: [-0.5, xs.length - 0.5]} : {time: true}},
      legend: {live: false},
    };
    new uPlot(options, [xs].concat(spec.series.map(s => s.values)), plot);
    figure.dataset.drawn = 'true';
  }

  function drawAll() {
    document.querySelectorAll('figure.uchart:not([data-drawn])').forEach(draw);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', drawAll);
  } else {
    drawAll();
  }
})();
