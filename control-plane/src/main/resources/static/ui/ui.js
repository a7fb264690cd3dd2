// The rollout page: lists routes, and for the selected one shows its rollout (phase, step, weights,
// per-version success rate and p99) from the REST API, polled every second. All text goes in through
// textContent or attributes, never as HTML.
import {api, ApiError, segment, token} from './api.js';
import {clock, legend, timeChart} from './charts.js';

const POLL_MS = 1000;
/** Events marked on the weight chart: those a person acts on, not the routine steps. */
const ROUTINE = ['StepPublished', 'StepStarted'];
const PHASES = ['Progressing', 'Paused', 'Promoted', 'RolledBack'];
const ACTIONS = {
  pause: {when: ['Progressing'], done: 'Paused.'},
  resume: {when: ['Paused', 'RolledBack'], done: 'Resumed.'}, // a rolled-back rollout starts again from step 1
  promote: {when: ['Progressing', 'Paused'], done: 'Promoted.', confirm: 'Send all traffic to the canary now?'},
  abort: {when: ['Progressing', 'Paused', 'Promoted'], done: 'Rolled back.', confirm: 'Roll back: all traffic to the stable version?'},
};

const $ = (id) => document.getElementById(id);
let routes = [];
let selected = fromHash();
let shownRoutes = '';
let lastRollout = null;
let sequence = 0;

function fromHash() {
  try {
    const h = decodeURIComponent(location.hash.slice(1));
    return /^[^/]+\/[^/]+$/.test(h) ? h : null;
  } catch (e) {
    return null; // a malformed hash selects nothing
  }
}

function routeKey(r) {
  return `${r.metadata.namespace}/${r.metadata.name}`;
}

function routePath(key) {
  const [ns, name] = key.split('/');
  return `/api/v1/namespaces/${segment(ns)}/modelroutes/${segment(name)}`;
}

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) {
    e.textContent = String(text);
  }
  if (className) {
    e.className = className;
  }
  return e;
}

// ---- status line ----

function showStatus(kind, text) {
  const s = $('api-status');
  s.dataset.status = kind;
  s.textContent = text;
}

function showApiError(e, what) {
  if (!(e instanceof ApiError)) {
    showStatus('error', `Cannot ${what}: ${e.message}`);
  } else if (e.status === 401) {
    showStatus('401', `401 Unauthorized: the API wants a token to ${what}. Enter an API token above.`
        + (token.get() ? ' The one in use was refused.' : ''));
    if (document.activeElement === document.body) {
      $('token').focus();
    }
  } else if (e.status === 403) {
    showStatus('403', `403 Forbidden: this token may not ${what}.` + (e.detail ? ' ' + e.detail : '')
        + (what === 'list routes in every namespace' ? ' Name a namespace to list only its routes.' : ''));
  } else if (e.status === 0) {
    showStatus('error', `The control plane does not answer: ${e.detail}`);
  } else {
    showStatus('error', `Cannot ${what}: ${e.message}`);
  }
}

// ---- the route list ----

function phaseOf(r) {
  return r.status && r.status.rollout ? r.status.rollout.phase : null;
}

function renderRoutes() {
  const key = JSON.stringify([selected, routes.map((r) => [routeKey(r), r.status && r.status.weights,
    Boolean(r.spec && r.spec.rollout), phaseOf(r)])]);
  if (key === shownRoutes) {
    return;
  }
  shownRoutes = key;
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.route : null;
  const items = routes.map((r) => {
    const k = routeKey(r);
    const button = el('button', null, 'route');
    button.type = 'button';
    button.dataset.route = k;
    if (k === selected) {
      button.setAttribute('aria-current', 'true');
    }
    const top = el('span', null, 'top');
    top.append(el('span', r.metadata.name, 'name'));
    if (r.spec && r.spec.rollout) {
      top.append(badge(phaseOf(r) || 'rollout'));
    }
    const weights = r.status && r.status.weights ? ` · ${r.status.weights}` : '';
    button.append(top, el('span', `${r.metadata.namespace}${weights}`, 'sub'));
    button.addEventListener('click', () => select(k));
    const li = el('li');
    li.append(button);
    return li;
  });
  $('route-list').replaceChildren(...items);
  $('route-empty').hidden = routes.length > 0;
  if (focused) { // a keyboard user stays on the route they were on
    const again = [...document.querySelectorAll('[data-route]')].find((b) => b.dataset.route === focused);
    if (again) {
      again.focus();
    }
  }
}

function badge(phase) {
  const b = el('span', phase, 'badge ' + (PHASES.includes(phase) ? 'phase-' + phase.toLowerCase() : 'phase-none'));
  b.dataset.phase = phase;
  return b;
}

