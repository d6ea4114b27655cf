// WebSocket permessage-deflate (docs/configuration.md, "WebSocket compression") against a node
// with `websocket.compression: true`: centrifuge-js over `ws` negotiates it and gets the same
// publications in fewer bytes than a client that does not offer it; a compressed message that
// inflates past client.max_message_size closes only that connection.
//
// Run by WebSocketCompressionIT, which starts the node and sets:
//   SWITCHBOARD_COMPRESSION_WS_URL  ws://127.0.0.1:<port>/connection/websocket
//   SWITCHBOARD_HMAC_SECRET         the node's token secret
// Without them (the plain conformance suite) the tests skip.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

import { connectToken, harness, uniqueChannel, uniqueUser } from '../lib/harness.mjs';

const url = process.env.SWITCHBOARD_COMPRESSION_WS_URL;
const skip = url ? false : 'SWITCHBOARD_COMPRESSION_WS_URL not set (WebSocketCompressionIT sets it)';

/** `ws` with permessage-deflate offered or not; remembers its sockets to read their byte counts. */
function wsClass(perMessageDeflate, sockets) {
  return class extends WebSocket {
    constructor(address, protocols) {
      super(address, protocols, { perMessageDeflate });
      sockets.push(this);
    }
  };
}

function report(n) {
  const rows = [];
  for (let i = 0; i < 40; i++) rows.push({ id: i, label: `label ${i}`, status: 'steady', n });
  return { n, rows };
}

test('centrifuge-js negotiates permessage-deflate and receives the same publications in fewer bytes', { skip, timeout: 30_000 }, async (t) => {
  const h = harness(t);
  const deflated = [];
  const plain = [];
  const { client: a } = await h.connected(uniqueUser('deflate'), { url, websocket: wsClass(true, deflated) });
  const { client: b } = await h.connected(uniqueUser('plain'), { url, websocket: wsClass(false, plain) });
  assert.match(deflated[0].extensions, /permessage-deflate/, 'the node agreed to compress');
  assert.equal(plain[0].extensions, '', 'a client that did not offer it is served plain');

  const channel = uniqueChannel('zip');
  const got = { a: [], b: [] };
  const { sub: subA } = await h.subscribed(a, channel);
  subA.on('publication', (p) => got.a.push(p.data));
  const { sub: subB } = await h.subscribed(b, channel);
  subB.on('publication', (p) => got.b.push(p.data));
  const before = { a: deflated[0]._socket.bytesRead, b: plain[0]._socket.bytesRead };
  for (let n = 1; n <= 50; n++) {
    await subA.publish(report(n));
  }
  const deadline = Date.now() + 10_000;
  while ((got.a.length < 50 || got.b.length < 50) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  for (let n = 1; n <= 50; n++) {
    assert.deepEqual(got.a[n - 1], report(n));
    assert.deepEqual(got.b[n - 1], report(n));
  }
  const bytesA = deflated[0]._socket.bytesRead - before.a;
  const bytesB = plain[0]._socket.bytesRead - before.b;
  console.log(`# permessage-deflate: 50 publications of ${JSON.stringify(report(1)).length} B: ${bytesA} B compressed, ${bytesB} B plain (ratio ${(bytesA / bytesB).toFixed(3)})`);
  assert.ok(bytesA < bytesB / 2, `compressed ${bytesA} B, plain ${bytesB} B`);
});

test('a compressed message that inflates past the message limit closes only its own connection', { skip, timeout: 30_000 }, async (t) => {
  const h = harness(t);
  const { client: bystander } = await h.connected(uniqueUser('bystander'), { url });
  const channel = uniqueChannel('calm');
  const { sub } = await h.subscribed(bystander, channel);

  const bomb = new WebSocket(url, { perMessageDeflate: true });
  await new Promise((resolve, reject) => {
    bomb.once('open', resolve);
    bomb.once('error', reject);
  });
  const closed = new Promise((resolve) => bomb.once('close', (code) => resolve(code)));
  bomb.send(JSON.stringify({ id: 1, connect: { token: connectToken(uniqueUser('bomb')) } }));
  // 4 MiB of one character: a few kilobytes on the wire, 64 times the node's 64 KiB limit inflated.
  bomb.send(`{"id":2,"rpc":{"method":"x","data":"${'a'.repeat(4 << 20)}"}}`, { compress: true });
  const code = await closed;
  console.log(`# inflation bomb closed with ${code}`);
  assert.equal(code, 1009, 'message too big, as for an uncompressed one');

  const received = new Promise((resolve) => sub.on('publication', (p) => resolve(p.data)));
  await sub.publish({ still: 'fine' });
  assert.deepEqual(await received, { still: 'fine' });
});
