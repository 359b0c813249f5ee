import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudioServices } from './studio-services.ts';
import { STUDIO_METHODS } from '../api/studio-api.ts';

describe('createStudioServices', () => {
  test('creates the home and its store, implements every API method, reports its mode and version', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'edgetree-home-'));
    const home = join(parent, 'nested', 'home');
    try {
      const s = createStudioServices({ home, mode: 'browser' });
      assert.ok(existsSync(join(home, 'studio.db')));
      for (const m of STUDIO_METHODS) assert.equal(typeof s[m], 'function', m);
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
      assert.deepEqual(await s.backendInfo({}), { mode: 'browser', version: pkg.version, home });
      const detail = await s.showModel({ name: 'alexnet', dataset: 'fashion-mnist' });
      assert.deepEqual(detail.inputShape, [32, 32, 1]);
      assert.equal(detail.cutBytes[0], 32 * 32 * 1 * 4);
      await assert.rejects(s.importTrace({ fileName: 'empty.txt', content: '' }), { name: 'TraceParseError' });
      assert.deepEqual(await s.listTraces({}), []);
      s.close();
      assert.equal(s.db.open, false);
      s.close(); // twice is harmless
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
