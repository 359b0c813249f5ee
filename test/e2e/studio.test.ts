/**
 * End to end: the built renderer in headless Chromium, (1) in browser mode against
 * the real loopback server and (2) through the Electron code path, with the preload's
 * `window.edgetree` routed to the real main-process IPC handlers. Real services and a
 * real SQLite store in a temporary EDGETREE_HOME in both.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { startBrowserServer } from '../../server/browser-server.ts';
import type { BrowserServer } from '../../server/browser-server.ts';
import { createStudioServices } from '../../services/studio-services.ts';
import type { StudioServices } from '../../services/studio-services.ts';
import { registerStudioIpc } from '../../electron/ipc-handlers.ts';
import type { StudioIpcHandler } from '../../electron/ipc-handlers.ts';
import { STUDIO_METHODS } from '../../api/studio-api.ts';
import { bridgeStudioApi } from '../../renderer/bridge-studio-api.ts';
import { httpStudioApi } from '../../renderer/http-studio-api.ts';
import { CHROMIUM_ARGS, RENDERER_DIST, SCREENSHOTS, checkAccuracyView, checkModelsScreen, checkTracesScreen, collectPageErrors } from './studio-pages.ts';

let work: string;
let browser: Browser;
let corrupt: string;

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'edgetree-e2e-'));
  corrupt = join(work, 'corrupt_bus');
  writeFileSync(corrupt, '0.0 4.03\n0.55 4.79\n0.88 fast\n1.35 4.33\n');
  // File pages need file access for their module script (Electron grants its app pages this).
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--allow-file-access-from-files'] });
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('browser mode', () => {
  let server: BrowserServer;
  before(async () => {
    server = await startBrowserServer({ home: join(work, 'browser-home'), port: 0, staticDir: RENDERER_DIST });
  });
  after(async () => { await server?.close(); });

  test('Models and Traces screens over the loopback server', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(server.url);
    // The renderer's own HTTP client, run from Node: the numbers to compare with.
    const api = httpStudioApi(server.token, new URL(server.url).origin);
    await checkModelsScreen(page, api, 'Browser mode', 'browser');
    assert.ok(!page.url().includes('token='), `the token is stripped from the address bar: ${page.url()}`);
    await checkTracesScreen(page, api, corrupt, 'browser');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('Models screen: the trained model\'s accuracy and a one-technique, one-layer compression sweep', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(server.url);
    await checkAccuracyView(page, httpStudioApi(server.token, new URL(server.url).origin), 'browser');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('an API call without the token is refused with 401', async () => {
    const res = await fetch(new URL('/api/listTraces', server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { name: string } }).error.name, 'UnauthorizedError');
  });
});

describe('Electron renderer code path', () => {
  let services: StudioServices;
  const handlers = new Map<string, StudioIpcHandler>();
  const indexUrl = pathToFileURL(join(RENDERER_DIST, 'index.html')).href;
  before(() => {
    services = createStudioServices({ home: join(work, 'electron-home'), mode: 'electron' });
    // Electron's ipcMain cannot run here; this registry receives exactly what main.ts registers.
    registerStudioIpc({ handle: (channel, listener) => handlers.set(channel, listener) }, services, { fileUrl: indexUrl });
  });
  after(() => services?.close());

  test('the same screens through window.edgetree and the main-process IPC handlers', async () => {
    assert.deepEqual([...handlers.keys()].sort(), STUDIO_METHODS.map((m) => `studio:${m}`).sort());
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // ipcRenderer.invoke(channel, request), as the preload calls it; the sender is the calling frame.
    await context.exposeBinding('__ipcInvoke', async (source, channel: string, request: unknown) => {
      const handler = handlers.get(channel);
      if (handler === undefined) throw new Error(`No handler registered for '${channel}'`);
      return handler({ senderFrame: { url: source.frame.url() } }, request);
    });
    // The preload's shape exactly: one frozen object, one function per StudioApi method.
    await context.addInitScript((methods: readonly string[]) => {
      const invoke = (window as unknown as { __ipcInvoke: (c: string, r: unknown) => Promise<unknown> }).__ipcInvoke;
      const bridge = Object.freeze(Object.fromEntries(methods.map((m) => [m, (request: unknown) => invoke(`studio:${m}`, request)])));
      Object.defineProperty(window, 'edgetree', { value: bridge, enumerable: true });
    }, STUDIO_METHODS);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(indexUrl);
    // The numbers to compare with, through the same IPC handlers and the renderer's own unwrapping.
    const api = bridgeStudioApi(Object.fromEntries(STUDIO_METHODS.map((m) => [m, (r: unknown) => handlers.get(`studio:${m}`)!({ senderFrame: { url: indexUrl } }, r)])) as Parameters<typeof bridgeStudioApi>[0]);
    await checkModelsScreen(page, api, 'Electron', 'electron');
    await checkTracesScreen(page, api, corrupt, 'electron');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
