import type { LayerSpec, Padding, TensorShape } from './layer-spec.ts';
import { ModelSpecError } from './errors.ts';

/** What one layer produces and costs, given its input shapes. */
export interface LayerInference {
  outputShape: TensorShape;
  /** Multiply-accumulates: paper Eq. 4 (conv), Eq. 5 (FC); 0 for every other type. */
  macc: number;
  /** Trainable plus non-trainable weights, counted as Keras counts them. */
  params: number;
}

/** The model and position of the layer, for error messages. */
export interface LayerContext {
  modelName: string;
  layerIndex: number;
}

/**
 * Infers the output shape, MACCs and parameters of one layer.
 * Feature maps are [H, W, C], vectors [N]. Spatial output size per axis:
 * padding 'same' gives ceil(in / stride) (TensorFlow SAME); a number p gives
 * floor((in + 2p - k) / stride) + 1.
 */
export function inferLayer(ctx: LayerContext, layer: LayerSpec, inputShapes: TensorShape[]): LayerInference {
  const fail = (problem: string): never => {
    throw new ModelSpecError(ctx.modelName, problem, { layerIndex: ctx.layerIndex, layerId: layer.id, layerType: layer.type });
  };
  const input = inputShapes[0];
  switch (layer.type) {
    case 'conv':
      return inferConv(layer, feature(input, fail), fail);
    case 'depthwise':
      return inferDepthwise(layer, feature(input, fail), fail);
    case 'fc':
      return inferFc(layer, input, fail);
    case 'maxpool':
    case 'avgpool':
      return inferPool(layer, feature(input, fail), fail);
    case 'gap': {
      const [, , c] = feature(input, fail);
      return { outputShape: [c], macc: 0, params: 0 };
    }
    case 'bn':
      // gamma, beta, moving mean and moving variance per channel.
      return { outputShape: input, macc: 0, params: 4 * input[input.length - 1] };
    case 'activation':
      return { outputShape: input, macc: 0, params: 0 };
    case 'dropout':
      if (layer.rate !== undefined && !(layer.rate >= 0 && layer.rate < 1)) fail(`dropout rate ${layer.rate} is not in [0, 1)`);
      return { outputShape: input, macc: 0, params: 0 };
    case 'flatten':
      return { outputShape: [input.reduce((p, d) => p * d, 1)], macc: 0, params: 0 };
    case 'add':
      return inferAdd(inputShapes, fail);
    case 'concat':
      return inferConcat(inputShapes, fail);
  }
}

type Fail = (problem: string) => never;
type Feature = readonly [number, number, number];

function feature(shape: TensorShape, fail: Fail): Feature {
  if (shape.length !== 3) fail(`needs an HxWxC feature map, got shape [${shape.join(', ')}]`);
  return [shape[0], shape[1], shape[2]];
}

function positiveInt(value: number | undefined, field: string, fail: Fail): number {
  if (value === undefined) return fail(`missing ${field}`);
  if (!Number.isInteger(value) || value < 1) return fail(`${field} must be a positive integer, got ${value}`);
  return value;
}

function optionalPositiveInt(value: number | undefined, fallback: number, field: string, fail: Fail): number {
  return value === undefined ? fallback : positiveInt(value, field, fail);
}

function checkPadding(padding: Padding, fail: Fail): Padding {
  if (padding !== 'same' && !(Number.isInteger(padding) && padding >= 0)) {
    fail(`padding must be 'same' or a non-negative integer, got ${String(padding)}`);
  }
  return padding;
}

/** Output size along one spatial axis. */
function outSize(inSize: number, kernel: number, stride: number, padding: Padding, axis: string, fail: Fail): number {
  if (padding === 'same') return Math.ceil(inSize / stride);
  const padded = inSize + 2 * padding;
  if (kernel > padded) fail(`kernel ${kernel} is larger than the padded input ${axis} ${padded} (input ${inSize}, padding ${padding})`);
  return Math.floor((padded - kernel) / stride) + 1;
}

