import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateRequest, InvalidRequestError } from './validate-request.ts';

test('packageBundle and startDeploy requests: fields kept, bad ones refused by name', () => {
  assert.deepEqual(validateRequest('packageBundle', { searchRunId: '4', cloudUrl: 'http://10.0.0.1:8470', cloudToken: 't', weightsDtype: 'float32' }),
    { searchRunId: '4', cloudUrl: 'http://10.0.0.1:8470', cloudToken: 't', weightsDtype: 'float32' });
  assert.deepEqual(validateRequest('startDeploy', { deviceId: 'adb:X', bundleDir: '/b' }), { deviceId: 'adb:X', bundleDir: '/b' });
  assert.deepEqual(validateRequest('deployStatus', { runId: '9' }), { runId: '9' });
  const refused = (method: 'packageBundle' | 'startDeploy', req: unknown, field: string): void =>
    assert.throws(() => validateRequest(method, req), (e: unknown) => e instanceof InvalidRequestError && e.message.includes(`"${field}"`));
  refused('packageBundle', {}, 'searchRunId');
  refused('packageBundle', { searchRunId: '4', cloudUrl: 'file:///etc' }, 'cloudUrl');
  refused('packageBundle', { searchRunId: '4', weightsDtype: 'int8' }, 'weightsDtype');
  refused('packageBundle', { searchRunId: '4', extra: 1 }, 'extra');
  refused('startDeploy', { deviceId: 'local' }, 'bundleDir');
  refused('startDeploy', { deviceId: 'local', bundleDir: '/b', remoteRoot: '/data/../etc' }, 'remoteRoot');
  refused('startDeploy', { deviceId: 'local', bundleDir: '/b', remoteRoot: 'x\nrm -rf /' }, 'remoteRoot');
});
