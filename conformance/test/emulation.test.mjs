// Bidirectional emulation (docs/protocol.md, "HTTP-streaming and SSE"): centrifuge-js whose
// WebSocket endpoint is unreachable falls back to HTTP-streaming, then to SSE (EventSource from
// npm `eventsource`), with its stream on node A and its /emulation POSTs sent to node B: the two
// nodes share a Redis, and B hands each request to A through it.
//
// Run by EmulationIT, which starts both nodes and sets:
//   SWITCHBOARD_EMU_A      http://127.0.0.1:<port>   (stream node)
//   SWITCHBOARD_EMU_B      http://127.0.0.1:<port>   (node receiving /emulation)
//   SWITCHBOARD_HMAC_SECRET, SWITCHBOARD_API_URL, SWITCHBOARD_API_KEY (node A's API)
// Without them (the plain conformance suite) the tests skip.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import { Centrifuge as ProtobufCentrifuge } from 'centrifuge/build/protobuf';

import { fileURLToPath } from 'node:url';
import { apiPublish, chromiumPath, connectToken, harness, uniqueChannel, uniqueUser } from '../lib/harness.mjs';


const a = process.env.SWITCHBOARD_EMU_A;
const b = process.env.SWITCHBOARD_EMU_B;
const skip = a && b ? false : 'SWITCHBOARD_EMU_A and SWITCHBOARD_EMU_B not set (EmulationIT sets them)';
const UNREACHABLE_WS = 'ws://127.0.0.1:9/connection/websocket';

// CI installs Chromium (.ci/run): there a missing browser fails instead of skipping.
if (a && !chromiumPath && process.env.CI === 'true') {
  throw new Error('no Chromium found under CI=true: .ci/run installs the chromium package');
}
const skipBrowser = skip || (chromiumPath ? false : 'no Chromium found (install chromium, or set CHROMIUM to its path)');
// The browser build (not in the package's exports): found next to the package's own entry.
const centrifugeUmd = fileURLToPath(new URL('../node_modules/centrifuge/dist/centrifuge.js', import.meta.url));

function fallbackTo(transport) {
  const path = transport === 'sse' ? '/connection/sse' : '/connection/http_stream';
  return {
    url: [
      { transport: 'websocket', endpoint: UNREACHABLE_WS },
      { transport, endpoint: a + path },
    ],
    emulationEndpoint: b + '/emulation',
    fetch: globalThis.fetch,
    readableStream: globalThis.ReadableStream,
    eventsource: EventSource,
  };
}

async function scenario(t, transport) {
  const h = harness(t);
  const user = uniqueUser(transport);
  const { client, ctx } = await h.connected(user, fallbackTo(transport), { timeoutMs: 10_000 });
  assert.equal(ctx.transport, transport, `fell back to ${transport}`);

  // Subscribe: a command sent through node B, answered on node A's stream.
  const channel = uniqueChannel(transport);
  const { sub } = await h.subscribed(client, channel, {}, { timeoutMs: 10_000 });
  const next = () => new Promise((resolve) => sub.once('publication', (p) => resolve(p.data)));

  let got = next();
  await apiPublish(channel, { from: 'api' });
  assert.deepEqual(await got, { from: 'api' });

  got = next();
  await sub.publish({ from: 'client' });
  assert.deepEqual(await got, { from: 'client' });

  const history = await sub.history({ limit: 10 });
  assert.equal(history.publications.length, 2);

  const presence = await sub.presenceStats();
  assert.equal(presence.numClients, 1);

  // RPC: the call goes through node B, the answer comes on node A's stream.
  const rpc = await client.rpc('echo', { ask: transport });
  assert.deepEqual(rpc.data, { ask: transport });

  // Recovery: the stream drops, two publications are missed, the client comes back by itself.
  const resubscribed = h.waitEvent(sub, 'subscribed', { timeoutMs: 10_000, filter: (c) => c.wasRecovering });
  const pubs = [];
  sub.on('publication', (p) => pubs.push(p.data));
  client._transport.close();
  await apiPublish(channel, { missed: 1 });
  await apiPublish(channel, { missed: 2 });
  const again = await resubscribed;
  assert.equal(again.recovered, true);
  const deadline = Date.now() + 5000;
  while (pubs.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(pubs.slice(0, 2), [{ missed: 1 }, { missed: 2 }]);
}

test('centrifuge-js falls back to http_stream: stream on A, commands via B', { skip, timeout: 40_000 }, async (t) => {
  await scenario(t, 'http_stream');
});

test('centrifuge-js falls back to sse: stream on A, commands via B', { skip, timeout: 40_000 }, async (t) => {
  await scenario(t, 'sse');
});

test('centrifuge-js protobuf build falls back to http_stream (varint-delimited frames): stream on A, commands via B', { skip, timeout: 40_000 }, async (t) => {
  const h = harness(t);
  const { client, ctx } = await h.connected(
    uniqueUser('pb-stream'),
    { centrifuge: ProtobufCentrifuge, ...fallbackTo('http_stream') },
    { timeoutMs: 10_000 },
  );
  assert.equal(ctx.transport, 'http_stream');
  const channel = uniqueChannel('pb-stream');
  const { sub } = await h.subscribed(client, channel, {}, { timeoutMs: 10_000 });
  const got = new Promise((resolve) => sub.once('publication', (p) => resolve(p.data)));
  await apiPublish(channel, { over: 'protobuf http_stream' });
  assert.deepEqual(JSON.parse(new TextDecoder().decode(await got)), { over: 'protobuf http_stream' });
  const ownPublication = new Promise((resolve) => sub.once('publication', (p) => resolve(p.data)));
  await sub.publish(new TextEncoder().encode(JSON.stringify({ from: 'pb client' })));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(await ownPublication)), { from: 'pb client' });
});

