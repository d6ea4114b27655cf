// Conformance: the HTTP proxies (docs/proxy.md) with the stock centrifuge-js client. This file
// runs the application's backend itself: a node:http server on 127.0.0.1 answering Centrifugo's
// proxy JSON, as a backend written for Centrifugo would.
//
// Environment (set by CentrifugeJsConformanceIT; without them every test here is skipped):
//   SWITCHBOARD_PROXY_WS_URL        the WebSocket URL of a node configured as below
//   SWITCHBOARD_PROXY_BACKEND_PORT  the port on 127.0.0.1 this file's backend listens on
//
// The node under test MUST be configured with (YAML, base = http://127.0.0.1:<backend port>):
//   client.proxy.connect: {enabled: true, endpoint: base/rt/connect, http_headers: [Cookie]}
//   rpc.proxy:            {enabled: true, endpoint: base/rt/rpc, include_connection_meta: true}
//   channel.proxy.subscribe: {endpoint: base/rt/subscribe, http_headers: [Cookie]}
//   channel.proxy.publish:   {endpoint: base/rt/publish}
//   namespace `jobs`: subscribe_proxy_enabled, publish_proxy_enabled
//   no RPC method registered in Java (every rpc goes to the backend)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import WebSocket from 'ws';

import { config, harness, uniqueSuffix } from '../lib/harness.mjs';

const TEST_TIMEOUT = 20_000;
const skip = config.proxyWsUrl === '' || !config.proxyBackendPort
  ? 'SWITCHBOARD_PROXY_WS_URL / SWITCHBOARD_PROXY_BACKEND_PORT not set (no proxy node)'
  : false;

// ---------------------------------------------------------------------------------------------
// The application's backend: sessions by cookie, jobs with an owner and a progress.

const SESSIONS = new Map([
  ['alice-secret', 'alice'],
  ['bob-secret', 'bob'],
]);
/** jobId -> { owner, progress } */
const jobs = new Map();
/** Every proxy request the backend got: { path, headers, body }. */
const seen = [];

function sessionUser(cookieHeader) {
  const match = /(?:^|;\s*)session=([^;]*)/.exec(cookieHeader ?? '');
  return match ? SESSIONS.get(match[1]) : undefined;
}

function jobOf(channel) {
  return channel.startsWith('jobs:') ? jobs.get(channel.slice('jobs:'.length)) : undefined;
}

function answer(path, body, headers) {
  switch (path) {
    case '/rt/connect': {
      const user = sessionUser(headers.cookie);
      if (!user) return { error: { code: 1000, message: 'login first', temporary: false } };
      const result = { user, data: { greeting: `hello ${user}` }, meta: { session: `${user}-meta` } };
      // A client that names its job in connect data is subscribed to it server-side (P5).
      const job = jobs.get(String(body.data?.follow_job));
      if (job && job.owner === user) {
        result.subs = {
          [`jobs:${body.data.follow_job}`]: {
            info: { role: 'owner' },
            data: { progress: job.progress },
            override: { presence: { value: true } },
          },
        };
      }
      return { result };
    }
    case '/rt/subscribe': {
      const job = jobOf(body.channel);
      if (!job || job.owner !== body.user) return { error: { code: 1001, message: 'not your job' } };
      return { result: { data: { progress: job.progress } } };
    }
    case '/rt/publish': {
      if (typeof body.data?.text !== 'string' || body.data.text.includes('spam')) {
        return { error: { code: 1003, message: 'rejected by moderation' } };
      }
      return { result: { data: { text: body.data.text.toUpperCase(), by: body.user, moderated: true } } };
    }
    case '/rt/rpc': {
      if (body.method === 'whoami') return { result: { data: { user: body.user, meta: body.meta ?? null } } };
      if (body.method !== 'cancel_job') return { error: { code: 1004, message: `unknown method ${body.method}` } };
      const job = jobs.get(String(body.data?.job));
      if (!job || job.owner !== body.user) return { error: { code: 1001, message: 'not your job' } };
      job.cancelled = true;
      return { result: { data: { job: body.data.job, cancelled: true, progress: job.progress } } };
    }
    default:
      return null;
  }
}

const backend = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    seen.push({ path: req.url, headers: req.headers, body });
    const reply = answer(req.url, body, req.headers);
    if (reply === null) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply));
  });
});

