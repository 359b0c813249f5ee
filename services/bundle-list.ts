/** The bundles packaged into the studio home (<home>/bundles/*), newest first, for the Deploy and Field test pickers. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleSummary } from '../api/field-test-api.ts';
import { parseBundleManifest } from '../api/bundle/parse-manifest.ts';

export function listBundles(home: string): BundleSummary[] {
  const root = join(home, 'bundles');
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const out: BundleSummary[] = [];
  for (const name of names) {
    const dir = join(root, name);
    const file = join(dir, 'manifest.json');
    try {
      const m = parseBundleManifest(readFileSync(file, 'utf8'), file);
      const bytes = m.files.reduce((s, f) => s + f.bytes, statSync(file).size);
      out.push({ dir, model: m.model, dataset: m.dataset, searchRunId: m.searchRunId, createdAt: m.createdAt, nodes: m.nodes.length, branches: m.branches.length, bytes });
    } catch {
      // A half-written or foreign folder is not a bundle to offer; openBundle says why when one is picked by path.
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
