// Time charts drawn as SVG by hand: one line per series over a shared time axis, a gap where a value
// is null, optionally drawn as steps (a value holds until the next point). Colours and dashes come
// from ui.css classes s0..s5, so each series is told apart by dash as well as by colour.

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 560;
const HEIGHT = 190;
const M = {top: 10, right: 14, bottom: 26, left: 52};

function svg(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) {
    e.setAttribute(k, String(v));
  }
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}

/** Up to {@code count} round tick values from lo to hi. */
function ticks(lo, hi, count) {
  const raw = (hi - lo) / count;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step / 1e6; v += step) {
    out.push(Number(v.toPrecision(12)));
  }
  return out;
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400]
    .map((s) => s * 1000);

/** Up to about {@code count} whole-second times from t0 to t1, on round steps (never two alike). */
function timeTicks(t0, t1, count) {
  const step = TIME_STEPS.find((s) => s >= (t1 - t0) / count) || TIME_STEPS[TIME_STEPS.length - 1];
  const out = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    out.push(t);
  }
  return out;
}

/** A time of day, 24-hour, to the second: the page's one time format. */
export function clock(ms) {
  return new Date(ms).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false});
}

/**
 * An SVG chart.
 *
 * @param {object} o
 * @param {string} o.label   what it shows, for screen readers
 * @param {string} o.unit    appended to the y labels
 * @param {Array<{name: string, cls: string, points: Array<{t: number, v: (number|null)}>}>} o.series
 * @param {number} o.t0      start of the time axis (ms)
 * @param {number} o.t1      end of the time axis (ms)
 * @param {number} [o.yMin]  fixed bottom, else from the data
 * @param {number} [o.yMax]  fixed top, else from the data
 * @param {boolean} [o.step] hold each value until the next point, and the last one until {@code o.until}
 * @param {number} [o.until] with step: when the last value ends (now); default t1
 * @param {number[]} [o.guides] dashed horizontal lines (the rollout's steps)
 */
export function timeChart(o) {
  const values = o.series.flatMap((s) => s.points.map((p) => p.v)).filter((v) => v !== null && v !== undefined);
  let lo = o.yMin ?? (values.length ? Math.min(...values) : 0);
  let hi = o.yMax ?? (values.length ? Math.max(...values) : 1);
  if (o.yMin === undefined && values.length) {
    lo = Math.max(0, lo - (hi - lo) * 0.1 - 1);
  }
  if (o.yMax === undefined) {
    hi = hi + (hi - lo) * 0.1 + (hi === lo ? 1 : 0);
  }
  const t0 = o.t0;
  const t1 = Math.max(o.t1, t0 + 1000);
  const x = (t) => M.left + ((t - t0) / (t1 - t0)) * (WIDTH - M.left - M.right);
  const y = (v) => HEIGHT - M.bottom - ((v - lo) / (hi - lo)) * (HEIGHT - M.top - M.bottom);

  const root = svg('svg', {viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': o.label, class: 'chart'});
  root.append(svg('title', {}, o.label));

  const axes = svg('g', {class: 'axes'});
  for (const v of ticks(lo, hi, 4)) {
    axes.append(svg('line', {x1: M.left, x2: WIDTH - M.right, y1: y(v), y2: y(v), class: 'grid'}));
    axes.append(svg('text', {x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end'}, `${v}${o.unit}`));
  }
  for (const t of timeTicks(t0, t1, 4)) {
    axes.append(svg('text', {x: x(t), y: HEIGHT - 8, 'text-anchor': 'middle'}, clock(t)));
  }
  for (const g of o.guides || []) {
    if (g >= lo && g <= hi) {
      axes.append(svg('line', {x1: M.left, x2: WIDTH - M.right, y1: y(g), y2: y(g), class: 'guide'}));
    }
  }
  axes.append(svg('line', {x1: M.left, x2: M.left, y1: M.top, y2: HEIGHT - M.bottom, class: 'axis'}));
  axes.append(svg('line', {x1: M.left, x2: WIDTH - M.right, y1: HEIGHT - M.bottom, y2: HEIGHT - M.bottom, class: 'axis'}));
  root.append(axes);

  if (!values.length) {
    root.append(svg('text', {x: WIDTH / 2, y: HEIGHT / 2, 'text-anchor': 'middle', class: 'empty'}, 'no data yet'));
    return root;
  }
  for (const s of o.series) {
    root.append(svg('path', {d: path(s.points, x, y, o.step, Math.min(o.until ?? t1, t1)), class: `line ${s.cls}`}));
    for (const p of s.points) {
      if (p.v !== null && p.v !== undefined && p.mark) {
        root.append(svg('circle', {cx: x(p.t), cy: y(p.v), r: 4, class: `mark ${s.cls}`}));
      }
    }
  }
  return root;
}

/** An SVG path through the points, broken at null values. */
function path(points, x, y, step, until) {
  let d = '';
  let pen = false;
  points.forEach((p, i) => {
    if (p.v === null || p.v === undefined) {
      pen = false;
      return;
    }
    const px = x(p.t).toFixed(1);
    const py = y(p.v).toFixed(1);
    if (!pen) {
      d += `M${px},${py}`;
      pen = true;
    } else if (step) {
      d += `H${px}V${py}`;
    } else {
      d += `L${px},${py}`;
    }
    if (step && i === points.length - 1) {
      d += `H${x(Math.max(until, p.t)).toFixed(1)}`;
    }
  });
  return d;
}

/** A legend: each series' name beside a swatch of its colour and dash. */
export function legend(series) {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  for (const s of series) {
    const li = document.createElement('li');
    const sample = svg('svg', {viewBox: '0 0 24 8', width: 24, height: 8, 'aria-hidden': 'true'});
    sample.append(svg('line', {x1: 0, x2: 24, y1: 4, y2: 4, class: `line ${s.cls}`}));
    li.append(sample, document.createTextNode(' ' + s.name));
    ul.append(li);
  }
  return ul;
}
