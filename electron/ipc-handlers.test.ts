import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudioServices } from '../services/studio-services.ts';
import type { StudioServices } from '../services/studio-services.ts';
import { STUDIO_METHODS } from '../api/studio-api.ts';
import { registerStudioIpc } from './ipc-handlers.ts';
import type { StudioIpcHandler } from './ipc-handlers.ts';

const page = 'file:///opt/edgetree/renderer/dist/index.html';

describe('studio IPC handlers (real services, temporary home)', () => {
  let home: string;
  let services: StudioServices;
  const handlers = new Map<string, StudioIpcHandler>();
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'edgetree-ipc-'));
    services = createStudioServices({ home, mode: 'electron' });
    registerStudioIpc({ handle: (channel, listener) => handlers.set(channel, listener) }, services, { fileUrl: page });
  });
  after(() => {
    services.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('registers one studio:<method> channel per StudioApi method', () => {
    assert.deepEqual([...handlers.keys()], STUDIO_METHODS.map((m) => `studio:${m}`));
  });

  test('answers the app\'s own page with { result }', async () => {
    const reply = await handlers.get('studio:showModel')!({ senderFrame: { url: page } }, { name: 'alexnet', dataset: 'cifar10' });
    assert.ok('result' in reply);
    const detail = reply.result as { name: string; layers: unknown[] };
    assert.equal(detail.name, 'alexnet');
    // conv, relu, pool, conv, relu, pool, flatten, fc, relu, fc, relu, fc
    assert.equal(detail.layers.length, 12);
  });

  test('refuses a foreign sender before touching the services', async () => {
    const reply = await handlers.get('studio:listTraces')!({ senderFrame: { url: 'https://evil.example/' } }, {});
    assert.ok('error' in reply);
    assert.equal(reply.error.name, 'UntrustedSenderError');
    assert.match(reply.error.message, /https:\/\/evil\.example\//);
    const noFrame = await handlers.get('studio:listTraces')!({ senderFrame: null }, {});
    assert.ok('error' in noFrame && noFrame.error.name === 'UntrustedSenderError');
  });

  test('a request that fails validation comes back as { error } naming the field', async () => {
    const reply = await handlers.get('studio:showModel')!({ senderFrame: { url: page } }, { name: 'vgg11', dataset: 'mnist' });
    assert.deepEqual(reply, { error: { name: 'InvalidRequestError', message: 'showModel: field "dataset" must be one of cifar10, fashion-mnist, got "mnist"' } });
  });

  test('a service error keeps its name and message', async () => {
    const reply = await handlers.get('studio:importTrace')!({ senderFrame: { url: page } }, { fileName: 'bad.log', content: '0 1\n1 x\n', format: 'time-mbps' });
    assert.ok('error' in reply);
    assert.equal(reply.error.name, 'TraceParseError');
    assert.match(reply.error.message, /^bad\.log line 2:/);
  });
});
