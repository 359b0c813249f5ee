/**
 * The search part of the studio's typed API (issue 5): search runs (one method on a base
 * model, a device and a cloud profile, per trace its bandwidth types) and emulation runs
 * (searched models replayed over traces, paper Table IV). Both are long jobs: started,
 * then polled; their results are stored as runs.
 */
import type { DatasetName } from '../dnn/models/datasets.ts';
import type { TechniqueId } from '../dnn/compress/technique.ts';
import type { EmulationTable } from '../search/emulate.ts';
import type { ModelTree, TreeNode } from '../search/model-tree.ts';
import type { Composition } from '../search/problem.ts';
import type { SearchMethodName, SurgeryDecision, TypeBranch } from '../search/search-methods.ts';
import type { EpisodeRecord } from '../search/tree-search.ts';
import type { JobProgress } from './calibration-api.ts';

export type { EmulationTable, ModelTree, TreeNode, SearchMethodName, SurgeryDecision, EpisodeRecord };

/**
 * Who trained the compressed blocks a search chooses from: the studio's own distillation
 * (with the budget below), or recipes/pytorch/distill_variants.py, brought in with
 * `edgetree variants import` (every block the techniques make must have been imported).
 */
export const VARIANT_SOURCES = ['studio', 'recipe'] as const;
export type VariantSource = (typeof VARIANT_SOURCES)[number];

export function isVariantSource(value: unknown): value is VariantSource {
  return typeof value === 'string' && (VARIANT_SOURCES as readonly string[]).includes(value);
}

/** The base models with trained weights the search runs on. */
export const SEARCH_MODELS = ['vgg11', 'alexnet'] as const;
export type SearchModelName = (typeof SEARCH_MODELS)[number];

export const DEFAULT_SEARCH_BLOCKS = 3;
export const DEFAULT_SEARCH_CONTEXTS = 2;
export const DEFAULT_SEARCH_EPISODES = 60;
export const DEFAULT_VAL_IMAGES = 2000;
export const DEFAULT_EMULATION_OFFSETS = 50;

export interface StartSearchRequest {
  model: SearchModelName;
  dataset: DatasetName;
  /** The device's profile (edge compute and transfer lines). */
  profileId: string;
  /** The cloud's profile (`edgetree calibrate --device local` makes one for this computer). */
  cloudProfileId: string;
  /** Stored traces; each gets its own search at its own bandwidth types. */
  traceIds: string[];
  method: SearchMethodName;
  /** Blocks N of the tree (default 3). */
  blocks?: number;
  /** Bandwidth types K per trace, from its quantiles (default 2: lower and upper quartile). */
  contexts?: number;
  /** Episodes of the tree stage and of each branch search (default 60). */
  episodes?: number;
  seed?: number;
  /** Validation images per accuracy evaluation (default 2000). */
  valImages?: number;
  /** Compression techniques whose variants are searched (default all of Table II). */
  techniques?: TechniqueId[];
  /**
   * Training images and epochs of each variant's distillation (default 2048 and 4, as the sweep's).
   * More images cost time once per variant and lose less accuracy on harder data (CIFAR-10).
   */
  distillImages?: number;
  distillEpochs?: number;
  /** Default 'studio'. */
  variants?: VariantSource;
}

export interface SearchParams extends Required<StartSearchRequest> {
  /** The device the profile was fitted for. */
  deviceId: string;
}

/** One complete model of a result: a tree's branch, or a fixed model. */
export interface SearchBranchRow {
  /** Bandwidth type per block along the path ([] for a fixed model). */
  levels: number[];
  /** Layers [0, cut) on the device (cut = L: all on the device). */
  cut: number;
  layerCount: number;
  variants: { id: string; technique: TechniqueId }[];
  /** The rate the reward assumed, Mbit/s. */
  bandwidthMbps: number;
  edgeMs: number;
  transferMs: number;
  cloudMs: number;
  latencyMs: number;
  accuracy: number;
  reward: number;
}

export interface SearchTraceResult {
  traceId: string;
  traceName: string;
  /** The K bandwidth types, Mbit/s, poorest first. */
  levelsMbps: number[];
  medianMbps: number;
  /** The tree (tree, random, egreedy, exhaustive) or the branch's one-fork tree; null for surgery and Neurosurgeon. */
  tree: ModelTree | null;
  /** The one model a fixed method runs (branch, Neurosurgeon). */
  fixed: Composition | null;
  /** The base model's partitions (surgery: min-cut; Neurosurgeon: best single cut) at each type and at the median. */
  surgery: SurgeryDecision[];
  branches: SearchBranchRow[];
  /** The tree's reward (mean of its roots), or the fixed model's at the median rate; surgery: its mean over the types. */
  reward: number;
  curve: EpisodeRecord[];
  branchCurves: EpisodeRecord[][];
  /** The optimal branch per bandwidth type (tree methods) or at the median (branch); absent in runs stored before it was kept. */
  typeBranches?: TypeBranch[];
  wallMs: number;
}

export interface SearchStatus extends JobProgress {
  kind: 'search';
  params: SearchParams;
  /** Finished traces, in order. */
  traces: SearchTraceResult[];
  /** The trace being searched now and its curve so far (live), else null. */
  live: { traceId: string; stage: 'branch' | 'tree'; curve: EpisodeRecord[] } | null;
  baseAccuracy: number | null;
  /** Accuracy evaluations (oracle calls) and pool hits over the whole run. */
  evaluations: number;
  cacheHits: number;
  wallMs: number;
  /** Catalogue variants not searched (they cross a block boundary). */
  excludedVariants: string[];
  /** What the user should know about the run, e.g. variants the device profile cannot estimate. */
  notes: string[];
}

export interface StartEmulationRequest {
  /** Finished search runs on the same model, dataset and profiles. */
  searchRunIds: string[];
  traceIds: string[];
  /** Evenly spaced inference starts per trace (default 50). */
  offsets?: number;
}

export interface EmulationParams extends Required<StartEmulationRequest> {
  model: SearchModelName;
  dataset: DatasetName;
  profileId: string;
  cloudProfileId: string;
  valImages: number;
  techniques: TechniqueId[];
  distillImages: number;
  distillEpochs: number;
  variants: VariantSource;
}

/** A method of the table: a search run's outcome, on each trace the one searched for it (else its first trace's). */
export interface EmulationMethodRow {
  name: string;
  searchRunId: string;
  method: SearchMethodName;
}

export interface EmulationStatus extends JobProgress {
  kind: 'emulation';
  params: EmulationParams;
  methods: EmulationMethodRow[];
  /** Table IV: per trace and overall, per method mean reward, latency and accuracy. */
  table: EmulationTable | null;
}

export interface SearchApi {
  startSearch(req: StartSearchRequest): Promise<SearchStatus>;
  searchStatus(req: { runId: string }): Promise<SearchStatus>;
  /** Past and running search runs, newest first. */
  listSearches(req: Record<string, never>): Promise<SearchStatus[]>;
  startEmulation(req: StartEmulationRequest): Promise<EmulationStatus>;
  emulationStatus(req: { runId: string }): Promise<EmulationStatus>;
  listEmulations(req: Record<string, never>): Promise<EmulationStatus[]>;
}
