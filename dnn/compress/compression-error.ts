/** Errors raised when a compression technique does not fit the layer it is applied to. */

/**
 * A technique applied where it does not fit, or with parameters out of range. The
 * message names the technique, the model, the layer (position and id) and why, e.g.
 * `C1 (MobileNet) on model "vgg11", layer 0 "conv1" (conv): the kernel is 1x1, ...`.
 */
export class CompressionError extends Error {
  readonly technique: string;
  readonly modelName: string;
  readonly layerIndex?: number;
  readonly layerId?: string;
  /** Why, without the technique and layer prefix. */
  readonly reason: string;

  constructor(technique: string, modelName: string, layer: { index?: number; id?: string; type?: string }, reason: string) {
    const index = layer.index === undefined ? 'layer' : `layer ${layer.index}`;
    const id = layer.id === undefined ? '' : ` "${layer.id}"`;
    const type = layer.type === undefined ? '' : ` (${layer.type})`;
    super(`${technique} on model "${modelName}", ${index}${id}${type}: ${reason}`);
    this.name = 'CompressionError';
    this.technique = technique;
    this.modelName = modelName;
    this.reason = reason;
    if (layer.index !== undefined) this.layerIndex = layer.index;
    if (layer.id !== undefined) this.layerId = layer.id;
  }
}
