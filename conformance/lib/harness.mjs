// Shared helpers of the conformance suite: environment, JWT minting, server API calls, and a
// per-test harness that creates real centrifuge-js clients and always cleans them up.
//
// Kept outside test/ on purpose: node's test runner treats every file under a `test/` folder
// as a test file.

import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';

function env(name, fallback) {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

export const config = Object.freeze({
  wsUrl: env('SWITCHBOARD_WS_URL', 'ws://127.0.0.1:8000/connection/websocket'),
  apiUrl: env('SWITCHBOARD_API_URL', 'http://127.0.0.1:8000/api').replace(/\/+$/, ''),
  apiKey: env('SWITCHBOARD_API_KEY', 'conformance-api-key'),
  hmacSecret: env('SWITCHBOARD_HMAC_SECRET', 'conformance-hmac-secret'),
  debug: env('SWITCHBOARD_CONFORMANCE_DEBUG', '') !== '',
  // The node whose proxies point at the backend test/proxy.test.mjs runs (unset: those tests skip).
  proxyWsUrl: env('SWITCHBOARD_PROXY_WS_URL', ''),
  proxyBackendPort: Number(env('SWITCHBOARD_PROXY_BACKEND_PORT', '0')),
});

/** Debian's Chromium (or another found one) for the browser tests; undefined when none is installed. */
export const chromiumPath = [
  process.env.CHROMIUM,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].find((p) => p && existsSync(p));

// ---------------------------------------------------------------------------------------------
// JWT (HS256) minted with node's crypto: no extra dependency.

function b64url(input) {
  return Buffer.from(input).toString('base64url');
}

export function signJwt(claims, secret = config.hmacSecret) {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

export function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

/**
 * Connection token: `sub`, `exp`, optional `channels` (server-side subs), `info` and
 * `routingKey` (the `routing_key` claim: the key server → client invocations find it by).
 */
export function connectToken(user, { ttlSeconds = 3600, exp, channels, info, routingKey } = {}) {
  const claims = { sub: user, exp: exp ?? nowSeconds() + ttlSeconds };
  if (channels) claims.channels = channels;
  if (info) claims.info = info;
  if (routingKey) claims.routing_key = routingKey;
  return signJwt(claims);
}

/** Subscription token: `sub`, `channel`, `exp`. */
export function subscriptionToken(user, channel, { ttlSeconds = 3600 } = {}) {
  return signJwt({ sub: user, channel, exp: nowSeconds() + ttlSeconds });
}

// ---------------------------------------------------------------------------------------------
// Names

export function uniqueSuffix() {
  return `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/** A channel name no other test (or earlier run against the same node) uses. */
export function uniqueChannel(prefix, namespace = '') {
  const name = `${prefix}-${uniqueSuffix()}`;
  return namespace ? `${namespace}:${name}` : name;
}

export function uniqueUser(prefix) {
  return `${prefix}-${uniqueSuffix()}`;
}

// ---------------------------------------------------------------------------------------------
// HTTP server API (Centrifugo-shaped): POST {apiUrl}/{method}, JSON body, X-API-Key header.

export async function apiRaw(method, body, { apiKey = config.apiKey } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (apiKey !== null) headers['X-API-Key'] = apiKey;
  const response = await fetch(`${config.apiUrl}/${method}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, text, json };
}

/** Calls a server API method and returns its `result`; throws on HTTP or API errors. */
export async function api(method, body) {
  const { status, text, json } = await apiRaw(method, body);
  if (status !== 200) {
    throw new Error(`server API ${method} answered HTTP ${status}: ${text}`);
  }
  if (json === null || typeof json !== 'object') {
    throw new Error(`server API ${method} answered a non-JSON body: ${text}`);
  }
  if (json.error) {
    throw new Error(`server API ${method} answered error ${json.error.code}: ${json.error.message}`);
  }
  return json.result ?? {};
}

export function apiPublish(channel, data) {
  return api('publish', { channel, data });
}

// ---------------------------------------------------------------------------------------------
// Waiting

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describe(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * A per-test harness: clients it creates are disconnected and timers it arms are cleared when
 * the test ends, whatever the outcome.
 */
export function harness(t) {
  const clients = [];
  const timers = new Set();

  t.after(() => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const client of clients) {
      try {
        client.disconnect();
      } catch {
        // best effort: the test result is already decided
      }
    }
  });

  const h = {
    /**
     * A real centrifuge-js client over `ws`, not connected yet (`url`: another node; `centrifuge`:
     * another build of the class, e.g. the protobuf one from `centrifuge/build/protobuf`).
     */
    client({ url = config.wsUrl, centrifuge: CentrifugeClass = Centrifuge, ...options } = {}) {
      const client = new CentrifugeClass(url, {
        websocket: WebSocket,
        minReconnectDelay: 50,
        maxReconnectDelay: 500,
        timeout: 5000,
        debug: config.debug,
        ...options,
      });
      clients.push(client);
      return client;
    },

    /** Connects a client with a token for `user` and waits for its `connected` event. */
    async connected(user, options = {}, { timeoutMs = 5000 } = {}) {
      const client = h.client({ token: connectToken(user), ...options });
      const connected = h.waitEvent(client, 'connected', { timeoutMs });
      client.connect();
      const ctx = await connected;
      return { client, ctx };
    },

    /** New subscription (short resubscribe backoff); subscribes and waits for `subscribed`. */
    async subscribed(client, channel, options = {}, { timeoutMs = 5000 } = {}) {
      const sub = client.newSubscription(channel, {
        minResubscribeDelay: 50,
        maxResubscribeDelay: 500,
        ...options,
      });
      const subscribed = h.waitEvent(sub, 'subscribed', {
        timeoutMs,
        failOn: { unsubscribed: (ctx) => `subscription to ${channel} ended: ${describe(ctx)}` },
      });
      sub.subscribe();
      const ctx = await subscribed;
      return { sub, ctx };
    },

    /**
     * Resolves with the ctx of the next `event` emitted by `emitter` (for which `filter`
     * returns true). Register it BEFORE triggering the action. `failOn` maps other events to a
     * message: if one of them is emitted first, the wait fails with that message.
     */
    waitEvent(emitter, event, { timeoutMs = 5000, filter = () => true, failOn = {} } = {}) {
      let cleanup = () => {};
      const promise = new Promise((resolve, reject) => {
        const listeners = [];
        const on = (name, fn) => {
          emitter.on(name, fn);
          listeners.push([name, fn]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for '${event}'`));
        }, timeoutMs);
        timers.add(timer);
        cleanup = () => {
          clearTimeout(timer);
          timers.delete(timer);
          for (const [name, fn] of listeners) emitter.off(name, fn);
        };
        on(event, (ctx) => {
          if (!filter(ctx)) return;
          cleanup();
          resolve(ctx);
        });
        for (const [name, message] of Object.entries(failOn)) {
          on(name, (ctx) => {
            cleanup();
            reject(new Error(typeof message === 'function' ? message(ctx) : `${message}: ${describe(ctx)}`));
          });
        }
      });
      // Never an unhandled rejection when a test fails before awaiting it.
      promise.catch(() => {});
      return promise;
    },

    /** Polls `predicate` until it holds; fails with `message` after `timeoutMs`. */
    async waitUntil(predicate, { timeoutMs = 5000, intervalMs = 20, message = 'condition' } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (predicate()) return;
        if (Date.now() >= deadline) {
          throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof message === 'function' ? message() : message}`);
        }
        await new Promise((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, intervalMs);
          timers.add(timer);
        });
      }
    },

    /** Records every emission of `event` (ctx objects) into an array. */
    record(emitter, event) {
      const seen = [];
      emitter.on(event, (ctx) => seen.push(ctx));
      return seen;
    },

    /** Disconnects a client and waits until it reports the `disconnected` state. */
    async disconnect(client) {
      if (client.state === 'disconnected') return;
      const done = h.waitEvent(client, 'disconnected', { timeoutMs: 3000 });
      client.disconnect();
      await done;
    },
  };
  return h;
}
