/** A spec that a native exporter cannot write: names the format, model, layer and the problem. */
export class ModelExportError extends Error {
  constructor(format: 'ONNX' | 'TFLite', modelName: string, layerId: string | null, problem: string) {
    super(`cannot export model '${modelName}' to ${format}${layerId === null ? '' : ` (layer '${layerId}')`}: ${problem}`);
    this.name = 'ModelExportError';
  }
}
