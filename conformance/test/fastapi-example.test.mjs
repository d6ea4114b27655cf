// The FastAPI example (examples/fastapi/) end to end: its Python app as the application backend
// (connect/subscribe/publish/rpc proxies, cookie login, invoke endpoint), its worker publishing
// job progress through node A's server API, two nodes over one Redis, stock centrifuge-js over
// `ws`, and a real Chromium on the example's own page.
//
// Environment (set by FastApiExampleIT, which starts all of it; without FASTAPI_APP_URL every test
// here is skipped, so the plain conformance run ignores this file):
//   FASTAPI_APP_URL        the app, e.g. http://127.0.0.1:9000
//   FASTAPI_NODE_A_WS      node A's WebSocket URL (the worker publishes through node A's API)
//   FASTAPI_NODE_B_WS      node B's WebSocket URL
//   FASTAPI_NODE_A_API, FASTAPI_API_KEY  node A's server API and its key
//   FASTAPI_JOB_STEPS      steps per job (the app's APP_JOB_STEPS)
//   FASTAPI_WEBHOOK_SECRET, FASTAPI_INTERNAL_SECRET  the app's, when not the demo defaults
//   CHROMIUM               optional, as in browser-origin.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

import { chromiumPath, harness, sleep } from '../lib/harness.mjs';

const APP = process.env.FASTAPI_APP_URL ?? '';
const NODE_A = process.env.FASTAPI_NODE_A_WS ?? '';
const NODE_B = process.env.FASTAPI_NODE_B_WS ?? '';
const NODE_A_API = process.env.FASTAPI_NODE_A_API ?? '';
const API_KEY = process.env.FASTAPI_API_KEY ?? '';
const STEPS = Number(process.env.FASTAPI_JOB_STEPS ?? '0');
// The example's demo secrets (settings.py), which its switchboard.yaml also holds.
const WEBHOOK_SECRET = process.env.FASTAPI_WEBHOOK_SECRET ?? 'demo-webhook-secret-change-me';
const INTERNAL_SECRET = process.env.FASTAPI_INTERNAL_SECRET ?? 'demo-internal-secret-change-me';
const TEST_TIMEOUT = 30_000;
const skip = APP === '' ? 'FASTAPI_APP_URL not set (run by FastApiExampleIT)' : false;

if (!skip && !chromiumPath && process.env.CI === 'true') {
  throw new Error('no Chromium found under CI=true: .ci/run installs the chromium package');
}
const skipBrowser = skip || (chromiumPath ? false : 'no Chromium found (install chromium, or set CHROMIUM to its path)');

// ---------------------------------------------------------------------------------------------
// The app, as a browser would use it

