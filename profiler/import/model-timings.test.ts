import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { modelTimingsFromToolOutputs, parseModelTimingsCsv } from './model-timings.ts';
import { MeasurementImportError } from './measurement-import-error.ts';

describe('whole-model timings CSV', () => {
  test('model and ms in any order and case, quoted fields, comments and blank lines skipped', () => {
    const csv = '# Pixel 6, benchmark_model\nMS,Model\n12.5,vgg11\n\n"3.25","resnet18-w0.5"\n# done\n';
    assert.deepEqual(parseModelTimingsCsv('pixel.csv', csv), [
      { model: 'vgg11', ms: 12.5, file: 'pixel.csv', line: 3, tool: null },
      { model: 'resnet18-w0.5', ms: 3.25, file: 'pixel.csv', line: 5, tool: null },
    ]);
  });

  const bad: [string, string, RegExp][] = [
    ['missing ms column', 'model,time\nvgg11,1\n', /t\.csv, line 1, column 'ms': required column missing/],
    ['unknown column', 'model,ms,notes\nvgg11,1,x\n', /line 1, column 'notes': unknown column/],
    ['negative ms', 'model,ms\nvgg11,1\nalexnet,-2\n', /t\.csv, line 3, column 'ms': must be a positive number of ms, got -2/],
    ['zero ms', 'model,ms\nvgg11,0\n', /line 2, column 'ms': must be a positive number of ms, got 0/],
    ['not a number', 'model,ms\nvgg11,fast\n', /line 2, column 'ms': 'fast' is not a number of ms/],
    ['infinite', 'model,ms\nvgg11,1e999\n', /line 2, column 'ms': '1e999' is not a number of ms/],
    ['empty model', 'model,ms\n,1\n', /line 2, column 'model': empty/],
    ['a model twice', 'model,ms\nvgg11,1\nvgg11,2\n', /line 3, column 'model': 'vgg11' is listed twice \(first on line 2\)/],
    ['short row', 'model,ms\nvgg11\n', /line 2: 1 fields, the header has 2/],
    ['header only', 'model,ms\n', /no timing rows/],
    ['empty file', '\n# nothing\n', /no header row/],
  ];
  for (const [what, csv, message] of bad) {
    test(`${what}: MeasurementImportError naming the file and line`, () => {
      assert.throws(() => parseModelTimingsCsv('t.csv', csv), (e: Error) => e instanceof MeasurementImportError && message.test(e.message));
    });
  }
});

describe('whole-model timings from saved tool outputs named by model', () => {
  const fixture = (name: string): string => readFileSync(new URL(`../native/fixtures/${name}`, import.meta.url), 'utf8');

  test("each file is its model's time: the tool's median, or its average when it prints none", () => {
    const rows = modelTimingsFromToolOutputs('saved', [
      { name: 'vgg11.txt', text: fixture('benchmark_model-android.txt') },
      { name: 'alexnet.log', text: fixture('trtexec-summary.txt') },
      { name: 'resnet18-w0.5.out', text: fixture('onnxruntime_perf_test-new.txt') },
    ]);
    assert.deepEqual(rows.map((r) => [r.model, r.ms, r.file, r.tool]), [
      ['alexnet', 0.316406, 'saved/alexnet.log', 'trtexec'],
      ['resnet18-w0.5', 2.04881, 'saved/resnet18-w0.5.out', 'onnxruntime_perf_test'],
      ['vgg11', 3.7529, 'saved/vgg11.txt', 'benchmark_model'],
    ]);
  });

  test('an output that does not parse rejects the folder, naming the file', () => {
    assert.throws(() => modelTimingsFromToolOutputs('saved', [
      { name: 'vgg11.txt', text: fixture('benchmark_model-android.txt') },
      { name: 'vgg8.txt', text: fixture('benchmark_model-truncated.txt') },
    ]), (e: Error) => e instanceof MeasurementImportError && /saved\/vgg8\.txt, line 16/.test(e.message));
    assert.throws(() => modelTimingsFromToolOutputs('saved', [{ name: 'vgg11.txt', text: 'hello\n' }]),
      (e: Error) => e instanceof MeasurementImportError && /saved\/vgg11\.txt: not the output of benchmark_model, trtexec or onnxruntime_perf_test/.test(e.message));
  });

  test('two outputs of one model, or none at all, are refused', () => {
    assert.throws(() => modelTimingsFromToolOutputs('saved', [
      { name: 'vgg11.txt', text: fixture('benchmark_model-android.txt') },
      { name: 'vgg11.log', text: fixture('trtexec-summary.txt') },
    ]), /'vgg11' has two saved outputs \(vgg11\.log and vgg11\.txt\)/);
    assert.throws(() => modelTimingsFromToolOutputs('saved', []), /no saved tool outputs/);
  });
});