test('a flood of /emulation POSTs closes only the flooded session (3013); a bystander keeps receiving', { skip, timeout: 40_000 }, async (t) => {
  const h = harness(t);
  const { client: victim } = await h.connected(uniqueUser('flooded'), fallbackTo('http_stream'), { timeoutMs: 10_000 });
  const { client: bystander } = await h.connected(uniqueUser('bystander'), fallbackTo('sse'), { timeoutMs: 10_000 });
  const channel = uniqueChannel('flood');
  const { sub } = await h.subscribed(bystander, channel, {}, { timeoutMs: 10_000 });
  const closed = h.waitEvent(victim, 'connecting', { timeoutMs: 15_000, filter: (c) => c.code === 3013 });

  // 60 requests of 100 commands each, all at once: over the burst (2000) and the rate (1000/s).
  const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ id: 1000 + i, ping: {} })).join('\n');
  const body = JSON.stringify({ session: victim._session, node: victim._node, data: lines });
  const statuses = await Promise.all(
    Array.from({ length: 60 }, () =>
      fetch(b + '/emulation', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).then((r) => r.status),
    ),
  );
  assert.ok(statuses.every((s) => s === 204 || s === 404), `statuses ${[...new Set(statuses)]}`);
  const ctx = await closed;
  assert.equal(ctx.code, 3013, 'the flooded client was told: too many requests');

  const got = new Promise((resolve) => sub.once('publication', (p) => resolve(p.data)));
  await apiPublish(channel, { still: 'served' });
  assert.deepEqual(await got, { still: 'served' });
});

test('an /emulation POST for an unknown session is 404 on its own node, and bad bodies are 400', { skip }, async () => {
  const post = (base, body, type = 'application/json') =>
    fetch(base + '/emulation', { method: 'POST', headers: { 'Content-Type': type }, body });
  const nodeA = await (await fetch(a + '/health')).json().catch(() => null);
  assert.ok(nodeA !== undefined);
  assert.equal((await post(a, JSON.stringify({ session: 'nope', node: '', data: '{}' }))).status, 404);
  assert.equal((await post(a, '{not json')).status, 400);
  assert.equal((await post(a, JSON.stringify({ session: 'x' }))).status, 400);
  assert.equal((await fetch(a + '/emulation')).status, 405);
  assert.equal((await fetch(a + '/connection/sse')).status, 400);
  assert.equal((await fetch(a + '/connection/http_stream')).status, 405);
});

/** In a page of node A: centrifuge-js with the browser's own fetch streams or EventSource. */
async function inBrowser(page, transport, token, channel) {
  return page.evaluate(
    async ({ transport, token, channel, unreachable }) => {
      const path = transport === 'sse' ? '/connection/sse' : '/connection/http_stream';
      const c = new Centrifuge(
        [
          { transport: 'websocket', endpoint: unreachable },
          { transport, endpoint: location.origin + path },
        ],
        { token, emulationEndpoint: location.origin + '/emulation', timeout: 5000 },
      );
      const connected = new Promise((resolve) => c.on('connected', resolve));
      c.connect();
      const ctx = await connected;
      const sub = c.newSubscription(channel);
      const subscribed = new Promise((resolve) => sub.on('subscribed', resolve));
      sub.subscribe();
      await subscribed;
      window.__received = new Promise((resolve) => sub.on('publication', (p) => resolve(p.data)));
      window.__client = c;
      return ctx.transport;
    },
    { transport, token, channel, unreachable: UNREACHABLE_WS },
  );
}

test('in Chromium: the browser falls back to its own fetch streams, then its own EventSource', { skip: skipBrowser, timeout: 60_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
  try {
    for (const transport of ['http_stream', 'sse']) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(a + '/health');
      await page.addScriptTag({ path: centrifugeUmd });
      const channel = uniqueChannel('browser-' + transport);
      const used = await inBrowser(page, transport, connectToken(uniqueUser('browser')), channel);
      assert.equal(used, transport, `the browser fell back to ${transport}`);
      await apiPublish(channel, { to: 'browser', over: transport });
      assert.deepEqual(await page.evaluate(() => window.__received), { to: 'browser', over: transport });
      await page.evaluate(() => window.__client.disconnect());
      assert.deepEqual(errors, []);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
