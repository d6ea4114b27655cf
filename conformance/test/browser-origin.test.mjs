// A real browser against the node's Origin check (docs/operations.md, "Origin checks"): Chromium,
// driven by playwright-core, opens `new WebSocket` to the node under test from two pages.
//
// - a page the node serves itself (`/health`): same origin as the WebSocket's Host → connects;
// - a page on another origin (a tiny static server here, another port) → the upgrade is refused
//   with 403, which the browser reports as an error, and the node counts it in
//   switchboard_http_refused_total{reason="origin"}.
//
// Needs Chromium: /usr/bin/chromium (Debian's `apt-get install chromium`), chromium-browser,
// google-chrome, or the path in CHROMIUM. Without one the test is skipped with the reason, except
// under CI=true, where .ci/run installs Chromium and its absence fails. The node under test must run
// with client.allowed_origins unset and /health and /metrics enabled (the defaults).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { chromiumPath, config } from '../lib/harness.mjs';

// CI installs Chromium (.ci/run), so there a missing browser is a broken setup, not a reason to skip.
if (!chromiumPath && process.env.CI === 'true') {
  throw new Error('no Chromium found under CI=true: .ci/run installs the chromium package');
}
const skip = chromiumPath ? false : 'no Chromium found (install chromium, or set CHROMIUM to its path)';

/** Opens a WebSocket from the page; resolves 'open', 'refused' (error before open) or 'timeout'. */
function openFrom(page, url) {
  return page.evaluate(
    (u) =>
      new Promise((resolve) => {
        const ws = new WebSocket(u);
        const timer = setTimeout(() => {
          ws.close();
          resolve('timeout');
        }, 5000);
        ws.onopen = () => {
          clearTimeout(timer);
          ws.close();
          resolve('open');
        };
        ws.onerror = () => {
          clearTimeout(timer);
          resolve('refused');
        };
      }),
    url,
  );
}

/** The node's count of upgrades refused for their origin. */
async function originRefusals(nodeOrigin) {
  const text = await (await fetch(`${nodeOrigin}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('switchboard_http_refused_total{reason="origin"}'));
  assert.ok(line, 'the origin refusal counter is exported');
  return Number(line.split(' ').pop());
}

test('browser: a page on another origin is refused, a page of the node itself connects', { skip, timeout: 60_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const elsewhere = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>another origin</title>');
  });
  await new Promise((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const nodeOrigin = new URL(config.apiUrl).origin;
    const before = await originRefusals(nodeOrigin);

    await page.goto(`${nodeOrigin}/health`);
    assert.equal(await openFrom(page, config.wsUrl), 'open', 'same origin as the node');

    await page.goto(`http://127.0.0.1:${elsewhere.address().port}/`);
    assert.equal(await openFrom(page, config.wsUrl), 'refused', 'another origin (another port)');
    assert.equal(await originRefusals(nodeOrigin), before + 1, 'refused by the origin check, and counted');
  } finally {
    await browser.close();
    await new Promise((resolve) => elsewhere.close(resolve));
  }
});
