// The page of the Switchboard FastAPI example. Connects with the session cookie only: the browser
// sends the HttpOnly cookie on the WebSocket upgrade, the node forwards it to the app's connect
// proxy. There is no token anywhere in this page.
'use strict';

const config = JSON.parse(document.getElementById('config').textContent);
const params = new URLSearchParams(location.search);
const urls = config.wsUrls.map((u) => u.replace('{host}', location.hostname));
// Start on a random node, and move to the next one on every reconnect: what a round-robin load
// balancer without sticky sessions does, so stopping a node sends its pages to the other one,
// where they recover what they missed. ?node=N pins one node.
const pinned = params.has('node');
let next = pinned ? Number(params.get('node')) : Math.floor(Math.random() * urls.length);
let wsUrl = urls[next % urls.length];
class RoundRobinSocket extends WebSocket {
  constructor(_url, protocols) {
    wsUrl = urls[next % urls.length];
    if (!pinned) next += 1;
    super(wsUrl, protocols);
  }
}

const $ = (id) => document.getElementById(id);
function logLine(text) {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  $('log').prepend(li);
}

const centrifuge = new Centrifuge(wsUrl, { websocket: RoundRobinSocket });
centrifuge.on('connecting', (ctx) => { $('status').textContent = `connecting (${ctx.reason})`; });
centrifuge.on('connected', (ctx) => {
  $('status').textContent = `connected as ${ctx.data?.user ?? '?'}`;
  $('node').textContent = `via ${wsUrl}`;
});
centrifuge.on('disconnected', (ctx) => { $('status').textContent = `disconnected: ${ctx.code} ${ctx.reason}`; });

// Server → client RPC (docs/rpc.md): the app's POST /agents/<user>/ping lands here when this page
// is the user's newest connection.
centrifuge.on('message', async (ctx) => {
  const inv = ctx.data && ctx.data.sb_invoke;
  if (!inv) return;
  const answer = inv.method === 'ping'
    ? { id: inv.id, data: { pong: true, agent: 'browser', received: inv.data } }
    : { id: inv.id, error: { code: 404, message: `no method ${inv.method}` } };
  logLine(`invoked ${inv.method}`);
  await centrifuge.send({ sb_result: answer });
});

const subscriptions = new Map();

function render(job) {
  let box = $(`job-${job.id}`);
  if (!box) {
    box = document.createElement('div');
    box.className = 'job';
    box.id = `job-${job.id}`;
    const title = document.createElement('div');
    title.textContent = `job ${job.id} `;
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.className = 'bar';
    const state = document.createElement('span');
    state.className = 'state';
    const cancel = document.createElement('button');
    cancel.textContent = 'Cancel';
    cancel.onclick = () => centrifuge.rpc('cancel_job', { job: job.id })
      .then((r) => logLine(`cancel_job: ${r.data.job.state}`), (e) => logLine(`cancel_job refused: ${e.code} ${e.message}`));
    const comment = document.createElement('input');
    comment.placeholder = 'comment';
    const send = document.createElement('button');
    send.textContent = 'Send';
    send.onclick = () => {
      subscriptions.get(job.id).publish({ type: 'comment', text: comment.value })
        .then(() => { comment.value = ''; }, (e) => logLine(`comment refused: ${e.code} ${e.message}`));
    };
    const comments = document.createElement('ul');
    comments.className = 'comments';
    title.append(bar, state, cancel);
    box.append(title, comment, send, comments);
    $('jobs').prepend(box);
  }
  const percent = Math.floor((job.step * 100) / job.steps);
  // Take the furthest step seen: the state on subscribe and a live publication may overlap.
  const shown = Number(box.dataset.step ?? -1);
  if (job.step >= shown) {
    box.dataset.step = job.step;
    box.querySelector('.bar').value = percent;
    box.querySelector('.state').textContent = ` ${job.state} ${percent}%`;
    box.dataset.state = job.state;
  }
}

function follow(job) {
  render(job);
  if (subscriptions.has(job.id)) return;
  const sub = centrifuge.newSubscription(`jobs:${job.id}`);
  subscriptions.set(job.id, sub);
  // State on subscribe: the subscribe proxy's data is the job as the app knows it now.
  sub.on('subscribed', (ctx) => {
    if (ctx.data?.job) render(ctx.data.job);
    // The step the stream continues from, for whoever inspects the page (the tests do).
    if (!ctx.wasRecovering && ctx.data?.job) $(`job-${job.id}`).dataset.subscribedAt = ctx.data.job.step;
    if (ctx.wasRecovering) logLine(`jobs:${job.id} resubscribed, recovered: ${ctx.recovered}`);
  });
  sub.on('unsubscribed', (ctx) => logLine(`jobs:${job.id} unsubscribed: ${ctx.code} ${ctx.reason}`));
  sub.on('publication', (ctx) => {
    const d = ctx.data;
    if (d.type === 'progress') {
      // Every step received, in order, for whoever inspects the page (the tests do).
      const box = $(`job-${job.id}`);
      box.dataset.received = box.dataset.received ? `${box.dataset.received},${d.step}` : `${d.step}`;
      render({ id: job.id, step: d.step, steps: d.steps, state: d.state });
    } else if (d.type === 'state') {
      render({ id: job.id, step: d.step, steps: d.steps, state: d.state });
    } else if (d.type === 'comment') {
      const li = document.createElement('li');
      li.textContent = `${d.author}: ${d.text}`;
      $(`job-${job.id}`).querySelector('.comments').append(li);
    }
  });
  sub.subscribe();
}

$('start').onclick = async () => {
  const response = await fetch('/jobs', { method: 'POST' });
  const body = await response.json();
  if (!response.ok) { logLine(`start refused: ${body.detail}`); return; }
  follow(body.job);
};

centrifuge.connect();
fetch('/jobs').then((r) => r.json()).then((body) => body.jobs.forEach(follow));
