/**
 * Checks that weights imported for one spec (an ONNX file's) fit a studio spec
 * layer by layer, and hands them over keyed by the studio's ids: the two must
 * have the same layer ids and types in the same order and the same output shape
 * at every layer (so `padding: 2` for a stride-1 5x5 conv fits `'same'`).
 */
import { analyzeModel } from '../spec/analyze.ts';
import type { ModelSpec } from '../spec/layer-spec.ts';
import type { WeightSet } from '../tfjs/layer-weights.ts';
import { shapeSize, weightShapes } from '../tfjs/layer-weights.ts';

export class WeightAdoptionError extends Error {
  constructor(source: string, target: string, problem: string) {
    super(`weights of ${source} do not fit ${target}: ${problem}`);
    this.name = 'WeightAdoptionError';
  }
}

export function adoptWeights(source: { spec: ModelSpec; weights: WeightSet }, sourceName: string, target: ModelSpec, targetName: string): WeightSet {
  const fail = (problem: string): never => {
    throw new WeightAdoptionError(sourceName, targetName, problem);
  };
  const from = analyzeModel(source.spec).layers;
  const to = analyzeModel(target).layers;
  if (from.length !== to.length) fail(`${from.length} layers against ${to.length}`);
  const out: WeightSet = new Map();
  to.forEach((t, i) => {
    const s = from[i];
    const at = `layer ${i} '${t.layer.id}'`;
    if (s.layer.id !== t.layer.id || s.layer.type !== t.layer.type) fail(`${at}: the file has '${s.layer.id}' (${s.layer.type}), the model ${t.layer.type}`);
    if (s.outputShape.join('x') !== t.outputShape.join('x')) fail(`${at}: output ${s.outputShape.join('x')} against ${t.outputShape.join('x')}`);
    const w = source.weights.get(s.layer.id);
    const shapes = weightShapes(t);
    for (const [name, shape] of Object.entries(shapes)) {
      const values = w?.[name as keyof typeof w];
      if (values === undefined || values.length !== shapeSize(shape)) fail(`${at}: ${name} has ${values?.length ?? 0} values, needs [${shape.join(', ')}]`);
    }
    if (w !== undefined) out.set(t.layer.id, w);
  });
  return out;
}
