/** The model file formats the studio imports, and the one entry point that picks among them. */
import type { ModelSpec } from '../spec/layer-spec.ts';
import type { ModelFormat } from './model-format.ts';
import { ModelImportError } from './errors.ts';
import { specJsonFormat } from './spec-json.ts';
import { tfjsLayersFormat } from './tfjs-layers.ts';
import { onnxFormat } from './onnx.ts';

/** Asked in this order; the studio's own JSON first, since it is the strictest check. */
export const MODEL_FORMATS: readonly ModelFormat[] = [specJsonFormat, tfjsLayersFormat, onnxFormat];

export interface ImportedModel {
  format: ModelFormat['id'];
  spec: ModelSpec;
}

/**
 * Opens a model file with the first format that recognises it. Throws
 * ModelImportError naming the file and the formats tried when none does, and
 * the format's own ModelImportError when the file is recognised but broken.
 */
export function importModelFile(fileName: string, bytes: Uint8Array): ImportedModel {
  const format = MODEL_FORMATS.find((f) => f.recognises(fileName, bytes));
  if (format === undefined) {
    const tried = MODEL_FORMATS.map((f) => `${f.id} (${f.description})`).join('; ');
    throw new ModelImportError(fileName, `not a model file the studio recognises; tried ${tried}`);
  }
  return { format: format.id, spec: format.open(fileName, bytes) };
}
