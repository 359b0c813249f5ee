/** The CIFAR ResNet of dnn/models/resnet18.ts with `blocks` basic blocks per stage (1: a ResNet-10). */
import type { LayerSpec, ModelSpec } from '../../dnn/spec/layer-spec.ts';
import { builtinModel } from '../../dnn/models/builtin.ts';

export function resnetWithBlocks(blocks: 1 | 2, name: string): ModelSpec {
  const base = builtinModel('resnet18', 'cifar10');
  if (blocks === 2) return { ...base, name, layers: base.layers.map((l) => ({ ...l })) };
  // Block 2 of each stage (s?b2_*) is dropped; its successor block 1 of the next stage, and
  // the gap, then read from block 1's output, which the chain already passes on.
  const layers: LayerSpec[] = base.layers
    .filter((l) => !/^s\db2_/.test(l.id))
    .map((l) => ({ ...l, ...(l.inputs ? { inputs: l.inputs.map((i) => i.replace(/^(s\d)b2_relu2$/, '$1b1_relu2')) } : {}) }));
  return { name, inputShape: base.inputShape, layers };
}
