// Conformance suite: the real `centrifuge` npm client (v5, JSON protocol v2, `ws` as WebSocket)
// against a running Switchboard node.
//
// Run:   cd conformance && npm ci && node --test
// (or via server/src/test/java/dev/switchboard/server/conformance/CentrifugeJsConformanceIT.java,
// which starts a node in-process and sets the variables below).
//
// Environment:
//   SWITCHBOARD_WS_URL       ws://127.0.0.1:8000/connection/websocket
//   SWITCHBOARD_API_URL      http://127.0.0.1:8000/api   (Centrifugo-shaped server API, X-API-Key)
//   SWITCHBOARD_API_KEY      key for the server API
//   SWITCHBOARD_HMAC_SECRET  HS256 secret for connection and subscription tokens
//   SWITCHBOARD_CONFORMANCE_DEBUG=1  turns on centrifuge-js debug logging
//
// The node under test MUST be configured with:
//   - default namespace (channels without a `ns:` prefix):
//       history_size 100, history_ttl 300s, force_recovery true, presence true, join_leave true,
//       allow_publish_for_subscriber true, allow_subscribe_for_client true,
//       allow_presence_for_subscriber true, allow_history_for_subscriber true
//   - namespace `small`:   history_size 3, history_ttl 300s, force_recovery true,
//       allow_subscribe_for_client true
//   - namespace `cache`:   history_size 10, history_ttl 300s, force_recovery true,
//       force_recovery_mode cache, allow_subscribe_for_client true
//   - namespace `private`: subscribing requires a subscription token
//       (allow_subscribe_for_client false); history/recovery not required
//   - no namespace named `nosuchns`
//   - an RPC method `echo` (registered by the embedding app) that returns its request data as is
//   - connection JWTs (HS256, SWITCHBOARD_HMAC_SECRET): `sub`, `exp`, optional `channels`
//     (server-side subscriptions), `info` (becomes conn_info) and `routing_key` (the key
//     server → client invocations find the connection by; see docs/rpc.md);
//     subscription JWTs: `sub`, `channel`, `exp`.
//
// Each test uses fresh, unique channel and user names, so the suite can run repeatedly against
// the same node. Tests run one after another (one file, sequential tests).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CentClient } from 'cent.js';

import {
  api,
  apiPublish,
  apiRaw,
  config,
  connectToken,
  harness,
  nowSeconds,
  sleep,
  subscriptionToken,
  uniqueChannel,
  uniqueSuffix,
  uniqueUser,
} from '../lib/harness.mjs';

const TEST_TIMEOUT = 20_000;

test.before(() => {
  console.log(`# conformance target: ws=${config.wsUrl} api=${config.apiUrl}`);
});

// 1 ------------------------------------------------------------------------------------------
test('1. connect with a token emits connected with a client id', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const user = uniqueUser('conn');
  const client = h.client({ token: connectToken(user) });
  const states = h.record(client, 'state');
  const connected = h.waitEvent(client, 'connected', {
    failOn: { disconnected: (ctx) => `disconnected instead of connected: ${JSON.stringify(ctx)}` },
  });
  client.connect();
  const ctx = await connected;

  assert.equal(typeof ctx.client, 'string', 'connected ctx.client must be a string');
  assert.ok(ctx.client.length > 0, 'connected ctx.client must not be empty');
  assert.equal(ctx.transport, 'websocket');
  assert.equal(client.state, 'connected');
  assert.deepEqual(
    states.map((s) => s.newState),
    ['connecting', 'connected'],
    'state transitions of a clean connect',
  );
});

test('1b. connect with a badly signed token ends disconnected, without reconnecting', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const goodToken = connectToken(uniqueUser('badtok'));
  const [header, payload] = goodToken.split('.');
  const forged = `${header}.${payload}.${Buffer.from('not-the-signature').toString('base64url')}`;
  const client = h.client({ token: forged });
  const connecting = h.record(client, 'connecting');
  const disconnected = h.waitEvent(client, 'disconnected', {
    failOn: { connected: 'connected with a forged token' },
  });
  client.connect();
  const ctx = await disconnected;

  // Centrifugo closes with 3500 "invalid token"; an error reply 101 "unauthorized" to the
  // connect command ends the client the same way (non-temporary connect error).
  assert.ok([3500, 101].includes(ctx.code), `disconnect code ${ctx.code} (${ctx.reason}), want 3500 or 101`);
  await sleep(500);
  assert.equal(client.state, 'disconnected', 'the client must not reconnect after an invalid token');
  assert.equal(connecting.length, 1, 'only the initial connecting event (no reconnect attempts)');
});