test.before(async () => {
  if (skip) return;
  await new Promise((resolve, reject) => {
    backend.once('error', (err) => reject(new Error(`backend cannot listen on 127.0.0.1:${config.proxyBackendPort}: ${err.message}`)));
    backend.listen(config.proxyBackendPort, '127.0.0.1', resolve);
  });
  console.log(`# proxy node ${config.proxyWsUrl}, backend http://127.0.0.1:${config.proxyBackendPort}`);
});

test.after(async () => {
  if (!backend.listening) return;
  backend.closeAllConnections();
  await new Promise((resolve) => backend.close(resolve));
});

// ---------------------------------------------------------------------------------------------
// Clients

/** centrifuge-js builds its WebSocket with `new websocket(url)`: a `ws` subclass adds headers. */
function wsWithHeaders(headers) {
  return class extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, { headers });
    }
  };
}

/** A tokenless client of the proxy node whose upgrade request carries `headers`. */
function proxyClient(h, headers = {}, options = {}) {
  return h.client({ url: config.proxyWsUrl, websocket: wsWithHeaders(headers), ...options });
}

async function loggedIn(h, user) {
  const client = proxyClient(h, { Cookie: `theme=dark; session=${user}-secret`, 'X-Not-Allowed': 'x' });
  const connected = h.waitEvent(client, 'connected', {
    failOn: { disconnected: (ctx) => `${user} disconnected instead of connected: ${JSON.stringify(ctx)}` },
  });
  client.connect();
  return { client, ctx: await connected };
}

function newJob(owner, progress) {
  const id = uniqueSuffix();
  jobs.set(id, { owner, progress });
  return id;
}

// 1 ------------------------------------------------------------------------------------------
test('P1. a tokenless client with a session cookie is connected as the user the connect proxy names', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const before = seen.length;
  const { ctx } = await loggedIn(h, 'alice');

  assert.equal(typeof ctx.client, 'string');
  assert.deepEqual(ctx.data, { greeting: 'hello alice' }, 'the connect proxy result.data is the connected event data');
  const call = seen.slice(before).find((s) => s.path === '/rt/connect');
  assert.ok(call, 'the backend got a connect proxy request');
  assert.equal(call.headers.cookie, 'theme=dark; session=alice-secret', 'the allow-listed Cookie header is forwarded');
  assert.equal(call.headers['x-not-allowed'], undefined, 'a header not in http_headers is not forwarded');
  assert.equal(call.body.client, ctx.client, 'the proxy request names the client id');
  assert.equal(call.body.transport, 'websocket');
  assert.equal(call.body.protocol, 'json');
});

test('P1b. without the cookie the backend\'s connect error reaches centrifuge-js and it stays disconnected', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const client = proxyClient(h);
  const disconnected = h.waitEvent(client, 'disconnected', {
    failOn: { connected: 'connected without a session cookie' },
  });
  client.connect();
  const ctx = await disconnected;
  assert.equal(ctx.code, 1000, 'the backend\'s error code');
  assert.equal(ctx.reason, 'login first', 'the backend\'s error message');
  assert.equal(client.state, 'disconnected', 'a non-temporary connect error is not retried');
});

// 2 ------------------------------------------------------------------------------------------
test('P2. the subscribe proxy lets the owner in with the job\'s state in the subscribed event data', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const job = newJob('alice', 42);
  const channel = `jobs:${job}`;
  const { client } = await loggedIn(h, 'alice');
  const before = seen.length;
  const { ctx } = await h.subscribed(client, channel, { data: { want: 'progress' } });

  assert.equal(ctx.channel, channel);
  assert.deepEqual(ctx.data, { progress: 42 }, 'the subscribe proxy result.data is the subscribed event data');
  const call = seen.slice(before).find((s) => s.path === '/rt/subscribe');
  assert.ok(call, 'the backend got a subscribe proxy request');
  assert.equal(call.body.user, 'alice');
  assert.equal(call.body.channel, channel);
  assert.deepEqual(call.body.data, { want: 'progress' }, 'the subscription data reaches the backend');
  assert.equal(call.headers.cookie, 'theme=dark; session=alice-secret', 'Cookie (http_headers) on the subscribe proxy too');
});

