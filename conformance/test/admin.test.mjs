// The admin page (docs/admin.md) in a real Chromium, driven by playwright-core, against three
// nodes over Redis: run by AdminBrowserIT (server module), which starts them and passes
//
//   SWITCHBOARD_ADMIN_URL        node A's page, http://127.0.0.1:<internal port>/admin/
//   SWITCHBOARD_ADMIN_PASSWORD   admin.password of every node
//   SWITCHBOARD_ADMIN_NODE_A_WS  node A's WebSocket URL (the watcher connects there)
//   SWITCHBOARD_ADMIN_NODE_B_WS  node B's WebSocket URL (the agent connects there)
//   SWITCHBOARD_API_URL          node C's server API (the ticker publishes there), with
//   SWITCHBOARD_API_KEY, SWITCHBOARD_HMAC_SECRET as for the other suites
//   SWITCHBOARD_ADMIN_SCREENSHOTS  where the screenshots go (docs/img/admin-*.png come from there)
//
// Without SWITCHBOARD_ADMIN_URL (the plain suite run) the test is skipped; a missing Chromium skips
// it too, except under CI=true, where it fails.
//
// The story: an operator logs in on node A (a wrong password first), sees the three nodes and
// node A's live charts (a watcher on node A receives a ticker published on node C), finds the
// agent connected to node B by its user, publishes to the agent's channel from the console (the
// agent receives it through Redis), invokes `ping` on the agent by client id (the agent answers
// with `send`, the page shows the result), and disconnects it (gone from the lookup, the agent
// sees the disconnect).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { api, chromiumPath, connectToken, harness, sleep, uniqueChannel, uniqueSuffix, uniqueUser } from '../lib/harness.mjs';

const adminUrl = process.env.SWITCHBOARD_ADMIN_URL;
const password = process.env.SWITCHBOARD_ADMIN_PASSWORD;
const nodeAWs = process.env.SWITCHBOARD_ADMIN_NODE_A_WS;
const nodeBWs = process.env.SWITCHBOARD_ADMIN_NODE_B_WS;
const shots = process.env.SWITCHBOARD_ADMIN_SCREENSHOTS;

if (adminUrl && !chromiumPath && process.env.CI === 'true') {
  throw new Error('no Chromium found under CI=true: .ci/run installs the chromium package');
}
const skip = !adminUrl
  ? 'SWITCHBOARD_ADMIN_URL not set (run by AdminBrowserIT)'
  : !chromiumPath
    ? 'no Chromium found (install chromium, or set CHROMIUM to its path)'
    : false;

/** Answers server → client invocations the way docs/rpc.md shows for a stock client. */
function answerInvocations(client, handlers) {
  client.on('message', async (ctx) => {
    const inv = ctx.data && ctx.data.sb_invoke;
    if (!inv) return;
    const handler = handlers[inv.method];
    if (!handler) {
      await client.send({ sb_result: { id: inv.id, error: { code: 404, message: `no method ${inv.method}` } } });
      return;
    }
    await client.send({ sb_result: { id: inv.id, data: await handler(inv.data) } });
  });
}

async function screenshot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

