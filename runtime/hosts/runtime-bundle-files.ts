/**
 * The runtime's files for a bundle (bundle/build-bundle.ts `runtime`): the Node host under
 * runtime/node/ and the browser page under runtime/page/, each with its .wasm binaries, so a
 * deployed bundle carries what runs it. A session can serve the page from the bundle itself
 * (startRuntimeSession's `pageDir` = <bundle>/runtime/page).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundleRuntimeFiles } from '../../bundle/build-bundle.ts';
import { buildRuntimeNode, RUNTIME_NODE_FILE } from './node/build-runtime-node.ts';
import { buildRuntimePage } from './browser/build-runtime-page.ts';

export const RUNTIME_NODE_ENTRY = `runtime/node/${RUNTIME_NODE_FILE}`;
export const RUNTIME_PAGE_ENTRY = 'runtime/page/index.html';

async function filesUnder(dir: string, prefix: string): Promise<{ from: string; path: string }[]> {
  const out: { from: string; path: string }[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await filesUnder(join(dir, e.name), `${prefix}${e.name}/`)));
    else out.push({ from: join(dir, e.name), path: `${prefix}${e.name}` });
  }
  return out;
}

/** Builds both hosts into `workDir` (node/, page/) and lists them for buildBundle. */
export async function runtimeBundleFiles(workDir: string): Promise<BundleRuntimeFiles> {
  const node = await buildRuntimeNode(join(workDir, 'node'));
  const page = await buildRuntimePage(join(workDir, 'page'));
  return {
    files: [...node.files.map((f) => ({ from: join(node.dir, f), path: `runtime/node/${f}` })), ...(await filesUnder(page, 'runtime/page/'))],
    nodeEntry: RUNTIME_NODE_ENTRY,
    browserEntry: RUNTIME_PAGE_ENTRY,
  };
}
