// runNativeTool over the real LocalTransport. No native benchmark tool installs here
// (Debian has none), so fixtures/replay-benchmark-model.sh, a clearly named test
// fixture, checks the flags and the pushed TFLite file and prints a saved output.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LocalTransport } from '../../native-bridge/local-transport.ts';
import type { BenchPlan } from '../bench-plan.ts';
import type { Measurement } from '../measurement.ts';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import type { ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { NativeToolError, runNativeTool, toolCommand } from './run-tool.ts';

const REPLAY = new URL('./fixtures/replay-benchmark-model.sh', import.meta.url).pathname;

function plan(): BenchPlan {
  const specs: [string, ModelSpec][] = [
    ['conv-k3-i16x16x8-o16', { name: 'c3', inputShape: [16, 16, 8], layers: [{ id: 'c', type: 'conv', kernel: 3, outChannels: 16, padding: 'same' }] }],
    ['dw-k3-i16x16x8', { name: 'd3', inputShape: [16, 16, 8], layers: [{ id: 'd', type: 'depthwise', kernel: 3, padding: 'same' }] }],
  ];
  return {
    formatVersion: 1, suite: 'quick', warmup: 2, repeats: 20,
    cases: specs.map(([id, spec]) => ({ id, kind: spec.layers[0].type === 'conv' ? 'conv' : 'depthwise', kernel: 3, macc: analyzeModel(spec).macc, spec })),
  };
}

async function collect(it: AsyncGenerator<Measurement>): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for await (const m of it) out.push(m);
  return out;
}

describe('running a native tool on a device', () => {
  test('command lines carry the plan repeats, warmup and threads', () => {
    const p = { repeats: 50, warmup: 5 };
    assert.equal(toolCommand('benchmark_model', '/data/local/tmp/benchmark_model', '/data/local/tmp/edgetree/a.tflite', p, 4),
      "'/data/local/tmp/benchmark_model' --graph='/data/local/tmp/edgetree/a.tflite' --num_runs=50 --warmup_runs=5 --num_threads=4");
    assert.match(toolCommand('trtexec', 'trtexec', '/tmp/a.onnx', p, 1), /--onnx='\/tmp\/a\.onnx' --avgRuns=50/);
    assert.match(toolCommand('onnxruntime_perf_test', 'ort', '/tmp/a.onnx', p, 2), /-r 50 -x 2 '\/tmp\/a\.onnx'$/);
  });

  test('each case is exported, pushed, run and parsed into a measurement with its MACCs', async () => {
    const transport = new LocalTransport();
    try {
      const p = plan();
      const ms = await collect(runNativeTool(transport, p, { tool: 'benchmark_model', toolPath: REPLAY, remoteDir: '/tmp/edgetree-bench-test' }));
      assert.deepEqual(ms.map((m) => m.caseId), p.cases.map((c) => c.id));
      assert.equal(ms[0].macc, 3 * 3 * 8 * 16 * 16 * 16);
      assert.equal(ms[0].medianMs, 3.7529);
      assert.equal(ms[0].repeats, 266);
      assert.equal(ms[0].runner, 'tflite-benchmark-model');
      assert.equal(ms[1].kind, 'depthwise');
    } finally {
      await transport.close();
    }
  });

  test('a resumed run skips the cases already measured', async () => {
    const transport = new LocalTransport();
    try {
      const p = plan();
      const ms = await collect(runNativeTool(transport, p, { tool: 'benchmark_model', toolPath: REPLAY, skip: new Set([p.cases[0].id]) }));
      assert.deepEqual(ms.map((m) => m.caseId), [p.cases[1].id]);
    } finally {
      await transport.close();
    }
  });

  test('a missing tool names the tool, the device and the path', async () => {
    const transport = new LocalTransport();
    try {
      await assert.rejects(collect(runNativeTool(transport, plan(), { tool: 'benchmark_model', toolPath: '/nonexistent/benchmark_model' })),
        (e: Error) => e instanceof NativeToolError && /benchmark_model on device local: no executable at '\/nonexistent\/benchmark_model'/.test(e.message));
    } finally {
      await transport.close();
    }
  });

  test('a crashing tool: the error names the case and the signal, and no measurement is yielded for it', async () => {
    const transport = new LocalTransport();
    const got: string[] = [];
    process.env.REPLAY_CRASH = '1';
    try {
      await assert.rejects(async () => {
        for await (const m of runNativeTool(transport, plan(), { tool: 'benchmark_model', toolPath: REPLAY })) got.push(m.caseId);
      }, (e: Error) => e instanceof NativeToolError && /case conv-k3-i16x16x8-o16: exited with code 139 \(signal 11\)/.test(e.message) && /Segmentation fault/.test(e.message));
      assert.deepEqual(got, []);
    } finally {
      delete process.env.REPLAY_CRASH;
      await transport.close();
    }
  });
});
