// Delta compression (docs/protocol.md, "Delta compression"): centrifuge-js subscribes with
// `delta: 'fossil'` to a channel whose namespace allows it, the server sends each publication as
// a Fossil delta of the one before, and the client rebuilds every document. Bytes are counted on
// the socket against a subscriber without deltas on the same channel.
//
// The node under test (CentrifugeJsConformanceIT) has a namespace `delta`: history_size 100,
// history_ttl 300s, force_recovery true, allow_subscribe_for_client true,
// allowed_delta_types [fossil].

import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { Centrifuge as ProtobufCentrifuge } from 'centrifuge/build/protobuf';

import { apiPublish, harness, uniqueChannel, uniqueUser } from '../lib/harness.mjs';

const UPDATES = 100;

/** A 4 KiB JSON document; each version changes its version number and one row. */
function documentVersion(version) {
  const rows = [];
  for (let i = 0; i < 60; i++) {
    rows.push({ id: i, name: `row number ${i}`, value: i === version % 60 ? version * 7 : i, tag: 'steady' });
  }
  return { version, rows };
}

/** A `ws` WebSocket that counts the bytes of every message it receives. */
function countingWebSocket(counter) {
  return class extends WebSocket {
    constructor(...args) {
      super(...args);
      this.on('message', (data) => {
        counter.bytes += data.byteLength ?? data.length;
      });
    }
  };
}

/** The protobuf build hands payloads over as bytes (holding JSON here). */
function asJson(data) {
  return data instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(data)) : data;
}

async function run(t, label, centrifuge) {
  const h = harness(t);
  const channel = uniqueChannel('doc', 'delta');
  const deltaBytes = { bytes: 0 };
  const plainBytes = { bytes: 0 };
  const { client: deltaClient } = await h.connected(uniqueUser('delta'), {
    websocket: countingWebSocket(deltaBytes),
    ...(centrifuge ? { centrifuge } : {}),
  });
  const { client: plainClient } = await h.connected(uniqueUser('plain'), {
    websocket: countingWebSocket(plainBytes),
    ...(centrifuge ? { centrifuge } : {}),
  });

  const received = [];
  const plainReceived = [];
  const { sub } = await h.subscribed(deltaClient, channel, { delta: 'fossil' });
  sub.on('publication', (ctx) => received.push(asJson(ctx.data)));
  const { sub: plainSub } = await h.subscribed(plainClient, channel);
  plainSub.on('publication', (ctx) => plainReceived.push(asJson(ctx.data)));

  deltaBytes.bytes = 0;
  plainBytes.bytes = 0;
  for (let v = 1; v <= UPDATES; v++) {
    await apiPublish(channel, documentVersion(v));
  }
  const deadline = Date.now() + 10_000;
  while ((received.length < UPDATES || plainReceived.length < UPDATES) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(received.length, UPDATES, 'every update reached the delta subscriber');
  for (let v = 1; v <= UPDATES; v++) {
    assert.deepEqual(received[v - 1], documentVersion(v), `update ${v} rebuilt exactly`);
    assert.deepEqual(plainReceived[v - 1], documentVersion(v));
  }
  const stats = sub.deltaStats ? sub.deltaStats() : null;
  const ratio = deltaBytes.bytes / plainBytes.bytes;
  console.log(
    `# delta ${label}: ${UPDATES} updates of ${JSON.stringify(documentVersion(1)).length} B,` +
      ` socket bytes with delta ${deltaBytes.bytes}, without ${plainBytes.bytes}, ratio ${ratio.toFixed(3)}` +
      (stats ? `; SDK stats: ${stats.numDeltaPayloads} deltas, ${stats.numFullPayloads} whole` : ''),
  );
  if (stats) {
    assert.equal(stats.numFullPayloads, 1, 'only the first update came whole');
  }
  assert.ok(ratio < 0.2, `delta subscriber received ${deltaBytes.bytes} B, plain ${plainBytes.bytes} B`);
}

test('centrifuge-js (JSON) with delta fossil rebuilds 100 updates of a 4 KiB document from deltas', { timeout: 30_000 }, async (t) => {
  await run(t, 'json', null);
});

test('centrifuge-js protobuf build with delta fossil rebuilds them too', { timeout: 30_000 }, async (t) => {
  await run(t, 'protobuf', ProtobufCentrifuge);
});