/** Logs in through the app's form; returns the session cookie (`name=value`). */
async function login(user, password = `${user}-password`) {
  const response = await fetch(`${APP}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: user, password }),
    redirect: 'manual',
  });
  assert.equal(response.status, 303, `login of ${user}`);
  const setCookie = response.headers.get('set-cookie');
  assert.match(setCookie, /HttpOnly/i, 'the session cookie is HttpOnly');
  return setCookie.split(';')[0];
}

async function appCall(path, cookie, method = 'POST') {
  const response = await fetch(`${APP}${path}`, { method, headers: cookie ? { Cookie: cookie } : {} });
  return { status: response.status, body: await response.json() };
}

async function newJob(cookie) {
  const { status, body } = await appCall('/jobs', cookie);
  assert.equal(status, 200, `POST /jobs: ${JSON.stringify(body)}`);
  return body.job;
}

async function jobState(cookie, id) {
  const { body } = await appCall('/jobs', cookie, 'GET');
  return body.jobs.find((j) => j.id === id);
}

/** Polls an async predicate (an app call) until it holds. */
async function until(predicate, message, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// Clients: the cookie goes on the WebSocket upgrade, as a browser sends it; nothing else.

/**
 * A centrifuge-js client whose upgrade carries `cookie`. `target.url` is read at every (re)connect,
 * so a test can move the client to the other node, as a round-robin load balancer would.
 */
function cookieClient(h, cookie, target = { url: NODE_B }) {
  const headers = cookie ? { Cookie: cookie } : {};
  const Socket = class extends WebSocket {
    constructor(_url, protocols) {
      super(target.url, protocols, { headers });
    }
  };
  return h.client({ url: target.url, websocket: Socket });
}

async function connected(h, cookie, target) {
  const client = cookieClient(h, cookie, target);
  const ready = h.waitEvent(client, 'connected', {
    failOn: { disconnected: (ctx) => `disconnected instead of connected: ${JSON.stringify(ctx)}` },
  });
  client.connect();
  return { client, ctx: await ready };
}

// ---------------------------------------------------------------------------------------------

test('F1. the session cookie logs a client in through the app\'s connect proxy; no or a forged cookie is refused', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const { ctx } = await connected(h, await login('alice'));
  assert.deepEqual(ctx.data, { user: 'alice' }, 'the connect proxy named the cookie\'s user');

  for (const cookie of [null, 'sbdemo_session=bob.forged.signature']) {
    const client = cookieClient(h, cookie);
    const disconnected = h.waitEvent(client, 'disconnected', { failOn: { connected: `connected with cookie ${cookie}` } });
    client.connect();
    const refused = await disconnected;
    assert.equal(refused.code, 1000, 'the app\'s login-required code');
    assert.equal(refused.reason, 'login required');
    assert.equal(client.state, 'disconnected', 'centrifuge-js does not retry a refused login');
  }

  const wrong = await fetch(`${APP}/login`, { method: 'POST', body: new URLSearchParams({ username: 'alice', password: 'nope' }), redirect: 'manual' });
  assert.equal(wrong.status, 401, 'a wrong password gets no cookie');
  assert.equal(wrong.headers.get('set-cookie'), null);
});

test('F2. only the owner may subscribe to jobs:<id>, and gets the job\'s state on subscribe', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const alice = await login('alice');
  const job = await newJob(alice);
  // A late joiner: wait until the worker is a few steps in.
  await until(async () => (await jobState(alice, job.id)).step >= 2, 'the worker to reach step 2');

  const { client } = await connected(h, alice);
  const { sub, ctx } = await h.subscribed(client, `jobs:${job.id}`);
  const state = ctx.data.job;
  assert.equal(state.id, job.id);
  assert.equal(state.owner, 'alice');
  assert.ok(state.step >= 2, `state on subscribe is the job's progress so far, got step ${state.step}`);
  const first = await h.waitEvent(sub, 'publication');
  assert.ok(first.data.step >= state.step && first.data.step <= state.step + 1, `no gap between the state (step ${state.step}) and the stream (step ${first.data.step})`);

  const { client: bob } = await connected(h, await login('bob'), { url: NODE_A });
  const theft = bob.newSubscription(`jobs:${job.id}`);
  const refused = h.waitEvent(theft, 'unsubscribed', { failOn: { subscribed: 'bob subscribed to alice\'s job' } });
  theft.subscribe();
  const ctxBob = await refused;
  assert.equal(ctxBob.code, 1001, 'the app\'s not-your-job code');
  assert.equal(ctxBob.reason, 'not your job');
  assert.equal(bob.state, 'connected', 'the refusal ends the subscription, not the connection');
});

test('F3. rpc cancel_job is answered by the app: the owner cancels, others and unknown methods are refused', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const alice = await login('alice');
  const job = await newJob(alice);
  const { client } = await connected(h, alice);
  const { sub } = await h.subscribed(client, `jobs:${job.id}`);
  const cancelledPush = h.waitEvent(sub, 'publication', { filter: (p) => p.data.type === 'state' });

  const { client: bob } = await connected(h, await login('bob'));
  await assert.rejects(bob.rpc('cancel_job', { job: job.id }), (e) => e.code === 1001 && e.message === 'not your job');
  await assert.rejects(client.rpc('reboot_everything', {}), (e) => e.code === 104, 'unknown method: 104');
  await assert.rejects(client.rpc('cancel_job', {}), (e) => e.code === 107, 'no job id: 107');

  const result = await client.rpc('cancel_job', { job: job.id });
  assert.equal(result.data.job.id, job.id);
  assert.equal(result.data.job.state, 'cancelled', 'Python answered the rpc');
  assert.equal((await cancelledPush).data.state, 'cancelled', 'subscribers are told, through the app\'s API publish');
  assert.equal((await jobState(alice, job.id)).state, 'cancelled');
});

