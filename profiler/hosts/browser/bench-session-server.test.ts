// The browser runner page in Debian's headless Chromium (driven by playwright-core)
// against a real bench session server; no phone here.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import type { Measurement } from '../../measurement.ts';
import { tinyBenchPlan } from '../../../test/fixtures/tiny-bench-plan.ts';
import { buildBenchPage } from './build-bench-page.ts';
import { startBenchSession } from './bench-session-server.ts';
import type { BenchSession } from './bench-session-server.ts';
import { BENCH_TOKEN_HEADER, sessionPath } from './bench-session-protocol.ts';
import type { BenchPlanResponse } from './bench-session-protocol.ts';
import { BenchPageNotBuiltError, BenchPageReportedError, BenchSessionStoppedError } from './bench-session-errors.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('browser runner page and bench session server', () => {
  let pageDir = '';
  let browser: Browser;
  const sessions: BenchSession[] = [];

  before(async () => {
    pageDir = await buildBenchPage(await mkdtemp(join(tmpdir(), 'edgetree-bench-page-')));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    for (const s of sessions) await s.close();
    await rm(pageDir, { recursive: true, force: true });
  });

  async function session(skipCaseIds: string[] = []): Promise<{ s: BenchSession; stored: Measurement[] }> {
    const stored: Measurement[] = [];
    const s = await startBenchSession({ plan: tinyBenchPlan(), skipCaseIds, pageDir, onMeasurement: (m) => void stored.push(m) });
    sessions.push(s);
    return { s, stored };
  }

  test('the page times every case in Chromium, posts each measurement, names its backend and ends done', async () => {
    const plan = tinyBenchPlan();
    const { s, stored } = await session();
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/bench\/\?session=[0-9a-f]{16}&token=[0-9a-f]{48}$/);
    const page = await browser.newPage();
    await page.goto(s.url);
    await s.waitUntilDone(AbortSignal.timeout(120_000));
    await page.waitForSelector('body[data-state="done"]', { timeout: 10_000 });
    const backend = (await page.textContent('#backend')) ?? '';
    // --disable-gpu leaves WebGL only on SwiftShader (software), so the page takes WASM,
    // with the binaries from the session server.
    assert.match((await page.textContent('#webgl')) ?? '', /SwiftShader.*\(software: not used\)|^no WebGL context$/);
    assert.match(backend, /^wasm \((SIMD|no SIMD), \d+ threads?\)$/);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'isolated: the page clock has 5 us steps');
    assert.equal(await page.textContent('#progress'), '4 / 4');
    assert.equal(await page.textContent('#error'), '');
    assert.deepEqual(stored.map((m) => m.caseId), plan.cases.map((c) => c.id));
    assert.deepEqual(s.measuredCaseIds(), plan.cases.map((c) => c.id));
    for (const [i, m] of stored.entries()) {
      assert.equal(m.runner, 'tfjs-browser');
      assert.equal(m.backend, backend);
      assert.equal(m.repeats, 3);
      assert.equal(m.macc, plan.cases[i].macc);
      assert.ok(m.minMs <= m.medianMs && m.medianMs <= m.maxMs && m.maxMs < 5000, JSON.stringify(m));
    }
    // The conv (640,000 MACCs) takes measurable time even on a coarse browser clock.
    assert.ok(stored[0].medianMs > 0, JSON.stringify(stored[0]));
    console.log(`browser page backend: ${backend}; medians ms: ${stored.map((m) => `${m.caseId}=${m.medianMs.toFixed(3)}`).join(', ')}`);
    await page.close();
  });

  test('serves the .wasm binaries as application/wasm and the page cross-origin isolated', async () => {
    const { s } = await session();
    const base = `http://127.0.0.1:${s.port}/bench/`;
    const wasm = await fetch(`${base}tfjs-wasm/tfjs-backend-wasm-simd.wasm`);
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.deepEqual([...new Uint8Array(await wasm.arrayBuffer()).subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    const html = await fetch(base);
    assert.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(html.headers.get('cross-origin-embedder-policy'), 'require-corp');
    assert.equal((await fetch(`${base}../etc/passwd`)).status, 404);
    // fetch() will not set Host: a page on another name (DNS rebinding) is refused.
    const foreign = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: s.port, path: '/bench/index.html', headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    assert.equal(foreign, 403);
  });

  test('bad measurements are refused with 4xx and nothing is stored', async () => {
    const plan = tinyBenchPlan();
    const { s, stored } = await session();
    const good: Measurement = {
      caseId: plan.cases[0].id, kind: plan.cases[0].kind, kernel: plan.cases[0].kernel, macc: plan.cases[0].macc,
      medianMs: 2, p25Ms: 1.5, p75Ms: 2.5, minMs: 1, maxMs: 3, repeats: 3, runner: 'tfjs-browser', backend: 'wasm (SIMD, 1 thread)', measuredAt: new Date().toISOString(),
    };
    const post = (body: unknown, token = s.token, id = s.sessionId): Promise<Response> =>
      fetch(`http://127.0.0.1:${s.port}${sessionPath(id, 'measurement')}`, { method: 'POST', headers: { [BENCH_TOKEN_HEADER]: token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const refusals: [string, Promise<Response>, number, RegExp][] = [
      ['NaN median', post({ ...good, medianMs: Number.NaN }), 400, /medianMs must be a finite number/],
      ['Infinity max', post({ ...good, maxMs: Number.POSITIVE_INFINITY }), 400, /maxMs must be a finite number/],
      ['unknown case', post({ ...good, caseId: 'conv-k9-nothing' }), 400, /case "conv-k9-nothing" is not in this session's plan/],
      ['wrong MACCs', post({ ...good, macc: good.macc + 1 }), 400, new RegExp(`measurement of "${good.caseId}": macc ${good.macc + 1} is not the case's ${good.macc}`)],
      ['quartiles out of order', post({ ...good, p25Ms: 2.2 }), 400, /medianMs \(2\) is below p25Ms \(2.2\)/],
      ['wrong token', post(good, 'f'.repeat(48)), 403, /wrong x-edgetree-bench-token/],
      ['no token', post(good, ''), 403, /missing or wrong/],
      ['other session', post(good, s.token, '0123456789abcdef'), 404, /no bench session/],
      ['not JSON', fetch(`http://127.0.0.1:${s.port}${sessionPath(s.sessionId, 'measurement')}`, { method: 'POST', headers: { [BENCH_TOKEN_HEADER]: s.token }, body: '{"caseId":' }), 400, /not JSON/],
    ];
    for (const [what, res, status, text] of refusals) {
      const r = await res;
      assert.equal(r.status, status, what);
      assert.match(await r.text(), text, what);
    }
    assert.equal(stored.length, 0);
    assert.deepEqual(s.measuredCaseIds(), []);
    assert.equal((await post(good)).status, 204);
    assert.equal((await post(good)).status, 409, 'the same case twice');
    assert.deepEqual(stored.map((m) => m.caseId), [good.caseId]);
  });

  test('a resumed session gives the page only the cases not yet measured, and the page times only those', async () => {
    const plan = tinyBenchPlan();
    const skipped = [plan.cases[0].id, plan.cases[2].id];
    const { s, stored } = await session(skipped);
    const res = await fetch(`http://127.0.0.1:${s.port}${sessionPath(s.sessionId, 'plan')}`, { headers: { [BENCH_TOKEN_HEADER]: s.token } });
    const body = (await res.json()) as BenchPlanResponse;
    assert.deepEqual(body.plan.cases.map((c) => c.id), [plan.cases[1].id, plan.cases[3].id]);
    assert.equal(body.total, 4);
    assert.equal(body.measured, 2);
    const page = await browser.newPage();
    await page.goto(s.url);
    await s.waitUntilDone(AbortSignal.timeout(120_000));
    await page.waitForSelector('body[data-state="done"]', { timeout: 10_000 });
    assert.equal(await page.textContent('#progress'), '4 / 4');
    assert.deepEqual(stored.map((m) => m.caseId), [plan.cases[1].id, plan.cases[3].id]);
    assert.deepEqual(s.measuredCaseIds(), plan.cases.map((c) => c.id));
    await page.close();
  });

  test('an error the page posts ends the wait with it; cancel and close end it too', async () => {
    const { s } = await session();
    const waiting = assert.rejects(s.waitUntilDone(), (e: Error) => e instanceof BenchPageReportedError && /failed on case "conv-x": BackendUnavailableError/.test(e.message));
    const r = await fetch(`http://127.0.0.1:${s.port}${sessionPath(s.sessionId, 'error')}`, {
      method: 'POST', headers: { [BENCH_TOKEN_HEADER]: s.token }, body: JSON.stringify({ message: 'BackendUnavailableError: no fast backend', caseId: 'conv-x' }),
    });
    assert.equal(r.status, 204);
    await waiting;

    const { s: other } = await session();
    const ac = new AbortController();
    const cancelled = other.waitUntilDone(ac.signal);
    ac.abort();
    await assert.rejects(cancelled, (e: Error) => e instanceof BenchSessionStoppedError && /cancelled\) with 0 of 4 cases measured/.test(e.message));
    const closing = assert.rejects(other.waitUntilDone(), BenchSessionStoppedError);
    await other.close();
    await closing;
  });

  test('a page without its session in the address says so', async () => {
    const { s } = await session();
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${s.port}/bench/`);
    await page.waitForSelector('body[data-state="error"]', { timeout: 10_000 });
    assert.match((await page.textContent('#error')) ?? '', /needs \?session=\.\.\.&token=\.\.\. in its address/);
    await page.close();
  });

  test('an unbuilt page is refused by name', async () => {
    await assert.rejects(startBenchSession({ plan: tinyBenchPlan(), pageDir: join(pageDir, 'missing'), onMeasurement: () => undefined }), BenchPageNotBuiltError);
  });
});
