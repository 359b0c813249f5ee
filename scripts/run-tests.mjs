#!/usr/bin/env node
// Runs the test files with Node's own test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs unit|e2e|all [extra file filters...]
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
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
// Files that time real work and assert on it (speed ratios, fits of measured latency,
// throughput of a shaped link) run alone after the rest, so a neighbour test loading the
// two cores does not make them fail. A file says so with a `// @serial` line at its top.
const isSerial = (f) => /^\/\/ @serial\b/m.test(readFileSync(join(root, f), 'utf8').split('\n').slice(0, 12).join('\n'));
const serial = files.filter(isSerial);
const parallel = files.filter((f) => !isSerial(f));

function run(list, concurrency) {
  if (list.length === 0) return 0;
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...list],
    { cwd: root, stdio: 'inherit', env: { ...process.env, EDGETREE_TEST: '1' } },
  );
  return result.status ?? 1;
}

const first = run(parallel, 2);
if (serial.length > 0) console.log(`\n# ${serial.length} test files that time real work, one at a time:`);
const second = run(serial, 1);
process.exit(first !== 0 ? first : second);
