// A real browser's own EventSource on the node's unidirectional SSE endpoint (docs/transports.md,
// "uni_sse"), with no client library: Chromium, driven by playwright-core, opens
// `new EventSource('/connection/uni_sse?cf_connect=...')` from a page the node serves (`/health`,
// same origin). The node drops the connection (server API `disconnect`), 20 publications are
// made while the browser is away, and the browser reconnects by itself, sending the last event's
// `id` as `Last-Event-ID`: it must receive exactly those 20, in order, once each, and be told the
// recovery succeeded.
//
// Needs Chromium (see browser-origin.test.mjs); under CI=true its absence fails. The node under
// test must serve uni_sse (`uni_sse.enabled: true`) and keep history with force_recovery in the
// default namespace (CentrifugeJsConformanceIT starts it so).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { api, apiPublish, chromiumPath, config, connectToken, uniqueChannel, uniqueUser } from '../lib/harness.mjs';

if (!chromiumPath && process.env.CI === 'true') {
  throw new Error('no Chromium found under CI=true: .ci/run installs the chromium package');
}
const skip = chromiumPath ? false : 'no Chromium found (install chromium, or set CHROMIUM to its path)';

test('browser: native EventSource on uni SSE resumes exactly the 20 publications made while it was away', { skip, timeout: 60_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const nodeOrigin = new URL(config.apiUrl).origin;
    const user = uniqueUser('uni-sse');
    const channel = uniqueChannel('uni-sse');
    const connect = JSON.stringify({ token: connectToken(user, { channels: [channel] }) });
    const url = `${nodeOrigin}/connection/uni_sse?cf_connect=${encodeURIComponent(connect)}`;

    await page.goto(`${nodeOrigin}/health`);
    // The page keeps what a plain app would: publications (from the connect push of each
    // (re)connection, where recovered ones come, and from pub pushes), connects, disconnects.
    await page.evaluate(({ url, channel }) => {
      window.seen = { pubs: [], connects: [], disconnects: 0, opens: 0, lastEventIds: [] };
      const es = new EventSource(url);
      es.onopen = () => window.seen.opens++;
      es.onmessage = (e) => {
        const push = JSON.parse(e.data);
        window.seen.lastEventIds.push(e.lastEventId);
        if (push.connect) {
          const sub = push.connect.subs?.[channel] ?? {};
          window.seen.connects.push({ wasRecovering: !!sub.was_recovering, recovered: !!sub.recovered });
          for (const p of sub.publications ?? []) window.seen.pubs.push(p.data.n);
        } else if (push.pub && push.channel === channel) {
          window.seen.pubs.push(push.pub.data.n);
        } else if (push.disconnect) {
          window.seen.disconnects++;
        }
      };
    }, { url, channel });
    const seen = () => page.evaluate(() => window.seen);
    const until = async (cond, what, ms = 15_000) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (cond(await seen())) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.fail(`timed out waiting for ${what}: ${JSON.stringify(await seen())}`);
    };

    await until((s) => s.connects.length === 1, 'the first connect push');
    await apiPublish(channel, { n: 0 });
    await until((s) => s.pubs.length === 1, 'the first live publication');

    // The node drops the connection; the browser will reconnect by itself.
    await api('disconnect', { user, disconnect: { code: 3001, reason: 'test drop' } });
    await until((s) => s.disconnects === 1, 'the disconnect push');
    for (let n = 1; n <= 20; n++) {
      await apiPublish(channel, { n });
    }

    await until((s) => s.connects.length === 2, 'the browser reconnecting by itself');
    await until((s) => s.pubs.length >= 21, 'the 20 publications made while away');
    await new Promise((r) => setTimeout(r, 300)); // late duplicates would show here
    const s = await seen();
    assert.deepEqual(s.pubs, Array.from({ length: 21 }, (_, n) => n), 'exactly the missed 20 after the first, in order, once each');
    assert.equal(s.opens, 2, 'one reconnect');
    assert.deepEqual(s.connects[1], { wasRecovering: true, recovered: true }, 'the resumed connection says it recovered');
    assert.ok(s.lastEventIds.every((id) => id.startsWith('1.')), 'every event carries a resume id');
  } finally {
    await browser.close();
  }
});
