import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudioServices } from '../services/studio-services.ts';
import type { StudioServices } from '../services/studio-services.ts';
import { dispatchStudioCall } from './dispatch.ts';
import { InvalidRequestError, UnknownMethodError } from './api-error.ts';

describe('dispatchStudioCall (real services, temporary home)', () => {
  let home: string;
  let services: StudioServices;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'edgetree-dispatch-'));
    services = createStudioServices({ home, mode: 'browser' });
  });
  after(() => {
    services.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('calls the method with the validated request', async () => {
    const info = await dispatchStudioCall(services, 'backendInfo', {}) as { mode: string; home: string };
    assert.equal(info.mode, 'browser');
    assert.equal(info.home, home);
    const models = await dispatchStudioCall(services, 'listModels', {}) as { name: string }[];
    assert.deepEqual(models.map((m) => m.name).filter((n) => ['vgg11', 'alexnet', 'resnet18'].includes(n)).sort(), ['alexnet', 'resnet18', 'vgg11']);
  });

  test('refuses an unknown method, including inherited object keys', async () => {
    await assert.rejects(dispatchStudioCall(services, 'dropTables', {}), (err: unknown) => err instanceof UnknownMethodError && /"dropTables"/.test(err.message));
    await assert.rejects(dispatchStudioCall(services, 'constructor', {}), UnknownMethodError);
    await assert.rejects(dispatchStudioCall(services, 'close', {}), UnknownMethodError, 'close is not part of StudioApi');
    await assert.rejects(dispatchStudioCall(services, 42, {}), UnknownMethodError);
  });

  test('validates before calling', async () => {
    await assert.rejects(dispatchStudioCall(services, 'showModel', { name: 'vgg11' }), (err: unknown) =>
      err instanceof InvalidRequestError && err.message === 'showModel: field "dataset" must be one of cifar10, fashion-mnist, got null');
  });
});
