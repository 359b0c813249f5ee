/**
 * One module per model file format, Netron-style: each says whether it
 * recognises a file from its name and bytes, then opens it into a model spec.
 * Formats are pure: they are handed the bytes and never read files themselves.
 */
import type { ModelSpec } from '../spec/layer-spec.ts';

export type ModelFormatId = 'spec-json' | 'tfjs-layers' | 'onnx';

export interface ModelFormat {
  readonly id: ModelFormatId;
  readonly description: string;
  /** Cheap check (name, magic bytes, a JSON key) that decides which format opens the file. */
  recognises(fileName: string, bytes: Uint8Array): boolean;
  /** Parses the file; throws ModelImportError naming the file and the position of the problem. */
  open(fileName: string, bytes: Uint8Array): ModelSpec;
}