function select(key) {
  selected = key;
  lastRollout = null;
  history.replaceState(null, '', '#' + encodeURIComponent(key).replace('%2F', '/'));
  renderRoutes();
  $('detail').hidden = false;
  $('detail-title').textContent = key;
  $('rollout').hidden = true;
  $('no-rollout').hidden = true;
  $('action-status').textContent = '';
  refresh();
}

// ---- the selected route's rollout ----

/** The API's 404 says why: no spec.rollout, a rollout not started yet, or no such route. */
function showNoRollout(detail) {
  $('rollout').hidden = true;
  const route = routes.find((r) => routeKey(r) === selected);
  $('no-rollout').hidden = false;
  $('no-rollout-detail').textContent = `No rollout to show: ${detail || 'none'}.`;
  $('route-weights').textContent = route && route.status && route.status.weights ? route.status.weights : 'unknown';
}

function stepText(r) {
  const of = `step ${r.step} of ${r.steps.length}, canary ${r.canary} at ${r.canaryWeight} %`;
  switch (r.phase) {
    case 'Promoted': return `promoted: ${of}`;
    case 'RolledBack': return `rolled back at ${of}`;
    default: return of;
  }
}

function ago(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s ago` : `${Math.floor(s / 60)} min ${s % 60} s ago`;
}

function percent(v) {
  return v === null || v === undefined ? 'no data' : `${Number(v.toFixed(2))} %`;
}

function millis(v) {
  return v === null || v === undefined ? 'no data' : `${v} ms`;
}

function versionClasses(r) {
  const names = [...new Set([...Object.keys(r.weights || {}), ...Object.keys(r.versions || {})])].sort();
  return new Map(names.map((n, i) => [n, 's' + (i % 6)]));
}

function renderRollout(r) {
  lastRollout = r;
  $('no-rollout').hidden = true;
  $('rollout').hidden = false;
  $('detail-title').textContent = r.route || selected;

  const phase = $('rollout-phase');
  phase.textContent = r.phase;
  phase.dataset.phase = r.phase;
  phase.className = 'badge ' + (PHASES.includes(r.phase) ? 'phase-' + r.phase.toLowerCase() : 'phase-none');
  $('rollout-step').textContent = stepText(r);

  const timing = [];
  if (r.phase === 'Progressing' || r.phase === 'Paused') {
    timing.push(r.stepStartedAt ? `Step started at ${clock(Date.parse(r.stepStartedAt))} `
        + `(${ago(Date.now() - Date.parse(r.stepStartedAt))}).` : 'Waiting for every proxy to run this step.');
    if (r.interval) {
      timing.push(`Each step runs ${r.interval} once every proxy runs it.`);
    }
  }
  if (r.failedChecks) {
    timing.push(`Failed checks: ${r.failedChecks}.`);
  }
  timing.push(`Generation ${r.generation}.`);
  $('rollout-timing').textContent = timing.join(' ');

  const reason = $('rollout-reason');
  reason.hidden = !r.reason && !r.message;
  reason.textContent = [r.reason, r.message].filter(Boolean).join(': ');

  for (const button of document.querySelectorAll('[data-action]')) {
    if (!button.dataset.busy) {
      button.disabled = !ACTIONS[button.dataset.action].when.includes(r.phase);
    }
  }

  const classes = versionClasses(r);
  $('version-rows').replaceChildren(...[...classes.keys()].map((v) => {
    const m = (r.versions || {})[v] || {};
    const tr = el('tr');
    const name = el('th', v + (v === r.canary ? ' (canary)' : ''));
    name.scope = 'row';
    tr.append(name, el('td', r.weights && v in r.weights ? `${r.weights[v]} %` : '–'),
        el('td', m.requests ?? 0), el('td', m.failures ?? 0), el('td', percent(m.successRate)),
        el('td', millis(m.p99Millis)));
    return tr;
  }));

  renderCharts(r, classes);
  renderHistory(r);
}

function renderCharts(r, classes) {
  const events = r.history || [];
  const samples = r.samples || [];
  const times = [...events.map((h) => Date.parse(h.at)), ...samples.map((s) => Date.parse(s.at))];
  const now = Math.max(Date.now(), ...times);
  const t0 = times.length ? Math.min(...times) : now - 60000;
  // At least a minute across, the room to the right of a young rollout left for what comes.
  const t1 = Math.max(now, t0 + 60000);
  const canary = {name: `${r.canary} (canary)`, cls: classes.get(r.canary) || 's0',
    points: events.map((h) => ({t: Date.parse(h.at), v: h.canaryWeight,
      mark: !ROUTINE.includes(h.event)}))};
  const perVersion = (field) => [...classes.entries()].map(([v, cls]) => ({name: v, cls,
    points: samples.map((s) => ({t: Date.parse(s.at), v: s.versions && s.versions[v] ? s.versions[v][field] : null}))}));
  const success = perVersion('successRate');
  const p99 = perVersion('p99Millis');

  chart('chart-weight', [canary], {label: 'Canary weight over time', unit: ' %', yMin: 0, yMax: 100,
    step: true, until: now, guides: r.steps, t0, t1});
  chart('chart-success', success, {label: 'Success rate per version', unit: ' %', yMax: 100, t0, t1});
  chart('chart-p99', p99, {label: 'p99 latency per version', unit: ' ms', yMin: 0, t0, t1});
}

function chart(id, series, options) {
  const figure = $(id);
  const caption = figure.querySelector('figcaption');
  figure.replaceChildren(caption, timeChart({...options, series}), legend(series));
}

function renderHistory(r) {
  const all = r.history || [];
  const events = all.slice(-10).reverse();
  $('history').start = all.length; // numbered as events of the whole rollout, newest first
  $('history').replaceChildren(...events.map((h) => {
    const li = el('li');
    const time = el('time', clock(Date.parse(h.at)));
    time.dateTime = h.at;
    li.append(time, el('span', ` ${h.event}`, 'event'), el('span', h.message ? `: ${h.message}` : ''),
        el('span', ` (${h.phase}, canary at ${h.canaryWeight} %)`, 'hint'));
    return li;
  }));
}

async function act(action, button) {
  const spec = ACTIONS[action];
  if (!selected || (spec.confirm && !window.confirm(spec.confirm))) {
    return;
  }
  const buttons = document.querySelectorAll('[data-action]');
  buttons.forEach((b) => { b.disabled = true; b.dataset.busy = 'true'; });
  $('action-status').textContent = `${button.textContent}…`;
  try {
    lastRollout = await api.post(`${routePath(selected)}/rollout/${action}`);
    $('action-status').textContent = spec.done;
  } catch (e) {
    $('action-status').textContent = e instanceof ApiError && (e.status === 401 || e.status === 403)
        ? `${e.status} ${e.title}: this token may not ${action} the rollout.` : `${action} failed: ${e.message}`;
  } finally {
    buttons.forEach((b) => delete b.dataset.busy);
    if (lastRollout) {
      renderRollout(lastRollout);
    }
  }
}

// ---- polling ----

async function refresh() {
  const mine = ++sequence;
  const ns = $('namespace').value.trim();
  const what = ns ? `list routes in namespace ${ns}` : 'list routes in every namespace';
  let ok = true;
  try {
    const list = await api.get(ns ? `/api/v1/namespaces/${segment(ns)}/modelroutes` : '/api/v1/modelroutes');
    if (mine !== sequence) {
      return;
    }
    routes = (list && list.items) || [];
    renderRoutes();
  } catch (e) {
    ok = false;
    showApiError(e, what);
  }
  if (selected) {
    $('detail').hidden = false;
    try {
      const r = await api.get(`${routePath(selected)}/rollout`);
      if (mine === sequence) {
        renderRollout(r);
      }
    } catch (e) {
      if (mine !== sequence) {
        return;
      }
      if (e instanceof ApiError && e.status === 404) {
        showNoRollout(e.detail);
      } else if (ok) { // else the list's refusal stays shown: it names the first thing refused
        ok = false;
        showApiError(e, `read the rollout of ${selected}`);
      }
    }
  }
  if (ok && mine === sequence) {
    showStatus('ok', token.get() ? 'Connected with your token. Refreshing every second.'
        : 'Connected without a token (anonymous loopback). Refreshing every second.');
  }
}

function poll() {
  refresh().finally(() => setTimeout(poll, POLL_MS));
}

function start() {
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token.set($('token').value.trim());
    $('token').value = '';
    $('token').placeholder = token.get() ? '(a token is in use)' : 'sluice_…';
    refresh();
  });
  $('token-forget').addEventListener('click', () => {
    token.set('');
    $('token').placeholder = 'sluice_…';
    refresh();
  });
  $('token').placeholder = token.get() ? '(a token is in use)' : 'sluice_…';
  $('namespace').addEventListener('change', () => refresh());
  for (const button of document.querySelectorAll('[data-action]')) {
    button.addEventListener('click', () => act(button.dataset.action, button));
  }
  window.addEventListener('hashchange', () => {
    const h = fromHash();
    if (h && h !== selected) {
      select(h);
    }
  });
  if (selected) {
    $('detail').hidden = false;
    $('detail-title').textContent = selected;
  }
  poll();
}

start();
