// centrifuge-js over wss:// against a node with TLS on its public port (docs/operations.md, "TLS").
// The node's certificate is signed by a private CA that Node does not trust; the `ws` package's
// `ca` option trusts it, so this is the setup an app with a private CA uses.
//
// Run by TlsIT, which makes the certificates with openssl, starts the node and sets:
//   SWITCHBOARD_TLS_WS_URL   wss://127.0.0.1:<port>/connection/websocket
//   SWITCHBOARD_TLS_CA_FILE  the CA certificate (PEM)
//   SWITCHBOARD_HMAC_SECRET  the node's token secret
// Without them (the plain conformance suite) the tests skip.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

import { harness } from '../lib/harness.mjs';

const url = process.env.SWITCHBOARD_TLS_WS_URL;
const caFile = process.env.SWITCHBOARD_TLS_CA_FILE;
const skip = url && caFile ? false : 'SWITCHBOARD_TLS_WS_URL and SWITCHBOARD_TLS_CA_FILE not set (TlsIT sets them)';

/** `ws`'s WebSocket with the test CA trusted: what centrifuge-js is given as its `websocket`. */
function trusting(ca) {
  return class TrustingWebSocket extends WebSocket {
    constructor(address, protocols) {
      super(address, protocols, { ca });
    }
  };
}

test('centrifuge-js connects over wss with the ca option, subscribes and receives its publication', { skip, timeout: 30_000 }, async (t) => {
  const h = harness(t);
  const ca = readFileSync(caFile);
  const { client, ctx } = await h.connected('tls-user', { url, websocket: trusting(ca) });
  assert.equal(ctx.transport, 'websocket');
  const channel = `tls-${Date.now()}`;
  const { sub } = await h.subscribed(client, channel);
  const received = new Promise((resolve) => sub.on('publication', (p) => resolve(p.data)));
  await sub.publish({ over: 'wss' });
  assert.deepEqual(await received, { over: 'wss' });
});

test('without the ca option the same URL is refused: the certificate is not trusted', { skip, timeout: 30_000 }, async () => {
  const error = await new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve(null);
    });
    ws.on('error', resolve);
  });
  assert.ok(error, 'the TLS handshake must fail without the CA');
  assert.match(String(error.code ?? error.message), /SELF_SIGNED|UNABLE_TO_GET_ISSUER|CERT/);
});