test('F4. the publish proxy accepts comments only, and stamps the author and time itself', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const alice = await login('alice');
  const job = await newJob(alice);
  const { client } = await connected(h, alice);
  const { sub } = await h.subscribed(client, `jobs:${job.id}`);
  const comments = [];
  sub.on('publication', (p) => p.data.type === 'comment' && comments.push(p.data));

  const before = Date.now();
  await sub.publish({ type: 'comment', text: '  looks good  ', author: 'mallory' });
  for (const bad of [
    { type: 'progress', step: 99 },
    { type: 'comment', text: 'x'.repeat(281) },
    { type: 'comment', text: '   ' },
    'just a string',
  ]) {
    await assert.rejects(sub.publish(bad), (e) => e.code === 1003, `rejected: ${JSON.stringify(bad).slice(0, 40)}`);
  }
  await sub.publish({ type: 'comment', text: 'second' });
  await h.waitUntil(() => comments.length >= 2, { message: 'two comments delivered' });
  await sleep(200);
  assert.equal(comments.length, 2, 'rejected publications never reached subscribers');
  assert.equal(comments[0].author, 'alice', 'the author is the connection\'s user, not what the client claimed');
  assert.equal(comments[0].text, 'looks good', 'the app trimmed the text');
  assert.ok(comments[0].ts >= before - 1000 && comments[0].ts <= Date.now() + 1000, 'a server timestamp');
  assert.equal(comments[1].text, 'second');
});

test('F5. the worker\'s progress (published through node A\'s API) arrives live on node B in order, and a reconnect to node A recovers the missed steps', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const alice = await login('alice');
  const target = { url: NODE_B };
  const { client } = await connected(h, alice, target);
  const job = await newJob(alice);
  const { sub, ctx } = await h.subscribed(client, `jobs:${job.id}`);
  assert.equal(ctx.recoverable, true, 'the jobs namespace forces recovery');
  const pubs = h.record(sub, 'publication');

  await h.waitUntil(() => pubs.length >= 2, { timeoutMs: 10_000, message: 'two progress steps' });
  await h.disconnect(client);
  const seenBefore = pubs.length;
  const lastSeen = pubs[seenBefore - 1].data.step;
  // Away while the worker publishes at least two more steps.
  await until(async () => (await jobState(alice, job.id)).step >= lastSeen + 3, 'two more steps published');
  assert.equal(pubs.length, seenBefore, 'nothing delivered while disconnected');

  target.url = NODE_A; // the "load balancer" now sends this client to the other node
  const resubscribed = h.waitEvent(sub, 'subscribed', { failOn: { unsubscribed: 'subscription ended instead of recovering' } });
  client.connect();
  const again = await resubscribed;
  assert.equal(again.wasRecovering, true);
  assert.equal(again.recovered, true, 'recovered from Redis history on the other node');

  await h.waitUntil(() => pubs.some((p) => p.data.state === 'done'), { timeoutMs: 15_000, message: 'the job to finish' });
  await sleep(300); // a late duplicate would show now
  const steps = pubs.map((p) => p.data.step);
  const from = steps[0];
  assert.ok(from <= ctx.data.job.step + 1, `the stream starts where the state on subscribe left off (${ctx.data.job.step})`);
  assert.deepEqual(steps, Array.from({ length: STEPS - from + 1 }, (_, i) => from + i), 'every step once, in order, no gap');
  const offsets = pubs.map((p) => p.offset);
  assert.deepEqual(offsets, Array.from({ length: offsets.length }, (_, i) => offsets[0] + i), 'consecutive offsets: the worker\'s retries (--chaos) published nothing twice');
});

test('F6. the app invokes ping on the user\'s connected agent through /api/invoke; no agent is a clear 404', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const alice = await login('alice');
  const bob = await login('bob');
  const { client: agent } = await connected(h, alice, { url: NODE_A });
  agent.on('message', async (ctx) => {
    const inv = ctx.data?.sb_invoke;
    if (inv?.method === 'ping') await agent.send({ sb_result: { id: inv.id, data: { pong: true, agent: 'node-agent', got: inv.data } } });
  });

  // The registry entry is written asynchronously with Redis; the agent is reachable very soon.
  let answer;
  await until(async () => (answer = await appCall('/agents/alice/ping', alice)).status !== 404, 'the agent to be registered');
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.agent, 'alice');
  assert.equal(answer.body.result.pong, true);
  assert.equal(answer.body.result.agent, 'node-agent');
  assert.equal(typeof answer.body.result.got.sent_at, 'number', 'the app\'s arguments reached the agent');

  const none = await appCall('/agents/bob/ping', bob);
  assert.equal(none.status, 404);
  assert.equal(none.body.detail, 'agent bob is not connected');
  assert.match(none.body.reason, /^not_connected/);
  assert.equal((await appCall('/agents/alice/ping', bob)).status, 403, 'nobody pings another user\'s agents');
  assert.equal((await appCall('/agents/alice/ping', null)).status, 401);
});