// 2 ------------------------------------------------------------------------------------------
test('2. publication posted with the HTTP API reaches a subscriber', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const channel = uniqueChannel('api-pub');
  const { client } = await h.connected(uniqueUser('sub'));
  const { sub, ctx: subscribedCtx } = await h.subscribed(client, channel);

  // force_recovery on the default namespace: the stream position comes with the reply.
  assert.equal(subscribedCtx.recoverable, true, 'subscribed.recoverable (force_recovery namespace)');
  assert.equal(typeof subscribedCtx.streamPosition?.epoch, 'string', 'subscribed.streamPosition.epoch');
  assert.ok(subscribedCtx.streamPosition.epoch.length > 0, 'a recoverable stream has a non-empty epoch');

  const data = { text: 'hello from the server API', n: 42, nested: { list: [1, 'two', null, true] } };
  const received = h.waitEvent(sub, 'publication');
  const result = await apiPublish(channel, data);
  const pub = await received;

  assert.deepEqual(pub.data, data, 'publication data must arrive unchanged');
  assert.equal(pub.channel, channel);
  assert.equal(typeof result.offset, 'number', 'publish result.offset (history channel)');
  assert.ok(result.offset > 0, 'publish result.offset > 0');
  assert.equal(typeof result.epoch, 'string', 'publish result.epoch');
  assert.equal(result.epoch, subscribedCtx.streamPosition.epoch, 'same epoch as the subscribe reply');
  assert.equal(pub.offset, result.offset, 'the publication carries the offset the API returned');
});

test('2b. the server API refuses a request without the API key', { timeout: TEST_TIMEOUT }, async () => {
  const { status } = await apiRaw('publish', { channel: uniqueChannel('nokey'), data: {} }, { apiKey: null });
  assert.equal(status, 401, 'missing X-API-Key → 401');
  const wrong = await apiRaw('publish', { channel: uniqueChannel('nokey'), data: {} }, { apiKey: 'wrong-key' });
  assert.equal(wrong.status, 401, 'wrong X-API-Key → 401');
});

// 3 ------------------------------------------------------------------------------------------
test('3. presence, presenceStats and history with limit', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const channel = uniqueChannel('presence');
  const userA = uniqueUser('alice');
  const userB = uniqueUser('bob');
  const a = await h.connected(userA, { token: connectToken(userA, { info: { name: 'Alice' } }) });
  const b = await h.connected(userB);
  const { sub: subA } = await h.subscribed(a.client, channel);
  await h.subscribed(b.client, channel);

  const presence = await subA.presence();
  const clients = presence.clients;
  assert.deepEqual(
    Object.keys(clients).sort(),
    [a.ctx.client, b.ctx.client].sort(),
    'presence is keyed by client id and lists both clients',
  );
  assert.equal(clients[a.ctx.client].client, a.ctx.client);
  assert.equal(clients[a.ctx.client].user, userA);
  assert.equal(clients[b.ctx.client].user, userB);
  assert.deepEqual(clients[a.ctx.client].connInfo, { name: 'Alice' }, 'token `info` claim becomes conn_info');

  const stats = await subA.presenceStats();
  assert.deepEqual(stats, { numClients: 2, numUsers: 2 });

  // History: three publications, then read them back with limits.
  const published = [];
  for (let i = 0; i < 3; i++) {
    published.push(await apiPublish(channel, { seq: i }));
  }
  const offsets = published.map((r) => r.offset);
  for (let i = 1; i < offsets.length; i++) {
    assert.equal(offsets[i], offsets[i - 1] + 1, `offsets are gap-free: ${offsets}`);
  }

  const first2 = await subA.history({ limit: 2 });
  assert.deepEqual(first2.publications.map((p) => p.data), [{ seq: 0 }, { seq: 1 }], 'history limit 2: oldest first');
  assert.deepEqual(first2.publications.map((p) => p.offset), offsets.slice(0, 2));
  assert.equal(first2.offset, offsets[2], 'history offset is the top of the stream');
  assert.equal(first2.epoch, published[0].epoch, 'history epoch');

  const last1 = await subA.history({ limit: 1, reverse: true });
  assert.deepEqual(last1.publications.map((p) => p.data), [{ seq: 2 }], 'history limit 1 reverse: newest');

  const positionOnly = await subA.history();
  assert.deepEqual(positionOnly.publications, [], 'history without limit returns no publications');
  assert.equal(positionOnly.offset, offsets[2]);
  assert.equal(positionOnly.epoch, published[0].epoch);

  const since = await subA.history({ since: { offset: offsets[0], epoch: published[0].epoch }, limit: 10 });
  assert.deepEqual(since.publications.map((p) => p.data), [{ seq: 1 }, { seq: 2 }], 'history since an offset');
});

