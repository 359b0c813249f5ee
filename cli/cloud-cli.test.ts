import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { builtinModel } from '../dnn/models/builtin.ts';
import { initWeights } from '../dnn/tfjs/init-weights.ts';
import { SpecExecutor } from '../dnn/tfjs/spec-executor.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { loadBaseWeights } from '../cloud/base-weights.ts';
import { writeWeightSetFile, readWeightSetFile } from '../cloud/weight-set-file.ts';
import { offloadInference } from '../cloud/offload-client.ts';
import { localLogits, maxAbsDiff, splitRequest } from '../cloud/testing/split-request.ts';
import { createCliHome } from './run-cli.ts';

const BIN = new URL('../bin/edgetree.mjs', import.meta.url).pathname;
const shipped = loadBaseWeights('alexnet', 'cifar10');
const spec = shipped.spec;
const dir = mkdtempSync(join(tmpdir(), 'edgetree-cloud-cli-'));
const cli = createCliHome();

before(async () => {
  await initTfjsBackend();
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  cli.dispose();
});

interface ServeSummary { url: string; token: string; backend: string; models: string[]; weights: { trained: boolean; warning?: string; source: string } }

/** Starts `edgetree cloud serve ... --json`, waits for its JSON summary, and returns it with a stop() that sends SIGTERM and resolves the exit code. */
async function serve(...args: string[]): Promise<{ summary: ServeSummary; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'cloud', 'serve', '--port', '0', '--json', ...args], { env: { ...process.env, EDGETREE_HOME: cli.home }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const summary = await new Promise<ServeSummary>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no summary within 60 s: ${out} ${err}`)); }, 60_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      try {
        resolve(JSON.parse(out) as ServeSummary);
        clearTimeout(timer);
      } catch {
        // the document is not complete yet
      }
    });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`exited ${code} before serving: ${out} ${err}`)); });
  });
  return { summary, stop: () => { child.kill('SIGTERM'); return exited; } };
}

async function roundTrip(summary: ServeSummary, weights: WeightSet): Promise<number> {
  const device = new SpecExecutor(spec, weights);
  const x = tf.randomNormal([1, ...spec.inputShape], 0, 1, 'float32', 8) as tf.Tensor4D;
  const request = splitRequest(device, 'alexnet/cifar10', 6, x);
  const expected = localLogits(device, x);
  x.dispose();
  device.dispose();
  const answer = await offloadInference(summary.url, summary.token, request, { timeoutMs: 20_000 });
  return maxAbsDiff(answer.logits, expected);
}

describe('edgetree cloud serve', () => {
  test('without --weights: the shipped trained model, a generated token, answers that match a device using loadBaseWeights; SIGTERM stops it with 0', async () => {
    const { summary, stop } = await serve('--model', 'alexnet', '--dataset', 'cifar10');
    assert.deepEqual(summary.models, ['alexnet/cifar10']);
    assert.equal(summary.weights.trained, true);
    assert.match(summary.weights.source, /^trained-models\/cifar10\/alexnet\.etw \(width 0\.5, \d+\.\d\d% on 10000 test images\)$/);
    assert.equal(summary.weights.warning, undefined);
    assert.ok(summary.token.length >= 32, 'a generated token');
    assert.match(summary.backend, /^(wasm|tensorflow)/);
    assert.ok(await roundTrip(summary, shipped.weights) <= 1e-5);
    assert.equal(await stop(), 0);
  });

  test('--weights FILE and --token: the file is served (its answers differ from the seeded default)', async () => {
    const file = join(dir, 'alexnet.etw');
    const weights = initWeights(spec, 5);
    writeWeightSetFile(file, spec.name, weights);
    assert.equal(readWeightSetFile(file, spec.name).get('fc1')?.kernel?.length, weights.get('fc1')?.kernel?.length);
    const { summary, stop } = await serve('--model', 'alexnet', '--dataset', 'cifar10', '--weights', file, '--token', 'given-token');
    assert.equal(summary.token, 'given-token');
    assert.deepEqual(summary.weights, { source: file, trained: true });
    assert.ok(await roundTrip(summary, weights) <= 1e-5);
    assert.ok(await roundTrip(summary, shipped.weights) > 1e-3, 'other weights give other answers');
    assert.equal(await stop(), 0);
  });

  test('bad usage and a weights file for another model are refused with exit codes 2 and 1', () => {
    const r = cli.run('cloud', 'serve', '--model', 'vgg19', '--dataset', 'cifar10', '--json');
    assert.equal(r.code, 2);
    assert.match(r.json<{ error: { message: string } }>().error.message, /--model must be one of vgg11, alexnet, resnet18, got "vgg19"/);
    const file = join(dir, 'vgg.etw');
    const vgg = builtinModel('vgg11', 'cifar10');
    writeWeightSetFile(file, vgg.name, initWeights(vgg, 1));
    const r2 = cli.run('cloud', 'serve', '--model', 'alexnet', '--dataset', 'cifar10', '--weights', file, '--json');
    assert.equal(r2.code, 1);
    assert.match(r2.json<{ error: { name: string; message: string } }>().error.message, /holds weights for model "vgg11", not "alexnet"/);
    // Full-width alexnet weights do not fit the shipped width-0.5 spec the bundles are cut from.
    const wide = join(dir, 'alexnet-w1.etw');
    const full = builtinModel('alexnet', 'cifar10');
    writeWeightSetFile(wide, full.name, initWeights(full, 1));
    const r3 = cli.run('cloud', 'serve', '--model', 'alexnet', '--dataset', 'cifar10', '--weights', wide, '--json');
    assert.equal(r3.code, 1);
    assert.match(r3.json<{ error: { name: string; message: string } }>().error.message, /alexnet-w1\.etw do not fit alexnet\/cifar10 as served .*: layer 0 'conv1': kernel has \d+ values/);
  });
});
