/**
 * The measured-versus-estimated validation set: the three base models on CIFAR-10 and
 * compressed variants built from the same layer specs (width multipliers, depthwise-
 * separable replacements of convs, smaller FC layers, fewer blocks), as nn-Meter checks
 * a latency predictor on many variants of a few architectures. Pure: specs only.
 */
import type { LayerSpec, ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { builtinModel } from '../../dnn/models/builtin.ts';
import { resnetWithBlocks } from './resnet-blocks.ts';

/** Scales every conv's and every hidden FC's width (the classifier keeps its classes); at least 1 channel. */
export function withWidth(spec: ModelSpec, multiplier: number, name: string): ModelSpec {
  const lastFc = lastIndexOfType(spec, 'fc');
  const layers = spec.layers.map((l, i): LayerSpec => {
    if ((l.type === 'conv' || (l.type === 'fc' && i !== lastFc)) && l.outChannels !== undefined) {
      return { ...l, outChannels: Math.max(1, Math.round(l.outChannels * multiplier)) };
    }
    return { ...l };
  });
  return { name, inputShape: spec.inputShape, layers };
}

/**
 * Replaces each conv with kernel > 1 (except the first, on the 3-channel input) by a
 * 3x3 depthwise conv of the same stride (MobileNet style: the profile's plan times 3x3
 * depthwise) followed by a 1x1 conv; the 1x1 keeps the original id so later layers'
 * inputs still resolve.
 */
export function withDepthwiseSeparable(spec: ModelSpec, name: string): ModelSpec {
  const firstConv = spec.layers.findIndex((l) => l.type === 'conv');
  const layers: LayerSpec[] = [];
  spec.layers.forEach((l, i) => {
    if (l.type !== 'conv' || i === firstConv || (l.kernel ?? 1) <= 1) {
      layers.push({ ...l });
      return;
    }
    const padding = l.padding === 'same' ? 'same' : 1;
    const dw: LayerSpec = { id: `${l.id}_dw`, type: 'depthwise', kernel: 3, stride: l.stride, padding, useBias: false };
    if (l.inputs) dw.inputs = l.inputs;
    const pw: LayerSpec = { id: l.id, type: 'conv', kernel: 1, stride: 1, padding: 0, outChannels: l.outChannels };
    if (l.useBias === false) pw.useBias = false;
    layers.push(dw, pw);
  });
  return { name, inputShape: spec.inputShape, layers };
}

/** Sets the hidden FC layers (all but the classifier) to `widths` in order. */
export function withFcWidths(spec: ModelSpec, widths: readonly number[], name: string): ModelSpec {
  const lastFc = lastIndexOfType(spec, 'fc');
  let next = 0;
  const layers = spec.layers.map((l, i): LayerSpec => {
    if (l.type === 'fc' && i !== lastFc && next < widths.length) return { ...l, outChannels: widths[next++] };
    return { ...l };
  });
  return { name, inputShape: spec.inputShape, layers };
}

/** VGG-11 with some 3x3 convs (and their bn/relu) dropped: `keep` lists the conv numbers kept (1..8). */
export function vggWithConvs(keep: readonly number[], name: string): ModelSpec {
  const base = builtinModel('vgg11', 'cifar10');
  const dropped = new Set<string>();
  for (let n = 1; n <= 8; n++) {
    if (!keep.includes(n)) ['conv', 'bn', 'relu'].forEach((p) => dropped.add(`${p}${n}`));
  }
  return { name, inputShape: base.inputShape, layers: base.layers.filter((l) => !dropped.has(l.id)).map((l) => ({ ...l })) };
}

function lastIndexOfType(spec: ModelSpec, type: LayerSpec['type']): number {
  for (let i = spec.layers.length - 1; i >= 0; i--) if (spec.layers[i].type === type) return i;
  return -1;
}

/** The built-in validation set (21 models on CIFAR-10), in a stable order. */
export function validationModels(): ModelSpec[] {
  const vgg = builtinModel('vgg11', 'cifar10');
  const alex = builtinModel('alexnet', 'cifar10');
  const res = builtinModel('resnet18', 'cifar10');
  const vgg8 = vggWithConvs([1, 2, 3, 5, 7], 'vgg8');
  const res10 = resnetWithBlocks(1, 'resnet10');
  const models: ModelSpec[] = [vgg, alex, res];
  for (const [base, short] of [[vgg, 'vgg11'], [alex, 'alexnet'], [res, 'resnet18']] as const) {
    models.push(withWidth(base, 0.5, `${short}-w0.5`), withWidth(base, 0.25, `${short}-w0.25`));
  }
  models.push(
    withDepthwiseSeparable(vgg, 'vgg11-dws'),
    withDepthwiseSeparable(alex, 'alexnet-dws'),
    withDepthwiseSeparable(res, 'resnet18-dws'),
    withDepthwiseSeparable(withWidth(vgg, 0.5, ''), 'vgg11-w0.5-dws'),
    withDepthwiseSeparable(withWidth(res, 0.5, ''), 'resnet18-w0.5-dws'),
    withFcWidths(vgg, [256, 256], 'vgg11-fc256'),
    withFcWidths(vgg, [128, 64], 'vgg11-fc128'),
    withFcWidths(alex, [192, 96], 'alexnet-fc-half'),
    vgg8,
    withWidth(vgg8, 0.5, 'vgg8-w0.5'),
    res10,
    withWidth(res10, 0.5, 'resnet10-w0.5'),
  );
  return models;
}

/** The validation-set model of this name (built for CIFAR-10, as the set is), or undefined. */
export function validationModel(name: string): ModelSpec | undefined {
  return validationModels().find((m) => m.name === name);
}