test('admin page: log in, 3 nodes, live charts, find a connection, publish, invoke, disconnect', { skip, timeout: 90_000 }, async (t) => {
  const h = harness(t);
  const { chromium } = await import('playwright-core');

  // A watcher on node A (the page's node), fed by a ticker published on node C: node A's charts move.
  const ticker = uniqueChannel('admin-ticker');
  const watcher = await h.connected(uniqueUser('watcher'), { url: nodeAWs });
  let ticks = 0;
  const { sub: tickerSub } = await h.subscribed(watcher.client, ticker);
  tickerSub.on('publication', () => { ticks += 1; });
  let ticking = true;
  const tickerLoop = (async () => {
    for (let i = 0; ticking; i++) {
      await api('publish', { channel: ticker, data: { i } });
      await sleep(50);
    }
  })();
  t.after(async () => { ticking = false; await tickerLoop.catch(() => {}); });

  // The agent on node B: a user, a routing key, a channel, and an answer to `ping`.
  const agentUser = uniqueUser('agent');
  const routingKey = `proj-${uniqueSuffix()}:staging`;
  const agent = await h.connected(agentUser, { url: nodeBWs, token: connectToken(agentUser, { routingKey }) });
  answerInvocations(agent.client, { ping: async (data) => ({ pong: data ?? null, at: 'node-b' }) });
  const news = uniqueChannel('admin-news');
  const { sub: newsSub } = await h.subscribed(agent.client, news);
  const agentClientId = agent.ctx.client;

  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => d.accept()); // the Disconnect button asks to confirm

  // Log in: a wrong password is refused on the page, the right one opens it.
  await page.goto(adminUrl);
  await page.locator('#login').waitFor({ state: 'visible' });
  await page.fill('#password', 'not-the-password');
  await page.click('#login-form button[type=submit]');
  await page.locator('#login-error', { hasText: 'wrong password' }).waitFor();
  await screenshot(page, 'admin-login');
  await page.fill('#password', password);
  await page.click('#login-form button[type=submit]');
  await page.locator('#app').waitFor({ state: 'visible' });
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'sb_admin');
  assert.ok(session, 'the session cookie is set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie), '', 'no script can read the session cookie');

  // Three nodes, from the registry.
  await page.locator('#node-count', { hasText: /^3$/ }).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('#nodes tbody tr').count(), 3);
  const nodeRows = await page.locator('#nodes tbody tr').allInnerTexts();
  assert.ok(nodeRows.every((r) => /admin-it-node-[abc]/.test(r)), `node names: ${nodeRows.join(' | ')}`);

  // Live charts: node A delivers the ticker to its watcher, a few a second, to one connection.
  await page.waitForFunction(() => Number(document.getElementById('rate-now').textContent) > 5, null, { timeout: 10_000 });
  assert.ok(Number(await page.textContent('#clients-now')) >= 1, 'node A counts its watcher');
  assert.ok(ticks > 0, 'the watcher receives the ticker');
  await sleep(2000); // a few more points on the charts for the screenshot
  await screenshot(page, 'admin-overview');

  // Find the agent by its user: one connection, on node B, with its routing key.
  await page.selectOption('#lookup-by', 'user');
  await page.fill('#lookup-value', agentUser);
  await page.click('#lookup-form button[type=submit]');
  const row = page.locator(`#connections tbody tr[data-client="${agentClientId}"]`);
  await row.waitFor();
  const rowText = await row.innerText();
  assert.ok(rowText.includes(routingKey), `the row shows the routing key: ${rowText}`);
  assert.ok(rowText.includes('admin-it-node-b'), `the row names the agent's node: ${rowText}`);
  assert.equal(await page.locator('#connections tbody tr').count(), 1);
  await page.locator('#channel-pattern').fill('admin-*');
  await page.click('#channels-form button[type=submit]');
  await page.locator('#channels tbody tr').first().waitFor();
  await screenshot(page, 'admin-lookup');

  // Publish from the console on node A; the agent on node B receives it through Redis.
  const received = h.waitEvent(newsSub, 'publication', { timeoutMs: 5000 });
  await page.fill('#publish-channel', news);
  await page.fill('#publish-data', '{"text": "maintenance at 23:00"}');
  await page.click('#publish-form button[type=submit]');
  await page.locator('#publish-result', { hasText: 'published: offset' }).waitFor();
  const publication = await received;
  assert.deepEqual(publication.data, { text: 'maintenance at 23:00' });

  // Invoke ping on the agent by client id; the page shows its answer.
  await page.selectOption('#invoke-by', 'client');
  await page.fill('#invoke-target', agentClientId);
  await page.fill('#invoke-method', 'ping');
  await page.fill('#invoke-data', '{"n": 1}');
  await page.click('#invoke-form button[type=submit]');
  await page.locator('#invoke-result', { hasText: 'result:' }).waitFor();
  assert.equal(await page.textContent('#invoke-result'), 'result: {"pong":{"n":1},"at":"node-b"}');
  await screenshot(page, 'admin-consoles');

  // A method the agent does not have: its error answer is shown, not a result.
  await page.fill('#invoke-method', 'nope');
  await page.click('#invoke-form button[type=submit]');
  await page.locator('#invoke-result', { hasText: 'error' }).waitFor();
  assert.match(await page.textContent('#invoke-result'), /^error 404: client_error: no method nope$/);

  // Disconnect the agent from the page: it sees the disconnect, the lookup finds nothing.
  const disconnected = h.waitEvent(agent.client, 'disconnected', { timeoutMs: 5000 });
  await row.locator('button', { hasText: 'Disconnect' }).click();
  const ctx = await disconnected;
  assert.equal(ctx.code, 3503, `force disconnect: ${JSON.stringify(ctx)}`);
  await page.locator('#lookup-summary', { hasText: /^0 connections/ }).waitFor({ timeout: 5000 });
  assert.equal(await page.locator('#connections tbody tr').count(), 0);

  assert.deepEqual(pageErrors, [], 'no script error on the page (a CSP violation would be one)');
});