// 4 ------------------------------------------------------------------------------------------
test('4. rpc echo returns its data; a method with no handler fails with 108', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const { client } = await h.connected(uniqueUser('rpc'));

  const data = { hello: 'world', numbers: [1, 2, 3], nested: { ok: true, none: null } };
  const result = await client.rpc('echo', data);
  assert.deepEqual(result, { data }, 'echo returns its data');

  // Centrifugo answers an rpc it has no handler for with 108 "not available" (not 104).
  await assert.rejects(client.rpc('no-such-method-' + Date.now(), { x: 1 }), (err) => {
    assert.equal(err.code, 108, `rpc method with no handler: error ${JSON.stringify(err)}`);
    assert.equal(err.message, 'not available');
    return true;
  });
  assert.equal(client.state, 'connected', 'an rpc error does not disconnect');
});

// 5 ------------------------------------------------------------------------------------------
test('5. a client publish reaches another subscriber (and the publisher)', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const channel = uniqueChannel('client-pub');
  const userA = uniqueUser('pub');
  const userB = uniqueUser('sub');
  const a = await h.connected(userA);
  const b = await h.connected(userB);
  const { sub: subA } = await h.subscribed(a.client, channel);
  const { sub: subB } = await h.subscribed(b.client, channel);

  const data = { from: userA, text: 'hi there' };
  const atB = h.waitEvent(subB, 'publication');
  const atA = h.waitEvent(subA, 'publication');
  await subA.publish(data);
  const pubB = await atB;
  const pubA = await atA;

  assert.deepEqual(pubB.data, data);
  assert.deepEqual(pubA.data, data, 'the publisher receives its own publication');
  assert.ok(pubB.offset > 0, 'history channel: the publication carries an offset');
  assert.equal(pubA.offset, pubB.offset, 'one publication, one offset');
  // Centrifugo attaches the publisher's ClientInfo to client publications.
  assert.equal(pubB.info?.user, userA, 'publication info.user is the publisher');
  assert.equal(pubB.info?.client, a.ctx.client, 'publication info.client is the publisher');
});

// 6 ------------------------------------------------------------------------------------------
test('6. connection token refresh keeps the client connected past the first expiry', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const user = uniqueUser('refresh');
  const exp = nowSeconds() + 3; // expires in 2-3 s
  let getTokenCalls = 0;
  const client = h.client({
    token: connectToken(user, { exp }),
    getToken: async () => {
      getTokenCalls++;
      return connectToken(user, { ttlSeconds: 60 });
    },
  });
  const connected = h.waitEvent(client, 'connected');
  client.connect();
  const { client: clientId } = await connected;
  // Registered after the first connect: any of these means the connection was lost.
  const connecting = h.record(client, 'connecting');
  const disconnected = h.record(client, 'disconnected');
  const errors = h.record(client, 'error');

  // The server must announce the expiry (connect reply expires/ttl), so the client refreshes.
  await h.waitUntil(() => getTokenCalls > 0, {
    timeoutMs: 6000,
    message: 'getToken to be called (connect reply must carry expires:true and ttl)',
  });
  const waitUntil = exp * 1000 + 2500;
  await sleep(Math.max(0, waitUntil - Date.now()));

  assert.deepEqual(connecting, [], 'no reconnect: the refresh must keep the connection');
  assert.deepEqual(disconnected, []);
  assert.deepEqual(errors, [], 'no client error events (refresh must succeed)');
  assert.equal(client.state, 'connected');
  assert.equal(getTokenCalls, 1, 'one refresh within the new token lifetime');
  const echo = await client.rpc('echo', { still: 'alive' });
  assert.deepEqual(echo.data, { still: 'alive' }, 'the refreshed connection still serves commands');
  assert.ok(clientId.length > 0);
});

