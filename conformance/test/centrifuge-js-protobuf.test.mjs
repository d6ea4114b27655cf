// centrifuge-js's protobuf build (`centrifuge/build/protobuf`, same npm package and version as the
// JSON suite) against the same node: it offers the `centrifuge-protobuf` WebSocket subprotocol and
// speaks varint length-delimited binary frames. Payloads are bytes in this build; Switchboard
// payloads are JSON, so the test sends and reads JSON as UTF-8 bytes.
//
// Run with the JSON suite (see centrifuge-js.test.mjs for the node's configuration).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Centrifuge as ProtobufCentrifuge } from 'centrifuge/build/protobuf';

import { apiPublish, apiRaw, connectToken, harness, uniqueChannel, uniqueSuffix, uniqueUser } from '../lib/harness.mjs';

const TEST_TIMEOUT = 20_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (value) => encoder.encode(JSON.stringify(value));
const json = (data) => JSON.parse(decoder.decode(data));

test('PB1. protobuf build: publications, client publish, history, presence, rpc, recovery and an invocation', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const channel = uniqueChannel('pb');
  const user = uniqueUser('pb');
  const routingKey = `pb-${uniqueSuffix()}`;
  const { client, ctx: connectedCtx } = await h.connected(user, {
    centrifuge: ProtobufCentrifuge,
    token: connectToken(user, { routingKey }),
  });
  assert.equal(connectedCtx.transport, 'websocket');
  const { sub, ctx: subscribedCtx } = await h.subscribed(client, channel);
  assert.equal(subscribedCtx.recoverable, true);
  assert.ok(subscribedCtx.streamPosition.epoch.length > 0);

  // A publication from the server API: JSON bytes in a bytes field.
  const fromApi = { text: 'héllo', n: 42, nested: { list: [1, 'two', null, true] } };
  let received = h.waitEvent(sub, 'publication');
  const result = await apiPublish(channel, fromApi);
  let pub = await received;
  assert.ok(pub.data instanceof Uint8Array, 'the protobuf build hands data over as bytes');
  assert.deepEqual(json(pub.data), fromApi);
  assert.equal(pub.offset, result.offset);

  // A client publish (bytes that hold JSON), received with the publisher's info.
  received = h.waitEvent(sub, 'publication');
  await sub.publish(bytes({ from: 'pb' }));
  pub = await received;
  assert.deepEqual(json(pub.data), { from: 'pb' });
  assert.equal(pub.info?.user, user);

  const history = await sub.history({ limit: 10 });
  assert.deepEqual(history.publications.map((p) => json(p.data)), [fromApi, { from: 'pb' }]);
  assert.equal(history.epoch, subscribedCtx.streamPosition.epoch);

  const presence = await sub.presence();
  assert.deepEqual(Object.keys(presence.clients), [connectedCtx.client]);
  const stats = await sub.presenceStats();
  assert.equal(stats.numClients, 1);

  const echo = await client.rpc('echo', bytes({ hello: 'world' }));
  assert.deepEqual(json(echo.data), { hello: 'world' });
  await assert.rejects(client.rpc('no-such-method', bytes({})), (err) => err.code === 108);

  // Recovery: disconnect, miss two publications, reconnect.
  client.disconnect();
  await apiPublish(channel, { missed: 1 });
  await apiPublish(channel, { missed: 2 });
  const recovered = [];
  const resubscribed = h.waitEvent(sub, 'subscribed');
  const gotBoth = new Promise((resolve) => {
    sub.on('publication', (ctx) => {
      recovered.push(json(ctx.data));
      if (recovered.length === 2) resolve();
    });
  });
  client.connect();
  const again = await resubscribed;
  assert.equal(again.wasRecovering, true);
  assert.equal(again.recovered, true);
  await gotBoth;
  assert.deepEqual(recovered, [{ missed: 1 }, { missed: 2 }]);

  // An invocation: the message push carries the sb_invoke JSON, the client answers with send.
  client.on('message', (ctx) => {
    const call = json(ctx.data).sb_invoke;
    client.send(bytes({ sb_result: { id: call.id, data: { doubled: call.data.n * 2 } } }));
  });
  const invoke = await apiRaw('invoke', { routing_key: routingKey, method: 'double', data: { n: 21 }, timeout: 4000 });
  assert.equal(invoke.status, 200, `invoke answered HTTP ${invoke.status}: ${invoke.text}`);
  assert.deepEqual(invoke.json, { result: { data: { doubled: 42 } } });
});
