import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.ts';

const home = mkdtempSync(join(tmpdir(), 'edgetree-cli-cal-'));
after(() => rmSync(home, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, env: { EDGETREE_HOME: home } });
  return { code, out, err };
}

test('calibrate --json prints one document with the profile id and per-group fit; progress goes to stderr; validate --json has the report shape', async () => {
  const cal = await run(['calibrate', '--device', 'local', '--suite', 'quick', '--cases-per-group', '2', '--no-transfer', '--json']);
  assert.equal(cal.code, 0, cal.out + cal.err);
  const doc = JSON.parse(cal.out) as { profileId: string; measured: number; total: number; fit: { layerType: string; points: number; r2: number; mapePct: number }[] };
  assert.equal(doc.measured, doc.total);
  // conv 1, 3, 5, 7; depthwise 3, 5, 7; fc.
  assert.equal(doc.fit.length, 8);
  assert.ok(doc.fit.every((g) => g.points === 2 && Number.isFinite(g.r2) && Number.isFinite(g.mapePct)));
  assert.match(cal.err, /calibration run \d+ on local/);

  const val = await run(['validate', '--device', 'local', '--profile', doc.profileId, '--model', 'alexnet', '--repeats', '3', '--json']);
  assert.equal(val.code, 0, val.out + val.err);
  const v = JSON.parse(val.out) as { models: { name: string; measuredMs: number; estimatedMs: number; errorPct: number }[]; within10Pct: number; within5Pct: number; mapePct: number; rmseMs: number };
  assert.deepEqual(Object.keys(v.models[0]).sort(), ['errorPct', 'estimatedMs', 'measuredMs', 'name']);
  assert.equal(v.models[0].name, 'alexnet');
  assert.equal(v.mapePct, Math.abs(v.models[0].errorPct));
  assert.ok(v.rmseMs >= 0 && v.within5Pct <= v.within10Pct);

  const show = await run(['profiles', 'show', doc.profileId, '--json']);
  assert.equal(show.code, 0);
  assert.equal((JSON.parse(show.out) as { fit: unknown[] }).fit.length, 8);
  const text = await run(['profiles', 'show', doc.profileId]);
  assert.match(text.out, /^runtime: tfjs-wasm \(tfjs-node wasm/m);
});

test('--runtime: an unknown one is a usage error naming the runtimes; tflite is refused, saying which tool times it', async () => {
  const bad = await run(['calibrate', '--device', 'local', '--runtime', 'onnx']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--runtime must be one of tfjs-wasm, tfjs-node, onnxruntime, tflite, tensorrt, got "onnx"/);
  const tflite = await run(['calibrate', '--device', 'local', '--runtime', 'tflite']);
  assert.notEqual(tflite.code, 0);
  assert.match(tflite.err, /runtime tflite: its models are timed by benchmark_model on the device; give its path there \(--tool PATH\)/);
  const help = await run(['calibrate', '--help']);
  assert.match(help.out, /--runtime RUNTIME +tfjs-wasm\|tfjs-node\|onnxruntime\|tflite\|tensorrt/);
});