// 7 ------------------------------------------------------------------------------------------
test('7. recovery after a reconnect delivers exactly the missed publications', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const channel = uniqueChannel('recover');
  const { client } = await h.connected(uniqueUser('rec'));
  const { sub, ctx: first } = await h.subscribed(client, channel);
  assert.equal(first.recoverable, true, 'force_recovery namespace: recoverable');
  assert.equal(first.wasRecovering, false, 'first subscribe is not a recovery');

  const live = h.waitEvent(sub, 'publication');
  const before = await apiPublish(channel, { n: 0 });
  const pub0 = await live;
  assert.equal(pub0.offset, before.offset);

  await h.disconnect(client);
  assert.equal(sub.state, 'subscribing', 'a disconnected client keeps its subscription pending');

  const missed = [];
  for (let n = 1; n <= 5; n++) {
    missed.push(await apiPublish(channel, { n }));
  }
  assert.equal(missed[4].epoch, before.epoch, 'same stream epoch while the client was away');

  const pubs = h.record(sub, 'publication');
  const resubscribed = h.waitEvent(sub, 'subscribed', {
    failOn: { unsubscribed: 'subscription ended instead of recovering' },
  });
  client.connect();
  const ctx = await resubscribed;

  assert.equal(ctx.wasRecovering, true, 'subscribed.wasRecovering');
  assert.equal(ctx.recovered, true, 'subscribed.recovered');
  assert.equal(ctx.recoverable, true, 'subscribed.recoverable');
  assert.equal(ctx.hasRecoveredPublications, true, 'subscribed.hasRecoveredPublications');
  assert.equal(ctx.streamPosition?.epoch, before.epoch, 'epoch unchanged');

  await h.waitUntil(() => pubs.length >= 5, { timeoutMs: 3000, message: () => `5 recovered publications, got ${pubs.length}` });
  await sleep(300); // catch late duplicates
  assert.deepEqual(pubs.map((p) => p.data), [1, 2, 3, 4, 5].map((n) => ({ n })), 'exactly the missed ones, in order');
  assert.deepEqual(pubs.map((p) => p.offset), missed.map((r) => r.offset), 'recovered offsets');

  // Live delivery continues after the merge: no hole, no duplicate.
  const next = await apiPublish(channel, { n: 6 });
  await h.waitUntil(() => pubs.length >= 6, { timeoutMs: 3000, message: 'the live publication after recovery' });
  await sleep(200);
  assert.deepEqual(pubs.map((p) => p.data.n), [1, 2, 3, 4, 5, 6]);
  assert.equal(pubs[5].offset, next.offset);
  assert.equal(next.offset, missed[4].offset + 1);
});

// 8 ------------------------------------------------------------------------------------------
test('8. recovery beyond the history window reports recovered: false', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const channel = uniqueChannel('gone', 'small');
  const { client } = await h.connected(uniqueUser('rec-small'));
  const { sub, ctx: first } = await h.subscribed(client, channel);
  assert.equal(first.recoverable, true, 'force_recovery on namespace small: recoverable');

  const live = h.waitEvent(sub, 'publication');
  await apiPublish(channel, { n: 0 });
  await live;

  await h.disconnect(client);
  const missed = [];
  for (let n = 1; n <= 10; n++) {
    missed.push(await apiPublish(channel, { n }));
  }

  const pubs = h.record(sub, 'publication');
  const resubscribed = h.waitEvent(sub, 'subscribed', {
    failOn: { unsubscribed: 'subscription ended instead of resubscribing' },
  });
  client.connect();
  const ctx = await resubscribed;

  assert.equal(ctx.wasRecovering, true, 'subscribed.wasRecovering');
  assert.equal(ctx.recovered, false, 'history holds 3 of the 10 missed: not recoverable');
  assert.equal(client.state, 'connected');
  assert.equal(sub.state, 'subscribed', 'a failed recovery still subscribes');

  // Switchboard guarantee (DESIGN §3), stricter than Centrifugo, which may hand over the
  // partial tail: an unrecovered subscribe delivers none of the missed publications.
  await sleep(300);
  assert.deepEqual(pubs.map((p) => p.data), [], 'recovered: false comes with no (partial) publications');

  // The subscription is live afterwards.
  const after = await apiPublish(channel, { n: 11 });
  await h.waitUntil(() => pubs.length >= 1, { timeoutMs: 3000, message: 'a live publication after the failed recovery' });
  assert.deepEqual(pubs.map((p) => p.data), [{ n: 11 }]);
  assert.equal(pubs[0].offset, after.offset);
  assert.equal(after.offset, missed[9].offset + 1);
});

