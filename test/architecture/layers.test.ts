// The dependency direction is a lint rule; this checks the rule bites where a
// developer would break it, and that the real tree obeys it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const root = new URL('../../', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: root + filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('domain code may not import Node I/O, Electron, the DOM or the store', async () => {
  const cases: Array<[string, string]> = [
    ['dnn/spec/bad.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"],
    ['latency/bad.ts', "import { join } from 'path';\nexport const f = join;\n"],
    ['search/bad.ts', "import { app } from 'electron';\nexport const f = app;\n"],
    ['traces/bad.ts', "import { useState } from 'react';\nexport const f = useState;\n"],
    ['dnn/models/bad.ts', "import { openStore } from '../../profiles/store.ts';\nexport const f = openStore;\n"],
  ];
  for (const [file, code] of cases) {
    const messages = await restrictedImports(file, code);
    assert.equal(messages.length, 1, `${file} should be refused: ${code}`);
  }
});

test('the renderer may not import Node or the main-process side', async () => {
  const messages = await restrictedImports('renderer/bad.tsx', "import { spawn } from 'node:child_process';\nexport const f = spawn;\n");
  assert.equal(messages.length, 1);
  const store = await restrictedImports('renderer/bad2.tsx', "import { x } from '../services/studio-services.ts';\nexport const f = x;\n");
  assert.equal(store.length, 1);
});

test('domain code may import other domain code', async () => {
  const messages = await restrictedImports('latency/ok.ts', "import type { ModelSpec } from '../dnn/spec/layer-spec.ts';\nexport type M = ModelSpec;\n");
  assert.deepEqual(messages, []);
});
