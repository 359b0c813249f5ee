/** Errors raised while reading a model spec or slicing it into blocks. */

export interface ModelSpecErrorWhere {
  layerIndex?: number;
  layerId?: string;
  layerType?: string;
}

/**
 * A model spec that cannot be analysed. The message names the model, the layer
 * (position in the list and id) and what is wrong, e.g.
 * `model "vgg11", layer 3 "conv2" (conv): kernel 5 is larger than the padded input 4x4`.
 */
export class ModelSpecError extends Error {
  readonly modelName: string;
  readonly layerIndex?: number;
  readonly layerId?: string;
  /** The problem alone, without the model and layer prefix. */
  readonly problem: string;

  constructor(modelName: string, problem: string, where: ModelSpecErrorWhere = {}) {
    super(`${describeWhere(modelName, where)}: ${problem}`);
    this.name = 'ModelSpecError';
    this.modelName = modelName;
    this.problem = problem;
    if (where.layerIndex !== undefined) this.layerIndex = where.layerIndex;
    if (where.layerId !== undefined) this.layerId = where.layerId;
  }
}

function describeWhere(modelName: string, where: ModelSpecErrorWhere): string {
  const model = `model "${modelName}"`;
  if (where.layerIndex === undefined && where.layerId === undefined) return model;
  const index = where.layerIndex === undefined ? 'layer' : `layer ${where.layerIndex}`;
  const id = where.layerId === undefined ? '' : ` "${where.layerId}"`;
  const type = where.layerType === undefined ? '' : ` (${where.layerType})`;
  return `${model}, ${index}${id}${type}`;
}

/** Block boundaries or a block count that do not fit the model. */
export class BlockSliceError extends Error {
  readonly modelName: string;

  constructor(modelName: string, problem: string) {
    super(`model "${modelName}": ${problem}`);
    this.name = 'BlockSliceError';
    this.modelName = modelName;
  }
}