test('P2b. another user is refused with the backend\'s error code in the unsubscribed event', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const channel = `jobs:${newJob('alice', 7)}`;
  const { client } = await loggedIn(h, 'bob');
  const sub = client.newSubscription(channel, { minResubscribeDelay: 50, maxResubscribeDelay: 500 });
  const unsubscribed = h.waitEvent(sub, 'unsubscribed', {
    failOn: { subscribed: `bob subscribed to alice's ${channel}` },
  });
  sub.subscribe();
  const ctx = await unsubscribed;
  assert.equal(ctx.code, 1001, 'the backend\'s error code');
  assert.equal(ctx.reason, 'not your job', 'the backend\'s error message');
  assert.equal(sub.state, 'unsubscribed');
  assert.equal(client.state, 'connected', 'the connection is not affected');
});

// 3 ------------------------------------------------------------------------------------------
test('P3. an rpc with no Java handler is answered by the rpc proxy', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const job = newJob('alice', 55);
  const { client } = await loggedIn(h, 'alice');
  const before = seen.length;

  const result = await client.rpc('cancel_job', { job });
  assert.deepEqual(result.data, { job, cancelled: true, progress: 55 }, 'the rpc proxy result.data is the rpc result data');
  const call = seen.slice(before).find((s) => s.path === '/rt/rpc');
  assert.equal(call.body.user, 'alice');
  assert.equal(call.body.method, 'cancel_job');
  assert.deepEqual(call.body.data, { job });
  assert.equal(jobs.get(job).cancelled, true);

  const { client: bob } = await loggedIn(h, 'bob');
  await assert.rejects(bob.rpc('cancel_job', { job }), (err) => {
    assert.equal(err.code, 1001, `the backend's error code, got ${JSON.stringify(err)}`);
    assert.equal(err.message, 'not your job');
    return true;
  });
});

// 4 ------------------------------------------------------------------------------------------
test('P4. the publish proxy rewrites a publication subscribers get, and rejects another', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const channel = `jobs:${newJob('alice', 0)}`;
  const { client } = await loggedIn(h, 'alice');
  const { sub } = await h.subscribed(client, channel);

  const publication = h.waitEvent(sub, 'publication');
  await sub.publish({ text: 'half way' });
  const pub = await publication;
  assert.deepEqual(pub.data, { text: 'HALF WAY', by: 'alice', moderated: true }, 'subscribers get the backend\'s data');

  const publications = h.record(sub, 'publication');
  await assert.rejects(sub.publish({ text: 'buy spam' }), (err) => {
    assert.equal(err.code, 1003, `the backend's error code, got ${JSON.stringify(err)}`);
    assert.equal(err.message, 'rejected by moderation');
    return true;
  });
  // An accepted publication after the rejected one arrives first: the rejected one was never sent.
  const next = h.waitEvent(sub, 'publication');
  await sub.publish({ text: 'done' });
  assert.deepEqual((await next).data, { text: 'DONE', by: 'alice', moderated: true });
  assert.equal(publications.length, 1, 'the rejected publication never reached subscribers');
});

// 5 ------------------------------------------------------------------------------------------
test('P5. connect proxy subs: a server-side subscription whose data centrifuge-js surfaces; meta reaches the rpc proxy only', { skip, timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const job = newJob('alice', 64);
  const channel = `jobs:${job}`;
  const client = proxyClient(h, { Cookie: 'session=alice-secret' }, { data: { follow_job: job } });
  // Server-side subscriptions are reported by the client itself, not by a Subscription object.
  const subscribed = h.waitEvent(client, 'subscribed', { filter: (ctx) => ctx.channel === channel });
  const connected = h.waitEvent(client, 'connected', {
    failOn: { disconnected: (ctx) => `disconnected instead of connected: ${JSON.stringify(ctx)}` },
  });
  client.connect();
  const connectedCtx = await connected;
  const ctx = await subscribed;
  assert.deepEqual(ctx.data, { progress: 64 }, 'the subs entry\'s data is the server-side subscribed event data');
  assert.equal(JSON.stringify(connectedCtx).includes('alice-meta'), false, 'meta never reaches the client');

  const publication = h.waitEvent(client, 'publication', { filter: (p) => p.channel === channel });
  const api = await fetch(config.proxyWsUrl.replace(/^ws/, 'http').replace('/connection/websocket', '/api/publish'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': config.apiKey },
    body: JSON.stringify({ channel, data: { progress: 65 } }),
  });
  assert.equal(api.status, 200, 'server API publish');
  assert.deepEqual((await publication).data, { progress: 65 }, 'publications of the server-side channel arrive');

  const who = await client.rpc('whoami', {});
  assert.deepEqual(who.data, { user: 'alice', meta: { session: 'alice-meta' } }, 'the rpc proxy request carried the connection meta');
});
