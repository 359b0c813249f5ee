/**
 * Builds a model spec from a foreign graph whose layers or nodes name their
 * inputs by the source's own names (Keras layer names, ONNX tensor names).
 * Shared by the importers: it gives every layer a unique id, maps source names
 * to spec ids (or to the model input), lets pass-through ops alias their input,
 * and leaves `inputs` out where it is the default (the previous layer).
 */
import type { InputShape, LayerSpec, ModelSpec } from '../spec/layer-spec.ts';
import { analyzeModel, MODEL_INPUT_ID } from '../spec/analyze.ts';
import { ModelSpecError } from '../spec/errors.ts';
import { ModelImportError } from './errors.ts';

export type LayerFields = Omit<LayerSpec, 'id' | 'inputs'>;

export class SpecBuilder {
  private readonly layers: LayerSpec[] = [];
  private readonly usedIds = new Set<string>([MODEL_INPUT_ID]);
  /** Source name → spec id of the layer (or the model input) that produces it. */
  private readonly producers = new Map<string, string>();
  /** Spec id → the source position it came from, to name it in errors found later. */
  private readonly positions = new Map<string, string>();

  constructor(private readonly fileName: string) {}

  /** Declares the source name of the model input. */
  setInput(sourceName: string): void {
    this.producers.set(sourceName, MODEL_INPUT_ID);
  }

  /** A pass-through (Identity, Dropout in inference, a layout transpose): `output` is `input`. */
  alias(output: string, input: string, position: string): void {
    this.producers.set(output, this.resolve(input, position));
  }

  has(sourceName: string): boolean {
    return this.producers.has(sourceName);
  }

  /** The spec id producing this source name; throws naming the position when none does. */
  resolve(sourceName: string, position: string): string {
    const id = this.producers.get(sourceName);
    if (id === undefined) {
      throw new ModelImportError(this.fileName, `input '${sourceName}' is not produced by the model input or an earlier layer`, position);
    }
    return id;
  }

  /** The spec layer with this id (to fold a later op into it, e.g. a MatMul's bias Add). */
  layer(id: string): LayerSpec | undefined {
    return this.layers.find((l) => l.id === id);
  }

  /**
   * The shape of the tensor a source name holds, from the layers added so far
   * (for importers whose ops depend on it, e.g. explicit pads equal to SAME).
   */
  shapeOf(sourceName: string, inputShape: InputShape, position: string): readonly number[] {
    const id = this.resolve(sourceName, position);
    if (id === MODEL_INPUT_ID) return inputShape;
    const analysis = analyzeModel({ name: 'partial', inputShape, layers: [...this.layers] });
    const layer = analysis.layers.find((l) => l.layer.id === id);
    return layer === undefined ? inputShape : layer.outputShape;
  }

  /**
   * Appends a layer reading the given source names; `output` becomes its source
   * name. Returns the spec id given to it (the preferred id, made unique).
   */
  add(preferredId: string, fields: LayerFields, inputs: readonly string[], output: string, position: string): string {
    const inputIds = inputs.map((name) => this.resolve(name, position));
    const id = this.uniqueId(preferredId);
    const previous = this.layers.length === 0 ? MODEL_INPUT_ID : this.layers[this.layers.length - 1].id;
    const layer: LayerSpec = { id, ...fields };
    if (!(inputIds.length === 1 && inputIds[0] === previous)) layer.inputs = inputIds;
    this.layers.push(orderKeys(layer));
    this.producers.set(output, id);
    this.positions.set(id, position);
    return id;
  }

  /** The finished spec, checked by analyzeModel so shape errors name the source position. */
  build(name: string, inputShape: InputShape): ModelSpec {
    if (this.layers.length === 0) throw new ModelImportError(this.fileName, 'the model has no layers the studio can model');
    const spec: ModelSpec = { name, inputShape, layers: this.layers };
    try {
      analyzeModel(spec);
    } catch (error) {
      if (!(error instanceof ModelSpecError)) throw error;
      const position = error.layerId === undefined ? undefined : this.positions.get(error.layerId);
      throw new ModelImportError(this.fileName, `the imported model is not consistent: ${error.message}`, position);
    }
    return spec;
  }

  private uniqueId(preferred: string): string {
    const base = preferred.length > 0 && preferred !== MODEL_INPUT_ID ? preferred : `layer_${this.layers.length}`;
    let id = base;
    for (let n = 2; this.usedIds.has(id); n++) id = `${base}_${n}`;
    this.usedIds.add(id);
    return id;
  }
}

/** Drops undefined fields and orders the keys id, type, inputs, then the hyper-parameters. */
function orderKeys(layer: LayerSpec): LayerSpec {
  const { id, type, inputs, ...rest } = layer;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  return inputs === undefined ? { id, type, ...defined } : { id, type, inputs, ...defined };
}
