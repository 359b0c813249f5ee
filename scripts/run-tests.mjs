#!/usr/bin/env node
// Runs the test files with Node's own test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs unit|e2e|all [extra file filters...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skip = new Set(['node_modules', 'dist', 'out', '.git', '.vite', 'test-results']);

function findTests(dir, found = []) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, found);
    else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) found.push(relative(root, full));
  }
  return found;
}

const [kind = 'all', ...filters] = process.argv.slice(2);
const all = findTests(root).sort();
const isE2e = (f) => f.startsWith('test/e2e/');
let files = kind === 'unit' ? all.filter((f) => !isE2e(f)) : kind === 'e2e' ? all.filter(isE2e) : all;
if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error(`no test files for "${kind}" ${filters.join(' ')}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, EDGETREE_TEST: '1' } },
);
process.exit(result.status ?? 1);