test('F7. browser: log in on the app\'s page, connect with the cookie only, watch a job finish live, moved to the other node midway without a gap', { skip: skipBrowser, timeout: 60_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${APP}/`);
    await page.fill('input[name=username]', 'alice');
    await page.fill('input[name=password]', 'alice-password');
    await Promise.all([page.waitForURL(`${APP}/`), page.click('button[type=submit]')]);
    await page.waitForFunction(() => document.getElementById('status').textContent === 'connected as alice', null, { timeout: 10_000 });

    assert.equal(await page.evaluate(() => document.cookie), '', 'the session cookie is invisible to scripts (HttpOnly)');
    assert.doesNotMatch(await page.content(), /token/i, 'no token in the page');
    assert.equal(sockets.length, 1);
    assert.ok([NODE_A, NODE_B].includes(sockets[0]), `connected to one of the nodes: ${sockets[0]}`);

    const [created] = await Promise.all([page.waitForResponse((r) => r.url() === `${APP}/jobs` && r.request().method() === 'POST'), page.click('#start')]);
    const { job } = await created.json();
    await page.waitForFunction((id) => Number(document.getElementById(`job-${id}`)?.dataset.step) >= 2, job.id, { timeout: 20_000 });

    // The server drops alice's connections with a reconnect code; the page's round-robin socket
    // comes back on the OTHER node and recovers the steps published meanwhile.
    const firstNode = await page.textContent('#node');
    const dropped = await fetch(`${NODE_A_API}/disconnect`, {
      method: 'POST',
      headers: { 'X-API-Key': API_KEY },
      body: JSON.stringify({ user: 'alice', disconnect: { code: 3000, reason: 'moved' } }),
    });
    assert.equal(dropped.status, 200);
    await page.waitForFunction((before) => document.getElementById('status').textContent === 'connected as alice'
      && document.getElementById('node').textContent !== before, firstNode, { timeout: 10_000 });
    assert.equal(sockets.length, 2, 'one reconnect');
    assert.notEqual(sockets[1], sockets[0], 'to the other node');

    await page.waitForFunction((id) => document.getElementById(`job-${id}`)?.dataset.state === 'done', job.id, { timeout: 20_000 });
    assert.match(await page.textContent(`#job-${job.id} .state`), /done 100%/);
    const received = (await page.getAttribute(`#job-${job.id}`, 'data-received')).split(',').map(Number);
    const subscribedAt = Number(await page.getAttribute(`#job-${job.id}`, 'data-subscribed-at'));
    // The worker may have published a step before the page's subscription began: the state on
    // subscribe covers it, and the stream must go on from there.
    assert.ok(received[0] <= subscribedAt + 1, `no gap between the state on subscribe (step ${subscribedAt}) and the stream (${received})`);
    assert.deepEqual(received, Array.from({ length: STEPS - received[0] + 1 }, (_, i) => received[0] + i), 'every step once, in order, across the move');
    assert.match(await page.textContent('#log'), new RegExp(`jobs:${job.id} resubscribed, recovered: true`));

    // The page is now alice's newest connection: the app's invoke reaches it.
    const ping = await page.evaluate(() => fetch('/agents/alice/ping', { method: 'POST' }).then((r) => r.json()));
    assert.equal(ping.result.agent, 'browser', JSON.stringify(ping));
  } finally {
    await browser.close();
  }
});