test('8b. getState: an unrecoverable position is refused with 112 and the app loads its state again', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const channel = uniqueChannel('state', 'small');
  const first = await apiPublish(channel, { n: 0 });
  for (let n = 1; n <= 10; n++) {
    await apiPublish(channel, { n });
  }
  const { client } = await h.connected(uniqueUser('getstate'));

  // The app's state is first as of offset `first.offset`, 10 publications behind a history of 3:
  // centrifuge-js sets the rejectUnrecovered flag bit for a getState subscription, so the server
  // must answer 112 (not `recovered: false`), and the SDK asks the app for its state again.
  const positions = [];
  const getState = async () => {
    const top = await api('history', { channel, limit: 0 });
    const position = positions.length === 0 ? { offset: first.offset, epoch: first.epoch } : { offset: top.offset, epoch: top.epoch };
    positions.push(position);
    return position;
  };
  const sub = client.newSubscription(channel, { getState, minResubscribeDelay: 50, maxResubscribeDelay: 500 });
  const errors = h.record(sub, 'error');
  const subscribed = h.waitEvent(sub, 'subscribed', {
    timeoutMs: 10_000,
    failOn: { unsubscribed: (c) => `subscription ended: ${JSON.stringify(c)}` },
  });
  sub.subscribe();
  const ctx = await subscribed;

  assert.equal(positions.length, 2, `getState calls: ${JSON.stringify(positions)}`);
  assert.equal(ctx.wasRecovering, true, 'subscribed.wasRecovering');
  assert.equal(ctx.recovered, true, 'recovered from the position the second getState returned');
  assert.equal(ctx.streamPosition.offset, first.offset + 10);

  const received = h.waitEvent(sub, 'publication');
  const next = await apiPublish(channel, { n: 11 });
  const pub = await received;
  assert.deepEqual(pub.data, { n: 11 });
  assert.equal(pub.offset, next.offset);
  assert.deepEqual(errors, [], 'no subscription error surfaced to the app');
});

// 9 ------------------------------------------------------------------------------------------
test('9. server API disconnect with code 4500 ends the client without reconnect', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const user = uniqueUser('kick');
  const { client } = await h.connected(user);
  const connecting = h.record(client, 'connecting');

  const disconnected = h.waitEvent(client, 'disconnected');
  await api('disconnect', { user, disconnect: { code: 4500, reason: 'conformance kick' } });
  const ctx = await disconnected;

  assert.equal(ctx.code, 4500);
  assert.equal(ctx.reason, 'conformance kick');
  await sleep(700);
  assert.equal(client.state, 'disconnected', 'code 4500 is in the non-reconnecting range');
  assert.deepEqual(connecting, [], 'no reconnect attempt');
});

// 10 -----------------------------------------------------------------------------------------
test('10. private namespace: no token → 103, subscription token → subscribed', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const user = uniqueUser('priv');
  const channel = uniqueChannel('x', 'private');
  const { client } = await h.connected(user);

  const denied = client.newSubscription(channel, { minResubscribeDelay: 50, maxResubscribeDelay: 500 });
  const unsubscribed = h.waitEvent(denied, 'unsubscribed', {
    failOn: { subscribed: 'subscribed to a private channel without a token' },
  });
  denied.subscribe();
  const err = await unsubscribed;
  assert.equal(err.code, 103, `permission denied expected, got ${JSON.stringify(err)}`);
  assert.equal(denied.state, 'unsubscribed');
  assert.equal(client.state, 'connected', 'a denied subscribe does not disconnect');
  client.removeSubscription(denied);

  let getTokenCalls = 0;
  const { sub } = await h.subscribed(client, channel, {
    getToken: async (ctx) => {
      getTokenCalls++;
      assert.equal(ctx.channel, channel, 'getToken ctx.channel');
      return subscriptionToken(user, ctx.channel);
    },
  });
  assert.equal(getTokenCalls, 1);
  assert.equal(sub.state, 'subscribed');

  const received = h.waitEvent(sub, 'publication');
  await apiPublish(channel, { secret: true });
  assert.deepEqual((await received).data, { secret: true });
});

