/**
 * Training-step time of alexnet and vgg11 (CIFAR-10 shape, batch 32, softmax
 * cross-entropy, SGD) on WASM with the studio's gradient kernels
 * (engine/wasm-kernels/) against the plain cpu backend, in one run, as a ratio;
 * and the studio's Conv2DBackpropInput against the WASM backend's built-in one,
 * per kernel call and per vgg11 step. Prints; asserts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { describeBackend } from '../engine/backend-info.ts';
import { registerWasmTrainingKernels, useBuiltinWasmKernel } from '../engine/wasm-kernels/register-wasm-training-kernels.ts';
import { disposeSpecVariables, forwardSpec, makeSpecVariables } from '../engine/spec-variables.ts';
import { builtinModel } from '../dnn/models/builtin.ts';
import type { BuiltinModelName } from '../dnn/models/builtin.ts';

const BATCH = 32;
const MODELS: BuiltinModelName[] = ['alexnet', 'vgg11'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ms of `timed` SGD steps after `warmup` untimed ones. */
function stepMs(model: BuiltinModelName, warmup: number, timed: number, batch = BATCH): number {
  const spec = builtinModel(model, 'cifar10');
  const net = makeSpecVariables(spec, 1);
  const x = tf.randomNormal([batch, ...spec.inputShape]);
  const labels = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32') as tf.Tensor1D, 10);
  const optimizer = tf.train.sgd(0.01);
  const ms: number[] = [];
  for (let i = 0; i < warmup + timed; i++) {
    const t0 = performance.now();
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, forwardSpec(net, x)) as tf.Scalar, true) as tf.Scalar;
    loss.dataSync();
    if (i >= warmup) ms.push(performance.now() - t0);
    loss.dispose();
  }
  optimizer.dispose();
  tf.dispose([x, labels]);
  disposeSpecVariables(net);
  return median(ms);
}

/** Median ms of Conv2DBackpropInput on one shape, whichever kernel is registered. */
function backpropInputMs(dyShape: [number, number, number, number], filterShape: [number, number, number, number], inputShape: number[], stride: number): number {
  const dy = tf.randomNormal(dyShape);
  const filter = tf.randomNormal(filterShape);
  const ms: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { strides: [stride, stride], pad: 'same', dataFormat: 'NHWC', inputShape }) as tf.Tensor;
    dx.dataSync();
    if (i >= 1) ms.push(performance.now() - t0);
    dx.dispose();
  }
  tf.dispose([dy, filter]);
  return median(ms);
}

const wasm = await initTfjsBackend({ prefer: 'wasm' });
console.log(`backend: ${wasm.description}; training kernels: ${registerWasmTrainingKernels().join(', ')}`);

console.log('\nConv2DBackpropInput, batch 32 (median of 5): studio kernel vs the wasm built-in');
const shapes: { name: string; dy: [number, number, number, number]; filter: [number, number, number, number]; input: number[]; stride: number }[] = [
  { name: 'vgg11 conv2 16x16 64->128 3x3 s1', dy: [BATCH, 16, 16, 128], filter: [3, 3, 64, 128], input: [BATCH, 16, 16, 64], stride: 1 },
  { name: 'vgg11 conv4 8x8 256->256 3x3 s1', dy: [BATCH, 8, 8, 256], filter: [3, 3, 256, 256], input: [BATCH, 8, 8, 256], stride: 1 },
  { name: 'alexnet conv2 16x16 64->64 5x5 s1', dy: [BATCH, 16, 16, 64], filter: [5, 5, 64, 64], input: [BATCH, 16, 16, 64], stride: 1 },
  { name: 'resnet 16x16 128->256 3x3 s2', dy: [BATCH, 8, 8, 256], filter: [3, 3, 128, 256], input: [BATCH, 16, 16, 128], stride: 2 },
];
for (const s of shapes) {
  const ours = backpropInputMs(s.dy, s.filter, s.input, s.stride);
  useBuiltinWasmKernel('Conv2DBackpropInput');
  const builtin = backpropInputMs(s.dy, s.filter, s.input, s.stride);
  registerWasmTrainingKernels();
  console.log(`  ${s.name.padEnd(36)} studio ${ours.toFixed(1).padStart(7)} ms  built-in ${builtin.toFixed(1).padStart(7)} ms  (${(builtin / ours).toFixed(1)}x)`);
}

console.log(`\nTraining step, batch ${BATCH}, CIFAR-10 shape, SGD`);
const fast = new Map<BuiltinModelName, number>();
for (const model of MODELS) {
  const ms = stepMs(model, 1, 3);
  fast.set(model, ms);
  console.log(`  ${wasm.description.padEnd(40)} ${model.padEnd(8)} ${ms.toFixed(0).padStart(7)} ms/step (median of 3)`);
}
useBuiltinWasmKernel('Conv2DBackpropInput');
const vggBuiltin = stepMs('vgg11', 1, 2);
registerWasmTrainingKernels();
console.log(`  vgg11 with the built-in Conv2DBackpropInput: ${vggBuiltin.toFixed(0)} ms/step (median of 2) vs ${(fast.get('vgg11') as number).toFixed(0)} ms with the studio's`);

if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not start');
const cpu = describeBackend('cpu', false, 1);
// The cpu backend's gradient kernels are naive loops: a batch-32 alexnet step took 208 s here (vgg11 far
// longer), so it is timed on one step of CPU_BATCH images and scaled linearly to the batch.
const CPU_BATCH = 2;
for (const model of MODELS) {
  const ms = stepMs(model, 0, 1, CPU_BATCH) * (BATCH / CPU_BATCH);
  console.log(`  ${cpu.description.padEnd(40)} ${model.padEnd(8)} ${ms.toFixed(0).padStart(7)} ms/step (1 step of ${CPU_BATCH} images, x${BATCH / CPU_BATCH})`);
  console.log(`  ${model}: a training step on ${wasm.name} is ${(ms / (fast.get(model) as number)).toFixed(1)}x faster than on cpu`);
}