test('F8. the app\'s webhook receiver checks the bearer, acknowledges redeliveries once, and every endpoint is guarded and bounded', { skip, timeout: TEST_TIMEOUT }, async () => {
  const post = (path, body, headers = {}) => fetch(`${APP}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const webhook = { Authorization: `Bearer ${WEBHOOK_SECRET}` };
  const id = `it-${Date.now()}`;
  // A batch in the node's shape (the node side is not wired yet: this plays the node).
  const batch = {
    events: [
      { id: `${id}-1`, type: 'connected', time: Date.now(), node: 'n1', client: 'c1', user: 'alice', transport: 'websocket' },
      { id: `${id}-2`, type: 'subscribed', time: Date.now(), node: 'n1', client: 'c1', user: 'alice', channel: 'jobs:1' },
    ],
  };
  assert.equal((await post('/rt/events', batch)).status, 401, 'no bearer: refused (the node would retry)');
  assert.equal((await post('/rt/events', batch, { Authorization: 'Bearer wrong' })).status, 401);
  const first = await post('/rt/events', batch, webhook);
  assert.equal(first.status, 200);
  assert.deepEqual(await first.json(), { stored: 2 });
  const again = await post('/rt/events', batch, webhook);
  assert.equal(again.status, 200, 'a redelivered batch is acknowledged');
  assert.deepEqual(await again.json(), { stored: 0 }, '... and stored nothing twice');

  assert.equal((await fetch(`${APP}/debug/events`)).status, 401, '/debug/events needs the internal bearer');
  const { events } = await (await fetch(`${APP}/debug/events`, { headers: { Authorization: `Bearer ${INTERNAL_SECRET}` } })).json();
  assert.deepEqual(events.filter((e) => e.id.startsWith(id)).map((e) => e.id), [`${id}-1`, `${id}-2`]);

  // Proxy endpoints trust the `user` in the body, so only the nodes (X-Proxy-Secret) may call them.
  assert.equal((await post('/rt/rpc', { user: 'alice', method: 'cancel_job', data: { job: 'x' } })).status, 401);
  assert.equal((await post('/rt/connect', {}, { Cookie: 'x=y' })).status, 401);
  assert.equal((await post('/internal/jobs/claim', {})).status, 401, 'the worker\'s endpoints need its bearer');

  // Bounded bodies: a declared Content-Length over the limit is refused before reading (a body
  // without one is cut at the same limit while read).
  assert.equal((await post('/rt/events', 'x'.repeat(1024 * 1024 + 1), webhook)).status, 413);
  assert.equal((await post('/login', `username=${'a'.repeat(5000)}`)).status, 413);
});

// Runs once examples/fastapi/switchboard.yaml has its `webhook:` section uncommented (the IT then
// sets FASTAPI_WEBHOOKS=1): a branch whose node does not know that section yet cannot enable it.
const skipWebhooks = skip || (process.env.FASTAPI_WEBHOOKS === '1' ? false : 'the example\'s switchboard.yaml has no webhook section enabled');

test('F9. the nodes report connected, subscribed and disconnected to the app\'s webhook, each once, from the node holding the connection', { skip: skipWebhooks, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const alice = await login('alice');
  const job = await newJob(alice);
  const onA = await connected(h, alice, { url: NODE_A });
  const onB = await connected(h, alice, { url: NODE_B });
  await h.subscribed(onA.client, `jobs:${job.id}`);
  await h.disconnect(onA.client);
  await h.disconnect(onB.client);

  const eventsOf = async (client) => {
    const response = await fetch(`${APP}/debug/events`, { headers: { Authorization: `Bearer ${INTERNAL_SECRET}` } });
    return (await response.json()).events.filter((e) => e.client === client);
  };
  let a = [];
  let b = [];
  await until(async () => {
    [a, b] = [await eventsOf(onA.ctx.client), await eventsOf(onB.ctx.client)];
    return a.some((e) => e.type === 'disconnected') && b.some((e) => e.type === 'disconnected');
  }, 'both disconnected events', 15_000);

  const types = (events) => events.map((e) => e.type).filter((type) => type !== 'unsubscribed');
  assert.deepEqual(types(a), ['connected', 'subscribed', 'disconnected'], JSON.stringify(a));
  assert.deepEqual(types(b), ['connected', 'disconnected'], JSON.stringify(b));
  for (const e of [...a, ...b]) assert.equal(e.user, 'alice');
  assert.equal(a.find((e) => e.type === 'connected').transport, 'websocket');
  assert.equal(a.find((e) => e.type === 'subscribed').channel, `jobs:${job.id}`);
  assert.equal(typeof a.find((e) => e.type === 'disconnected').code, 'number');
  assert.notEqual(a[0].node, b[0].node, 'each connection reported by its own node');
  assert.equal(new Set([...a, ...b].map((e) => e.id)).size, a.length + b.length, 'the app kept each event once');
});