test('10b. a subscription token for another user or channel, or badly signed, is refused', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const user = uniqueUser('priv2');
  const channel = uniqueChannel('y', 'private');
  const forged = subscriptionToken(user, channel).replace(/\.[^.]+$/, '.' + Buffer.from('forged').toString('base64url'));

  for (const [label, token] of [
    ['another user', subscriptionToken(uniqueUser('mallory'), channel)],
    ['another channel', subscriptionToken(user, uniqueChannel('z', 'private'))],
    ['a bad signature', forged],
  ]) {
    // A fresh connection per case: the refusal may end the connection.
    const { client } = await h.connected(user);
    const sub = client.newSubscription(channel, { token, minResubscribeDelay: 50, maxResubscribeDelay: 500 });
    const events = [];
    for (const name of ['subscribing', 'error']) sub.on(name, (ctx) => events.push({ sub: name, ...ctx }));
    for (const name of ['connecting']) client.on(name, (ctx) => events.push({ client: name, ...ctx }));
    const failOn = { subscribed: `subscribed with a token for ${label}` };
    const outcome = Promise.race([
      h.waitEvent(sub, 'unsubscribed', { failOn }).then((ctx) => ({ by: 'subscription', ...ctx })),
      h.waitEvent(client, 'disconnected', { failOn }).then((ctx) => ({ by: 'connection', ...ctx })),
    ]);
    sub.subscribe();
    const ctx = await outcome.catch((err) => {
      throw new Error(`${label}: ${err.message}; events seen: ${JSON.stringify(events)}`);
    });
    // Centrifugo v5/v6: a token whose channel or user does not match closes the connection with
    // 3500 "invalid token"; a token that fails verification gets error 103 "permission denied"
    // (older versions answered 103 for all of them). Either way, no subscription.
    const ok = (ctx.by === 'subscription' && ctx.code === 103) || (ctx.by === 'connection' && ctx.code === 3500);
    assert.ok(ok, `${label}: refused by ${ctx.by} with code ${ctx.code} (${ctx.reason}); want sub 103 or disconnect 3500`);
    if (ctx.by === 'connection') {
      await sleep(300);
      assert.equal(client.state, 'disconnected', `${label}: 3500 is terminal, no reconnect`);
    } else {
      assert.equal(client.state, 'connected', `${label}: a refused subscribe keeps the connection`);
    }
  }
});

test('10c. a channel of an unknown namespace → 102 unknown channel', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const { client } = await h.connected(uniqueUser('nons'));
  const sub = client.newSubscription(uniqueChannel('x', 'nosuchns'));
  const ended = h.waitEvent(sub, 'unsubscribed', { failOn: { subscribed: 'subscribed to an unknown namespace' } });
  sub.subscribe();
  const ctx = await ended;
  assert.equal(ctx.code, 102, `unknown channel expected, got ${JSON.stringify(ctx)}`);
  assert.equal(client.state, 'connected');
});

test('10d. map and shared poll subscriptions are refused (107, 108), never taken as a stream', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const { client } = await h.connected(uniqueUser('types'));
  // Centrifugo's answers for a channel not configured as a map (107) or shared poll (108) channel.
  for (const [options, code] of [[{ map: true }, 107], [{ mapPresenceType: 2 }, 107], [{ sharedPoll: true }, 108]]) {
    const sub = client.newSubscription(uniqueChannel('typed'), options);
    const ended = h.waitEvent(sub, 'unsubscribed', {
      failOn: { subscribed: `subscribed with ${JSON.stringify(options)}` },
    });
    sub.subscribe();
    const ctx = await ended;
    assert.equal(ctx.code, code, `${JSON.stringify(options)}: got ${JSON.stringify(ctx)}`);
    client.removeSubscription(sub);
  }
  assert.equal(client.state, 'connected');
});

// 11 -----------------------------------------------------------------------------------------
test('11. join and leave pushes reach a subscriber', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const channel = uniqueChannel('joinleave');
  const userA = uniqueUser('watcher');
  const userB = uniqueUser('visitor');
  const a = await h.connected(userA);
  // joinLeave: the subscriber asks for join/leave pushes (Centrifugo v4+ sends them to those who ask).
  const { sub: subA } = await h.subscribed(a.client, channel, { joinLeave: true });

  const b = await h.connected(userB, { token: connectToken(userB, { info: { role: 'visitor' } }) });
  const joined = h.waitEvent(subA, 'join', { filter: (ctx) => ctx.info.user === userB });
  const { sub: subB } = await h.subscribed(b.client, channel);
  const join = await joined;
  assert.equal(join.channel, channel);
  assert.equal(join.info.client, b.ctx.client);
  assert.deepEqual(join.info.connInfo, { role: 'visitor' }, 'join info carries conn_info');

  const left = h.waitEvent(subA, 'leave', { filter: (ctx) => ctx.info.user === userB });
  subB.unsubscribe();
  const leave = await left;
  assert.equal(leave.channel, channel);
  assert.equal(leave.info.client, b.ctx.client);
});

