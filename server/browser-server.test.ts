import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserServer } from './browser-server.ts';
import type { BrowserServer } from './browser-server.ts';
import { CONTENT_SECURITY_POLICY } from '../api/content-security-policy.ts';
import { MAX_BODY_BYTES } from './studio-http-server.ts';

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A raw request, so that the test can send any Host header (fetch refuses to). */
function send(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('browser-mode server (real services, temporary home)', () => {
  let work: string;
  let server: BrowserServer;
  let port: number;
  let api: (method: string, body: unknown, headers?: Record<string, string>) => Promise<Reply>;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'edgetree-server-'));
    const dist = join(work, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>studio</title>');
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(work, 'secret.txt'), 'not served');
    server = await startBrowserServer({ home: join(work, 'home'), port: 0, staticDir: dist });
    port = Number(new URL(server.url).port);
    api = (method, body, headers = {}) => send(port, {
      method: 'POST', path: `/api/${method}`, body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-edgetree-token': server.token, ...headers },
    });
  });
  after(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('binds to 127.0.0.1 with a 64-hex-digit token in the URL', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    assert.equal(new URL(server.url).searchParams.get('token'), server.token);
  });

  test('answers an API call with the token', async () => {
    const r = await api('showModel', { name: 'vgg11', dataset: 'cifar10' });
    assert.equal(r.status, 200);
    const detail = JSON.parse(r.body) as { name: string; layers: unknown[] };
    assert.equal(detail.name, 'vgg11');
    assert.equal(detail.layers.length, 35);
  });

  test('refuses a missing or wrong token with 401', async () => {
    const missing = await send(port, { method: 'POST', path: '/api/listTraces', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(missing.status, 401);
    assert.equal((JSON.parse(missing.body) as { error: { name: string } }).error.name, 'UnauthorizedError');
    const wrong = await api('listTraces', {}, { 'x-edgetree-token': 'f'.repeat(64) });
    assert.equal(wrong.status, 401);
  });

  test('refuses a non-loopback Host header with 403 (DNS rebinding)', async () => {
    const r = await api('listTraces', {}, { host: `evil.example:${port}` });
    assert.equal(r.status, 403);
    assert.match(r.body, /evil\.example/);
    const page = await send(port, { path: '/', headers: { host: 'evil.example' } });
    assert.equal(page.status, 403);
    assert.equal((await send(port, { path: '/', headers: { host: `localhost:${port}` } })).status, 200);
  });

  test('maps errors to 400, 422 and 404 with { error: { name, message } }', async () => {
    const invalid = await api('showModel', { name: 'vgg11', dataset: 'mnist' });
    assert.equal(invalid.status, 400);
    assert.equal((JSON.parse(invalid.body) as { error: { name: string } }).error.name, 'InvalidRequestError');
    assert.equal((await api('nope', {})).status, 400);
    const notJson = await send(port, { method: 'POST', path: '/api/listTraces', body: '{', headers: { 'content-type': 'application/json', 'x-edgetree-token': server.token } });
    assert.equal(notJson.status, 400);
    const bad = await api('importTrace', { fileName: 'bad.log', content: '0 1\n1 x\n', format: 'time-mbps' });
    assert.equal(bad.status, 422);
    assert.match((JSON.parse(bad.body) as { error: { message: string } }).error.message, /bad\.log line 2/);
    const missing = await api('showTrace', { id: 'no-such-trace' });
    assert.equal(missing.status, 404, missing.body);
    assert.equal((JSON.parse(missing.body) as { error: { name: string } }).error.name, 'NotFoundError');
  });

  test('refuses a body declared larger than the limit with 413', async () => {
    const r = await send(port, { method: 'POST', path: '/api/importTrace', headers: { 'content-type': 'application/json', 'x-edgetree-token': server.token, 'content-length': String(MAX_BODY_BYTES + 1) } });
    assert.equal(r.status, 413);
  });

  test('serves the renderer with the CSP and nothing outside its folder', async () => {
    const index = await send(port, { path: '/' });
    assert.equal(index.status, 200);
    assert.equal(index.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.equal(index.headers['referrer-policy'], 'no-referrer');
    assert.match(index.body, /<title>studio<\/title>/);
    const js = await send(port, { path: '/assets/app.js' });
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await send(port, { path: '/../secret.txt' })).status, 404);
    assert.equal((await send(port, { path: '/%2e%2e/secret.txt' })).status, 404);
    assert.equal((await send(port, { path: '/assets/missing.js' })).status, 404);
  });
});
