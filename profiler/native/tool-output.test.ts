// Parsers against saved outputs in each tool's format (fixtures/SOURCES.md): values
// checked against the numbers in the files, converted by hand to milliseconds.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { benchmarkModelParser, ortPerfTestParser, recogniseToolOutput, ToolOutputError, trtexecParser } from './tool-output.ts';
import { toolMeasurement } from './tool-measurement.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('benchmark_model output', () => {
  test('the timed run (second count= line) in ms; no median printed, so the avg', () => {
    const t = benchmarkModelParser.parse(fixture('benchmark_model-android.txt'), 'fixture');
    assert.deepEqual(t, { tool: 'benchmark_model', medianMs: 3.7529, meanMs: 3.7529, minMs: 3.641, maxMs: 4.41, count: 266, medianFrom: 'average' });
  });

  test("newer releases' median= is used as the median", () => {
    const text = 'count=10 first=900 curr=800 min=790 max=900 avg=820 std=30 p5=790 median=805 p95=900\nInference timings in us: Init: 1, First inference: 900, Warmup (avg): 900, Inference (avg): 820\n';
    const t = benchmarkModelParser.parse(text, 'inline');
    assert.equal(t.medianMs, 0.805);
    assert.equal(t.medianFrom, 'median');
  });

  test('cut off before the summary: error names the tool, the source and the last line', () => {
    const text = fixture('benchmark_model-truncated.txt');
    assert.ok(benchmarkModelParser.recognises(text));
    assert.throws(() => benchmarkModelParser.parse(text, 'adb:R58M1 case conv-k3'), (e: Error) =>
      e instanceof ToolOutputError && e.tool === 'benchmark_model' && /adb:R58M1 case conv-k3/.test(e.message) && /line 16/.test(e.message) && /Inference timings in us/.test(e.message));
  });

  test('a garbled statistics line names its line number', () => {
    const text = fixture('benchmark_model-android.txt').replace('count=266 first=3721 curr=3690 min=3641 max=4410', 'count=266 first=3721 curr=3690 min=?? max=4410');
    assert.throws(() => benchmarkModelParser.parse(text, 'f'), /line 17: expected a non-negative 'min=N'/);
  });
});

describe('trtexec output', () => {
  test('GPU Compute Time of the summary; count from the total compute time over the mean', () => {
    const t = trtexecParser.parse(fixture('trtexec-summary.txt'), 'f');
    assert.equal(t.medianMs, 0.316406);
    assert.equal(t.meanMs, 0.318634);
    assert.equal(t.minMs, 0.306152);
    assert.equal(t.maxMs, 0.558105);
    assert.equal(t.count, Math.round(2763.55 / 0.318634)); // 8673
  });

  test("older summaries without '=' on some values", () => {
    const t = trtexecParser.parse(fixture('trtexec-jetson-old.txt'), 'f');
    assert.deepEqual([t.minMs, t.maxMs, t.meanMs, t.medianMs, t.count], [3.18359, 3.89014, 3.62915, 3.71094, null]);
  });

  test('Latency: line when there is no GPU Compute Time line', () => {
    const text = fixture('trtexec-jetson-old.txt').split('\n').filter((l) => !l.includes('GPU Compute')).join('\n');
    assert.equal(trtexecParser.parse(text, 'f').medianMs, 5.90112);
  });

  test('a summary line with the median missing is an error on that line', () => {
    const text = fixture('trtexec-summary.txt').replace('median = 0.316406 ms, ', '');
    assert.throws(() => trtexecParser.parse(text, 'jetson'), (e: Error) => e instanceof ToolOutputError && /line 6: expected 'median = X ms'/.test(e.message));
  });

  test('no summary at all (engine build failed)', () => {
    assert.throws(() => trtexecParser.parse('[I] === Performance summary ===\n&&&& FAILED TensorRT.trtexec\n', 'f'), /trtexec output from f, line 3: expected a performance summary line/);
  });
});

describe('onnxruntime_perf_test output', () => {
  test('P50 in seconds becomes ms; requests are the count', () => {
    const t = ortPerfTestParser.parse(fixture('onnxruntime_perf_test-new.txt'), 'f');
    assert.ok(Math.abs(t.medianMs - 2.04881) < 1e-9);
    assert.equal(t.meanMs, 2.06291);
    assert.ok(Math.abs(t.minMs - 1.96312) < 1e-9);
    assert.ok(Math.abs(t.maxMs - 3.11094) < 1e-9);
    assert.equal(t.count, 200);
  });

  test("the older 'P50 Latency is X sec' form", () => {
    const t = ortPerfTestParser.parse(fixture('onnxruntime_perf_test-old.txt'), 'f');
    assert.ok(Math.abs(t.medianMs - 2.7801) < 1e-9);
    assert.equal(t.count, 500);
  });

  test('only the average: the median is the average, and says so', () => {
    const t = ortPerfTestParser.parse('Total inference requests: 10\nAverage inference time cost: 4.5 ms\n', 'f');
    assert.deepEqual([t.medianMs, t.minMs, t.maxMs, t.medianFrom], [4.5, 4.5, 4.5, 'average']);
  });

  test('percentiles cut off after Min', () => {
    const text = fixture('onnxruntime_perf_test-new.txt').split('\n').slice(0, 13).join('\n');
    assert.throws(() => ortPerfTestParser.parse(text, 'f'), /onnxruntime_perf_test output from f, line 14: expected all of 'Min Latency', 'Max Latency' and 'P50 Latency'/);
  });
});

test('each saved output is recognised by its own parser only', () => {
  const expected: Record<string, string> = {
    'benchmark_model-android.txt': 'benchmark_model',
    'trtexec-summary.txt': 'trtexec',
    'trtexec-jetson-old.txt': 'trtexec',
    'onnxruntime_perf_test-new.txt': 'onnxruntime_perf_test',
    'onnxruntime_perf_test-old.txt': 'onnxruntime_perf_test',
  };
  for (const [file, tool] of Object.entries(expected)) assert.equal(recogniseToolOutput(fixture(file))?.tool, tool, file);
  assert.equal(recogniseToolOutput('Segmentation fault (core dumped)\n'), undefined);
});

test('a measurement from trtexec timings: runner, case fields, repeats from the count', () => {
  const t = trtexecParser.parse(fixture('trtexec-summary.txt'), 'f');
  const m = toolMeasurement(t, { id: 'conv-k3', kind: 'conv', kernel: 3, macc: 1000 }, { backend: 'tensorrt', measuredAt: '2025-04-11T10:21:07Z', requestedRepeats: 100 });
  assert.equal(m.runner, 'trtexec');
  assert.equal(m.repeats, 8673);
  assert.equal(m.medianMs, 0.316406);
  assert.equal(m.p25Ms, m.medianMs);
  assert.equal(m.caseId, 'conv-k3');
});