// 12 -----------------------------------------------------------------------------------------
test('12. server-side subscription from the token `channels` claim', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const user = uniqueUser('srvsub');
  const channel = uniqueChannel('server-side');
  const client = h.client({ token: connectToken(user, { channels: [channel] }) });
  const subscribed = h.waitEvent(client, 'subscribed', { filter: (ctx) => ctx.channel === channel });
  client.connect();
  const ctx = await subscribed;
  assert.equal(ctx.channel, channel);

  const received = h.waitEvent(client, 'publication', { filter: (p) => p.channel === channel });
  await apiPublish(channel, { to: 'server-side' });
  assert.deepEqual((await received).data, { to: 'server-side' });
});

// 13 -----------------------------------------------------------------------------------------
// Server → client invocations (docs/rpc.md). The server pushes `{"sb_invoke":{id,method,data}}`
// as a `message`; a stock client answers with `send({"sb_result":{id,data}})`, or
// `send({"sb_result":{id,error:{code,message}}})`. This is the handler docs/rpc.md shows.

function answerInvocations(client, handlers) {
  client.on('message', async (ctx) => {
    const inv = ctx.data && ctx.data.sb_invoke;
    if (!inv) return;
    try {
      const data = await handlers[inv.method](inv.data);
      await client.send({ sb_result: { id: inv.id, data } });
    } catch (e) {
      await client.send({ sb_result: { id: inv.id, error: { code: e.code || 500, message: String(e.message || e) } } });
    }
  });
}

/** Connects a client whose token carries `routing_key` and waits until the API can find it. */
async function invocable(h, prefix) {
  const user = uniqueUser(prefix);
  const routingKey = `proj-${uniqueSuffix()}:staging`;
  const { client, ctx } = await h.connected(user, { token: connectToken(user, { routingKey }) });
  // The memory engine registers the connection before the connect reply; a Redis engine does it
  // asynchronously, so poll (the suite may be run by hand against a cluster).
  const deadline = Date.now() + 3000;
  let where = await api('connection', { routing_key: routingKey });
  while (!where.connected && Date.now() < deadline) {
    await sleep(50);
    where = await api('connection', { routing_key: routingKey });
  }
  assert.equal(where.connected, true, `connection with routing_key ${routingKey} must be registered`);
  return { user, routingKey, client, clientId: ctx.client, where };
}

test('13. server → client invoke: /api/invoke by routing_key reaches a stock client, which answers', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const { user, routingKey, client, clientId, where } = await invocable(h, 'agent');
  assert.deepEqual(
    { client: where.connection.client, user: where.connection.user, routing_key: where.connection.routing_key },
    { client: clientId, user, routing_key: routingKey },
    'connection: the token `routing_key` claim finds this connection',
  );

  const calls = [];
  answerInvocations(client, {
    echo: async (data) => {
      calls.push(data);
      return data;
    },
  });

  const data = { n: 7, text: 'héllo', nested: { list: [1, 'two', null, true], ok: false } };
  const { status, json, text } = await apiRaw('invoke', { routing_key: routingKey, method: 'echo', data, timeout: 4000 });
  assert.equal(status, 200, `invoke answered HTTP ${status}: ${text}`);
  assert.deepEqual(json, { result: { data } }, 'the client\'s answer comes back as result.data');
  assert.deepEqual(calls, [data], 'the client got the method\'s data once, unchanged');
  assert.equal(client.state, 'connected', 'answering with send keeps the connection (no send handler needed)');
});

test('13b. server → client invoke: the client\'s error answer → HTTP 502 with its code', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const { routingKey, client } = await invocable(h, 'agent-err');
  answerInvocations(client, {
    echo: async () => {
      throw { code: 4001, message: 'nope' };
    },
  });

  const { status, json, text } = await apiRaw('invoke', { routing_key: routingKey, method: 'echo', data: { x: 1 }, timeout: 4000 });
  assert.equal(status, 502, `client_error must be 502, got ${status}: ${text}`);
  assert.equal(json?.error?.code, 4001, 'the error carries the client\'s own code');
  assert.equal(json.error.message, 'client_error: nope', 'message is "<reason>: <client message>"');
  assert.equal(client.state, 'connected');
});