function spatial(layer: LayerSpec, [h, w]: Feature, defaultStride: 'one' | 'kernel', fail: Fail): { k: number; hOut: number; wOut: number } {
  const k = positiveInt(layer.kernel, 'kernel', fail);
  const s = optionalPositiveInt(layer.stride, defaultStride === 'one' ? 1 : k, 'stride', fail);
  const p = checkPadding(layer.padding ?? 0, fail);
  return { k, hOut: outSize(h, k, s, p, 'height', fail), wOut: outSize(w, k, s, p, 'width', fail) };
}

function inferConv(layer: LayerSpec, input: Feature, fail: Fail): LayerInference {
  const cIn = input[2];
  const cOut = positiveInt(layer.outChannels, 'outChannels', fail);
  const groups = optionalPositiveInt(layer.groups, 1, 'groups', fail);
  if (cIn % groups !== 0) fail(`input channels ${cIn} are not divisible by groups ${groups}`);
  if (cOut % groups !== 0) fail(`output channels ${cOut} are not divisible by groups ${groups}`);
  const { k, hOut, wOut } = spatial(layer, input, 'one', fail);
  const weights = k * k * (cIn / groups) * cOut;
  return {
    outputShape: [hOut, wOut, cOut],
    macc: weights * hOut * wOut, // Eq. 4, each output channel sees C_in / groups inputs
    params: weights + (layer.useBias === false ? 0 : cOut),
  };
}

function inferDepthwise(layer: LayerSpec, input: Feature, fail: Fail): LayerInference {
  const cIn = input[2];
  const multiplier = optionalPositiveInt(layer.depthMultiplier, 1, 'depthMultiplier', fail);
  const cOut = cIn * multiplier;
  if (layer.outChannels !== undefined && layer.outChannels !== cOut) {
    fail(`outChannels ${layer.outChannels} differs from input channels ${cIn} x depth multiplier ${multiplier} = ${cOut}`);
  }
  const { k, hOut, wOut } = spatial(layer, input, 'one', fail);
  const weights = k * k * cOut;
  return {
    outputShape: [hOut, wOut, cOut],
    macc: weights * hOut * wOut, // K*K*C_in*H_out*W_out, times the depth multiplier
    params: weights + (layer.useBias === false ? 0 : cOut),
  };
}

function inferFc(layer: LayerSpec, input: TensorShape, fail: Fail): LayerInference {
  if (input.length !== 1) fail(`fc needs a flat input, got shape [${input.join(', ')}] (add a flatten or gap layer before it)`);
  const cIn = input[0];
  const cOut = positiveInt(layer.outChannels, 'outChannels', fail);
  return { outputShape: [cOut], macc: cIn * cOut, params: cIn * cOut + (layer.useBias === false ? 0 : cOut) };
}

function inferPool(layer: LayerSpec, input: Feature, fail: Fail): LayerInference {
  const { hOut, wOut } = spatial(layer, input, 'kernel', fail);
  return { outputShape: [hOut, wOut, input[2]], macc: 0, params: 0 };
}

function inferAdd(shapes: TensorShape[], fail: Fail): LayerInference {
  const first = shapes[0];
  shapes.forEach((shape, i) => {
    if (shape.length !== first.length || shape.some((d, axis) => d !== first[axis])) {
      fail(`add of mismatched shapes: input 0 is [${first.join(', ')}], input ${i} is [${shape.join(', ')}]`);
    }
  });
  return { outputShape: first, macc: 0, params: 0 };
}

/** Concatenates along the last (channel) axis; all other axes must agree. */
function inferConcat(shapes: TensorShape[], fail: Fail): LayerInference {
  const first = shapes[0];
  const last = first.length - 1;
  let channels = 0;
  shapes.forEach((shape, i) => {
    if (shape.length !== first.length || shape.some((d, axis) => axis !== last && d !== first[axis])) {
      fail(`concat needs inputs that differ only in channels: input 0 is [${first.join(', ')}], input ${i} is [${shape.join(', ')}]`);
    }
    channels += shape[last];
  });
  return { outputShape: [...first.slice(0, last), channels], macc: 0, params: 0 };
}
