import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importMeasurementsCsv } from './measurements-csv.ts';
import { importToolOutputs } from './tool-outputs-import.ts';
import { MeasurementImportError } from './measurement-import-error.ts';
import type { BenchCase } from '../bench-plan.ts';

const AT = '2025-01-01T00:00:00Z';

describe('measurements CSV', () => {
  test('required and optional columns in any order and case; quoted backend; empty kernel is none', () => {
    const csv = [
      '# taken on a Pixel 6 with benchmark_model',
      'Median_MS,KIND,kernel,macc,p25_ms,p75_ms,min_ms,max_ms,repeats,backend,case_id',
      '1.25,conv,3,2359296,1.2,1.3,1.1,1.9,50,"xnnpack, 1 thread",conv-a',
      '0.5,fc,,1024000,,,,,,,',
    ].join('\n');
    const ms = importMeasurementsCsv('pixel.csv', csv, AT);
    assert.equal(ms.length, 2);
    assert.deepEqual(ms[0], { caseId: 'conv-a', kind: 'conv', kernel: 3, macc: 2359296, medianMs: 1.25, p25Ms: 1.2, p75Ms: 1.3, minMs: 1.1, maxMs: 1.9, repeats: 50, runner: 'imported-csv', backend: 'xnnpack, 1 thread', measuredAt: AT });
    assert.deepEqual(ms[1], { caseId: 'fc-k--1024000-line4', kind: 'fc', kernel: null, macc: 1024000, medianMs: 0.5, p25Ms: 0.5, p75Ms: 0.5, minMs: 0.5, maxMs: 0.5, repeats: 1, runner: 'imported-csv', backend: 'unknown', measuredAt: AT });
  });

  const bad: [string, string, RegExp][] = [
    ['missing column', 'kind,kernel,median_ms\nconv,3,1.0\n', /bad\.csv, line 1, column 'macc': required column missing/],
    ['non-numeric', 'kind,kernel,macc,median_ms\nconv,3,100,1.0\nconv,3,abc,1.0\n', /line 3, column 'macc': 'abc' is not a number/],
    ['negative time', 'kind,kernel,macc,median_ms\nconv,3,100,-2\n', /line 2, column 'median_ms': -2 is negative/],
    ['unknown kind', 'kind,kernel,macc,median_ms\nconv,3,100,1\nlstm,,100,1\n', /line 3, column 'kind': unknown kind 'lstm'/],
    ['short row', 'kind,kernel,macc,median_ms\nconv,3,100\n', /line 2: 3 fields, the header has 4/],
    ['min above median', 'kind,kernel,macc,median_ms,min_ms\nconv,3,100,1,2\n', /column 'min_ms': 2 is above the median 1/],
    ['header only', 'kind,kernel,macc,median_ms\n', /no measurement rows/],
  ];
  for (const [what, csv, message] of bad) {
    test(`${what}: MeasurementImportError naming file, line and column; nothing returned`, () => {
      assert.throws(() => importMeasurementsCsv('bad.csv', csv, AT), (e: Error) => e instanceof MeasurementImportError && message.test(e.message));
    });
  }
});

describe('saved tool outputs named by case id', () => {
  const fixture = (name: string): string => readFileSync(new URL(`../native/fixtures/${name}`, import.meta.url), 'utf8');
  const spec = { name: 'x', inputShape: [16, 16, 64] as const, layers: [] };
  const cases: BenchCase[] = [
    { id: 'conv-k3', kind: 'conv', kernel: 3, macc: 18874368, spec },
    { id: 'conv-k1', kind: 'conv', kernel: 1, macc: 2097152, spec },
  ];

  test('each file becomes the measurement of its case, runner from the tool', () => {
    const ms = importToolOutputs('saved', [
      { name: 'conv-k3.txt', text: fixture('benchmark_model-android.txt') },
      { name: 'conv-k1.log', text: fixture('trtexec-summary.txt') },
    ], cases, AT);
    assert.deepEqual(ms.map((m) => [m.caseId, m.runner, m.kernel, m.macc, m.medianMs]), [
      ['conv-k1', 'trtexec', 1, 2097152, 0.316406],
      ['conv-k3', 'tflite-benchmark-model', 3, 18874368, 3.7529],
    ]);
  });

  test('a truncated output rejects the import, naming the file and line', () => {
    assert.throws(() => importToolOutputs('saved', [
      { name: 'conv-k1.txt', text: fixture('trtexec-summary.txt') },
      { name: 'conv-k3.txt', text: fixture('benchmark_model-truncated.txt') },
    ], cases, AT), (e: Error) => e instanceof MeasurementImportError && /saved\/conv-k3\.txt, line 16/.test(e.message));
  });

  test('a file named for no case of the plan', () => {
    assert.throws(() => importToolOutputs('saved', [{ name: 'conv-k9.txt', text: fixture('trtexec-summary.txt') }], cases, AT), /'conv-k9' is not a case of the plan/);
  });
});
