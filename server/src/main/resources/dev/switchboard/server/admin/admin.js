// The Switchboard admin page (docs/admin.md). Plain JS, no dependency, served from the jar with
// Content-Security-Policy: default-src 'self', so nothing here may be inline or remote.
'use strict';

const $ = (id) => document.getElementById(id);
const HISTORY = 120; // chart points: two minutes at one poll a second
let csrf = null;
let timers = [];
const samples = []; // {t, rate, clients}
let lastStats = null;
const nodeNames = new Map(); // uid → name, from the last info

/** Calls the admin API; resolves {status, body}, body parsed JSON or null. */
async function request(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: {} };
  if (method === 'POST') {
    init.headers['Content-Type'] = 'application/json';
    if (csrf) init.headers['X-CSRF-Token'] = csrf;
    init.body = JSON.stringify(body ?? {});
  }
  const res = await fetch(`api/${path}`, init);
  let parsed = null;
  try { parsed = await res.json(); } catch (e) { /* an empty or non-JSON body */ }
  if (res.status === 401 && path !== 'login') showLogin('Your session ended; log in again.');
  return { status: res.status, body: parsed };
}

/** Runs one server API method through the admin endpoint; throws Error(message) on any failure. */
async function call(method, params) {
  const { status, body } = await request('POST', `call/${method}`, params);
  if (body && body.error) throw new Error(`${body.error.code}: ${body.error.message}`);
  if (status !== 200) throw new Error(`HTTP ${status}`);
  return body.result;
}

function parseJson(text, what) {
  if (text.trim() === '') return undefined;
  try { return JSON.parse(text); } catch (e) { throw new Error(`${what} is not valid JSON: ${e.message}`); }
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  td.title = text ?? '';
  row.appendChild(td);
  return td;
}

function fill(tbody, items, render) {
  tbody.replaceChildren(...items.map((item) => { const tr = document.createElement('tr'); render(tr, item); return tr; }));
}

