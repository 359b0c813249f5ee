import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../bundle/build-bundle.ts';
import { openBundle } from '../../bundle/open-bundle.ts';
import { tinyBundleInput } from '../../bundle/testing/tiny-tree.ts';
import { encodeImages } from '../core/image-batch.ts';
import { parseRuntimeLines } from '../core/runtime-line.ts';
import { startRuntimeSession } from './browser/runtime-session-server.ts';
import { runtimeBundleFiles, RUNTIME_NODE_ENTRY, RUNTIME_PAGE_ENTRY } from './runtime-bundle-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'edgetree-runtime-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('runtime files in a bundle', () => {
  test('both hosts ship in the bundle, checked like every file; the node entry runs and the page is served from the bundle', async () => {
    const runtime = await runtimeBundleFiles(join(dir, 'work'));
    const bundleDir = join(dir, 'bundle');
    await buildBundle(await tinyBundleInput({ runtime }), bundleDir);
    const opened = await openBundle(bundleDir);
    assert.equal(opened.manifest.runtime.nodeEntry, RUNTIME_NODE_ENTRY);
    assert.equal(opened.manifest.runtime.browserEntry, RUNTIME_PAGE_ENTRY);
    for (const p of [RUNTIME_NODE_ENTRY, RUNTIME_PAGE_ENTRY, 'runtime/page/runtime-page.js', 'runtime/node/tfjs-backend-wasm-simd.wasm']) {
      assert.ok(opened.manifest.files.some((f) => f.path === p), `${p} listed`);
    }
    const images = encodeImages(new Float32Array(128).fill(0.5));
    writeFileSync(join(dir, 'one.f32'), images);
    // No cloud in this bundle: every branch stays on the device.
    const r = spawnSync(process.execPath, [join(bundleDir, RUNTIME_NODE_ENTRY), '--bundle', bundleDir, '--images', join(dir, 'one.f32'), '--count', '2'], { encoding: 'utf8', cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(parseRuntimeLines(r.stdout).map((l) => l.type), ['start', 'inference', 'inference', 'summary']);
    const s = await startRuntimeSession({ bundleDir, images, count: 1, pageDir: join(bundleDir, 'runtime', 'page') });
    try {
      const page = await fetch(s.url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /runtime-page\.js/);
      const wasm = await fetch(new URL('tfjs-wasm/tfjs-backend-wasm-simd.wasm', s.url));
      assert.equal(wasm.headers.get('content-type'), 'application/wasm');
      await wasm.arrayBuffer();
      assert.equal((await fetch(new URL('bundle/manifest.json', s.url))).status, 200);
      // Only what the manifest lists: a file slipped into the folder afterwards is not served.
      writeFileSync(join(bundleDir, 'extra.bin'), 'x');
      assert.equal((await fetch(new URL('bundle/extra.bin', s.url))).status, 404);
      assert.equal((await fetch(new URL('bundle/runtime/page/runtime-page.js', s.url))).status, 200);
    } finally {
      await s.close();
    }
  });
});
