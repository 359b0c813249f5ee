/**
 * Where a search gets its base model, pluggable variants and accuracy oracle: the
 * accuracy side's openSearchInputs (trained weights, distilled variants, the store's
 * accuracy memory pool). Injected into the search service so the service's contract
 * does not depend on how the inputs are made.
 */
import type { Database } from 'better-sqlite3';
import type { TechniqueId } from '../dnn/compress/technique.ts';
import type { DatasetName } from '../dnn/models/datasets.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import type { AccuracyOracle, VariantInfo } from '../search/problem.ts';
import type { SearchModelName, VariantSource } from '../api/search-api.ts';

export interface SearchInputsLike {
  base: ModelSpec;
  catalog: VariantInfo[];
  accuracy: AccuracyOracle;
  baseAccuracy: number;
  weightsId: string;
  /** Variant id to its key in the variant store (profiles/variant-repository.ts). */
  variantKeys: Record<string, string>;
}

export interface SearchInputsRequest {
  valImages?: number;
  techniques?: readonly TechniqueId[];
  /** Each variant's distillation budget (its store key includes it). */
  distillImages?: number;
  distillEpochs?: number;
  variants?: VariantSource;
  onProgress?: (p: { phase: string; done: number; total: number; detail?: string }) => void;
}

export type SearchInputsProvider = (db: Database, model: SearchModelName, dataset: DatasetName, opts: SearchInputsRequest) => Promise<SearchInputsLike>;
