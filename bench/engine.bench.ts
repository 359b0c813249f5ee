/**
 * Forward throughput of the ModelSpec executor on the WASM backend against the
 * plain JavaScript cpu backend, measured in the same run: GMACC/s of vgg11 and
 * alexnet (CIFAR-10 input, batch 1) and the ratio. Prints; asserts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { describeBackend } from '../engine/backend-info.ts';
import type { BackendInfo } from '../engine/backend-info.ts';
import { builtinModel } from '../dnn/models/builtin.ts';
import type { BuiltinModelName } from '../dnn/models/builtin.ts';
import { SpecExecutor } from '../dnn/tfjs/spec-executor.ts';
import { initWeights } from '../dnn/tfjs/init-weights.ts';

const MODELS: BuiltinModelName[] = ['vgg11', 'alexnet'];

interface Result {
  model: BuiltinModelName;
  medianMs: number;
  gmaccPerS: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(info: BackendInfo, repeats: number): Result[] {
  return MODELS.map((model) => {
    const spec = builtinModel(model, 'cifar10');
    const executor = new SpecExecutor(spec, initWeights(spec, 1));
    const x = tf.randomNormal([1, ...spec.inputShape]) as tf.Tensor4D;
    const ms: number[] = [];
    for (let r = 0; r < 3 + repeats; r++) {
      const t0 = performance.now();
      const y = executor.predict(x);
      y.dataSync();
      if (r >= 3) ms.push(performance.now() - t0);
      y.dispose();
    }
    x.dispose();
    executor.dispose();
    const medianMs = median(ms);
    const gmaccPerS = executor.analysis.macc / (medianMs / 1000) / 1e9;
    console.log(`${info.description.padEnd(40)} ${model.padEnd(8)} ${(executor.analysis.macc / 1e6).toFixed(1).padStart(7)} MMACC  ${medianMs.toFixed(2).padStart(8)} ms  ${gmaccPerS.toFixed(2).padStart(6)} GMACC/s  (median of ${repeats})`);
    return { model, medianMs, gmaccPerS };
  });
}

const wasm = await initTfjsBackend({ prefer: 'wasm' });
const fast = measure(wasm, 30);
if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not start');
const slow = measure(describeBackend('cpu', false, 1), 5);
for (const [i, model] of MODELS.entries()) {
  console.log(`${model}: ${wasm.name} is ${(slow[i].medianMs / fast[i].medianMs).toFixed(1)}x faster than cpu`);
}