// 14 -----------------------------------------------------------------------------------------
test('14. cent.js pipeline(): newline-delimited commands on POST /api answer a line each', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const channel = uniqueChannel('pipeline');
  const { client } = await h.connected(uniqueUser('pipe'));
  const { sub } = await h.subscribed(client, channel);
  const pubs = h.record(sub, 'publication');

  // cent.js (Centrifugo's Node.js server API client) POSTs `{"method","params"}` lines to the
  // API URL itself and parses every line of the answer.
  const cent = new CentClient({ url: config.apiUrl, apiKey: config.apiKey });
  const results = await cent.pipeline([
    { method: 'publish', params: { channel, data: { n: 1 } } },
    { method: 'publish', params: { channel, data: { n: 2 } } },
    { method: 'history', params: { channel, limit: 10 } },
  ]);
  assert.equal(results.length, 3);
  assert.equal(results[1].offset, results[0].offset + 1, 'run in order');
  assert.deepEqual(results[2].publications.map((p) => p.data), [{ n: 1 }, { n: 2 }]);
  await h.waitUntil(() => pubs.length === 2, { message: 'both publications delivered' });
  assert.deepEqual(pubs.map((p) => p.data), [{ n: 1 }, { n: 2 }]);

  // Its one-call methods use /api/<method>.
  const third = await cent.publish({ channel, data: { n: 3 } });
  assert.equal(third.offset, results[1].offset + 1);
});

test('14b. an unknown API method or path answers a JSON error, never plain text', { timeout: TEST_TIMEOUT }, async () => {
  const method = await apiRaw('no_such_method', {});
  assert.equal(method.status, 404);
  assert.equal(method.json?.error?.code, 104, `unknown method: ${method.text}`);

  const root = config.apiUrl.replace(/\/api$/, '');
  const path = await fetch(`${root}/no/such/path`, { method: 'POST', signal: AbortSignal.timeout(5000) });
  assert.equal(path.status, 404);
  assert.match(path.headers.get('content-type') ?? '', /application\/json/);
  assert.deepEqual(await path.json(), { error: { code: 104, message: 'not found' } });
});

// 15 -----------------------------------------------------------------------------------------
test('15. cache recovery mode: a client that subscribes after 3 publications gets the third as its state', { timeout: TEST_TIMEOUT }, async (t) => {
  const h = harness(t);
  const channel = uniqueChannel('state', 'cache');
  const sent = [];
  for (let n = 1; n <= 3; n++) {
    sent.push(await apiPublish(channel, { n }));
  }
  const { client } = await h.connected(uniqueUser('cache'));
  // `since: {}` is how centrifuge-js asks for recovery with no position (recover: true).
  const sub = client.newSubscription(channel, { since: {}, minResubscribeDelay: 50, maxResubscribeDelay: 500 });
  const pubs = h.record(sub, 'publication');
  const subscribed = h.waitEvent(sub, 'subscribed', {
    failOn: { unsubscribed: (ctx) => `subscription ended: ${JSON.stringify(ctx)}` },
  });
  sub.subscribe();
  const ctx = await subscribed;
  assert.equal(ctx.wasRecovering, true, 'subscribed.wasRecovering');
  assert.equal(ctx.recovered, true, 'subscribed.recovered');
  assert.equal(ctx.hasRecoveredPublications, true, 'subscribed.hasRecoveredPublications');
  await h.waitUntil(() => pubs.length >= 1, { timeoutMs: 3000, message: 'the state publication' });
  await sleep(200);
  assert.deepEqual(pubs.map((p) => p.data), [{ n: 3 }], 'only the latest publication, as the state');
  assert.equal(pubs[0].offset, sent[2].offset);

  // After a reconnect that missed two more, again only the latest.
  await h.disconnect(client);
  await apiPublish(channel, { n: 4 });
  const last = await apiPublish(channel, { n: 5 });
  const resubscribed = h.waitEvent(sub, 'subscribed');
  client.connect();
  const again = await resubscribed;
  assert.equal(again.recovered, true);
  await h.waitUntil(() => pubs.length >= 2, { timeoutMs: 3000, message: 'the state after a reconnect' });
  await sleep(200);
  assert.deepEqual(pubs.map((p) => p.data), [{ n: 3 }, { n: 5 }]);
  assert.equal(pubs[1].offset, last.offset);
});