function duration(seconds) {
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}m ${seconds % 60}s`;
}

// ---- login -----------------------------------------------------------------------------------

function showLogin(message) {
  timers.forEach(clearInterval);
  timers = [];
  csrf = null;
  $('app').hidden = true;
  $('logout').hidden = true;
  $('whoami').textContent = '';
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  $('password').focus();
}

function showApp() {
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  $('whoami').textContent = 'logged in';
  refreshNodes();
  pollStats();
  timers.push(setInterval(refreshNodes, 3000), setInterval(pollStats, 1000));
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('login-error').textContent = '';
  const { status, body } = await request('POST', 'login', { password: $('password').value });
  $('password').value = '';
  if (status === 200) {
    csrf = body.csrf;
    showApp();
  } else {
    $('login-error').textContent = body && body.error ? body.error.message : `HTTP ${status}`;
  }
});

$('logout').addEventListener('click', async () => {
  await request('POST', 'logout', {});
  showLogin('Logged out.');
});

// ---- nodes and charts ------------------------------------------------------------------------

async function refreshNodes() {
  try {
    const nodes = (await call('info', {})).nodes.sort((a, b) => a.name.localeCompare(b.name));
    $('node-count').textContent = String(nodes.length);
    nodeNames.clear();
    nodes.forEach((n) => nodeNames.set(n.uid, n.name));
    fill($('nodes').querySelector('tbody'), nodes, (tr, n) => {
      [n.name, n.uid, n.address, n.num_clients, n.num_users, n.num_subs, n.num_channels, duration(n.uptime)]
        .forEach((v) => cell(tr, String(v ?? '')));
    });
  } catch (e) {
    $('node-count').textContent = '?';
  }
}

async function pollStats() {
  const { status, body } = await request('GET', 'stats');
  if (status !== 200 || !body) return;
  $('chart-node').textContent = `(${body.node})`;
  if (lastStats && body.time > lastStats.time) {
    // A restart of the counter (a new process behind the same address) reads as 0, not negative.
    const rate = Math.max(0, (body.delivered - lastStats.delivered) * 1000 / (body.time - lastStats.time));
    samples.push({ t: body.time, rate, clients: body.clients });
    if (samples.length > HISTORY) samples.shift();
    $('rate-now').textContent = rate.toFixed(1);
  }
  $('clients-now').textContent = String(body.clients);
  lastStats = body;
  draw($('chart-deliveries'), samples.map((s) => s.rate), '#2f6fdf');
  draw($('chart-connections'), samples.map((s) => s.clients), '#2e7d32');
}

/** A line chart of the last HISTORY values, scaled to their maximum, drawn by hand. */
function draw(canvas, values, color) {
  // Draw at the size the page shows the canvas, so lines stay sharp at any width.
  const shown = Math.round(canvas.clientWidth * (window.devicePixelRatio || 1));
  if (shown > 0 && canvas.width !== shown) canvas.width = shown;
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, left = 44, bottom = h - 18, top = 8;
  ctx.clearRect(0, 0, w, h);
  const max = Math.max(1, ...values);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#6b7384';
  ctx.strokeStyle = '#d9dde5';
  ctx.lineWidth = 1;
  for (const f of [0, 0.5, 1]) {
    const y = bottom - f * (bottom - top);
    ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(w - 4, y); ctx.stroke();
    ctx.fillText(formatNumber(max * f), 4, y + 4);
  }
  ctx.fillText('-2 min', left, h - 4);
  ctx.fillText('now', w - 26, h - 4);
  if (values.length < 2) return;
  const step = (w - 4 - left) / (HISTORY - 1), x0 = w - 4 - (values.length - 1) * step;
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.beginPath();
  values.forEach((v, i) => {
    const x = x0 + i * step, y = bottom - (v / max) * (bottom - top);
    if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  });
  ctx.stroke();
}

function formatNumber(n) {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(Math.round(n * 10) / 10);
}

// ---- channels and connections ---------------------------------------------------------------

$('channels-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('channels-error').textContent = '';
  try {
    const pattern = $('channel-pattern').value.trim();
    const result = await call('channels', pattern ? { pattern } : {});
    const rows = Object.entries(result.channels || {}).sort((a, b) => b[1].num_clients - a[1].num_clients);
    fill($('channels').querySelector('tbody'), rows, (tr, [name, c]) => { cell(tr, name); cell(tr, String(c.num_clients)); });
  } catch (e) {
    $('channels-error').textContent = e.message;
  }
});

async function lookup() {
  $('lookup-error').textContent = '';
  const by = $('lookup-by').value, value = $('lookup-value').value.trim();
  try {
    let list;
    if (by === 'client') {
      const r = await call('connection', { client: value });
      list = r.connected ? [r.connection] : [];
    } else {
      list = (await call('connections', { [by]: value, limit: 100 })).connections;
    }
    $('lookup-summary').textContent = `${list.length} connection${list.length === 1 ? '' : 's'} for ${by} "${value}"`;
    fill($('connections').querySelector('tbody'), list, (tr, c) => {
      tr.dataset.client = c.client;
      cell(tr, c.client); cell(tr, c.user); cell(tr, c.routing_key);
      cell(tr, nodeNames.get(c.node) ?? c.node).title = c.node;
      cell(tr, new Date(c.connected_at).toLocaleTimeString());
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'danger';
      button.textContent = 'Disconnect';
      button.addEventListener('click', () => disconnect(c));
      cell(tr, '').appendChild(button);
    });
  } catch (e) {
    $('lookup-error').textContent = e.message;
  }
}

async function disconnect(c) {
  if (!window.confirm(`Disconnect client ${c.client} of user "${c.user}"?`)) return;
  try {
    await call('disconnect', { user: c.user, client: c.client });
    // The node that held the connection tells the registry a moment later: look again until it is gone.
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await lookup();
      if (!document.querySelector(`#connections tr[data-client="${CSS.escape(c.client)}"]`)) break;
    }
  } catch (e) {
    $('lookup-error').textContent = e.message;
  }
}

$('lookup-form').addEventListener('submit', (ev) => { ev.preventDefault(); lookup(); });

// ---- consoles --------------------------------------------------------------------------------

function show(id, ok, text) {
  $(id).textContent = text;
  $(id).classList.toggle('bad', !ok);
}

$('publish-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    const data = parseJson($('publish-data').value, 'data');
    const r = await call('publish', { channel: $('publish-channel').value.trim(), data: data ?? {} });
    show('publish-result', true, `published: offset ${r.offset ?? '-'}, epoch ${r.epoch ?? '-'}`);
  } catch (e) {
    show('publish-result', false, `error ${e.message}`);
  }
});

$('invoke-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    const params = {
      [$('invoke-by').value]: $('invoke-target').value.trim(),
      method: $('invoke-method').value.trim(),
      timeout: Number($('invoke-timeout').value) || 5000,
    };
    const data = parseJson($('invoke-data').value, 'data');
    if (data !== undefined) params.data = data;
    const r = await call('invoke', params);
    show('invoke-result', true, `result: ${JSON.stringify(r.data)}`);
  } catch (e) {
    show('invoke-result', false, `error ${e.message}`);
  }
});

// ---- start -----------------------------------------------------------------------------------

(async () => {
  const { status, body } = await request('GET', 'session');
  if (status === 200) {
    csrf = body.csrf;
    showApp();
  } else {
    showLogin('');
  }
})();
