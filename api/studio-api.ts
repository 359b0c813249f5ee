/**
 * The one typed API the renderer sees. In Electron the preload exposes it over
 * validated IPC; in browser mode a local server exposes the same methods over HTTP.
 * Every method takes one plain JSON request object and resolves to plain JSON.
 */
import type { Padding } from '../dnn/spec/layer-spec.ts';
import type { DatasetName } from '../dnn/models/datasets.ts';

import type { TraceFormat } from '../traces/trace.ts';
import type { RateUnit } from '../traces/formats/csv.ts';
import type { CalibrationApi } from './calibration-api.ts';
import type { SearchApi } from './search-api.ts';
import type { DeployApi } from './deploy-api.ts';
import type { AccuracyApi } from './accuracy-api.ts';
import type { FieldTestApi } from './field-test-api.ts';
import type { ModelFitFigures, ModelFitGroupValue, ModelsFit } from '../latency/fit/fit-models.ts';

export type { DatasetName, TraceFormat, RateUnit };

export interface ModelSummary {
  name: string;
  source: 'builtin' | 'imported';
  /** For imported models: the format it came in (spec-json, tfjs, onnx). */
  format?: string;
  layerCount: number;
}

export interface LayerRow {
  index: number;
  id: string;
  type: string;
  kernel: number | null;
  stride: number | null;
  padding: Padding | null;
  outChannels: number | null;
  outputShape: number[];
  macc: number;
  params: number;
  /** Bytes (float32) crossing a cut placed right after this layer. */
  outputBytes: number;
}

export interface ModelDetail {
  name: string;
  dataset: DatasetName;
  inputShape: number[];
  macc: number;
  params: number;
  layers: LayerRow[];
  /** cutBytes[c] = bytes sent when the first c layers run on the device (c = 0: the input). */
  cutBytes: number[];
}

export interface TraceSummary {
  id: string;
  name: string;
  format: TraceFormat;
  samples: number;
  durationS: number;
  meanMbps: number;
  p25Mbps: number;
  p50Mbps: number;
  p75Mbps: number;
  importedAt: string;
}

export interface TraceDetail extends TraceSummary {
  /** Throughput over time for charts, at most a few thousand points. */
  series: { tS: number[]; mbps: number[] };
}

export interface TraceImportRequest {
  fileName: string;
  /** File content as text (all supported trace formats are text). */
  content: string;
  format?: TraceFormat;
  timeColumn?: string;
  rateColumn?: string;
  rateUnit?: RateUnit;
}

export interface ModelImportRequest {
  fileName: string;
  /** File content, base64-encoded (ONNX is binary). */
  contentBase64: string;
}

export interface ProfileSummary {
  id: string;
  deviceId: string;
  name: string;
  version: number;
  createdAt: string;
}

/**
 * Whole-model timings to fit a profile from (`edgetree profiles fit-models`): exactly one of
 * `csv` (columns model, ms) and `toolOutputs` (saved benchmark_model / trtexec /
 * onnxruntime_perf_test outputs, one per model, named <model>.txt|.log|.out). With
 * `profileId` the stored profile is adjusted (stored as a new version of it); without it a
 * profile is fitted from scratch for `deviceId` under `name`. Nothing is stored when any
 * input is bad.
 */
export interface FitProfileFromModelsRequest {
  csv?: { fileName: string; content: string };
  toolOutputs?: { folder: string; files: { name: string; text: string }[] };
  profileId?: string;
  /** Required without profileId; with it, must be the base profile's device when given. */
  deviceId?: string;
  /** Required without profileId; with it, default the base profile's name (a new version). */
  name?: string;
  /** Data set of built-in and imported model names (default cifar10; validation-set names are CIFAR-10 models). */
  dataset?: DatasetName;
}

export interface FitProfileFromModelsResult {
  /** The stored profile. */
  profile: ProfileSummary;
  mode: ModelsFit['mode'];
  /** The adjusted profile's id, null for a fit from scratch. */
  baseProfileId: string | null;
  groups: ModelFitGroupValue[];
  overheadMs: number;
  parameters: number;
  /** The stored profile's estimates of the models it was fitted on. */
  inSample: ModelFitFigures;
  /** Each model estimated by the fit of all the others. */
  leaveOneOut: ModelFitFigures;
}

export interface EstimateRequest {
  profileId: string;
  cloudProfileId?: string;
  model: string;
  dataset: DatasetName;
  cut: number;
  bandwidthMbps: number;
}

export interface EstimateResult {
  edgeMs: number;
  transferMs: number;
  cloudMs: number;
  totalMs: number;
}

export interface BackendInfo {
  mode: 'electron' | 'browser' | 'cli';
  version: string;
  home: string;
}

/** The calibration methods (issue 3) are declared in calibration-api.ts, the search methods (issue 5) in search-api.ts, the accuracy ones (issue 4) in accuracy-api.ts. */
export interface StudioApi extends CalibrationApi, SearchApi, DeployApi, AccuracyApi, FieldTestApi {
  backendInfo(req: Record<string, never>): Promise<BackendInfo>;
  listModels(req: Record<string, never>): Promise<ModelSummary[]>;
  showModel(req: { name: string; dataset: DatasetName }): Promise<ModelDetail>;
  importModel(req: ModelImportRequest): Promise<ModelSummary>;
  listTraces(req: Record<string, never>): Promise<TraceSummary[]>;
  showTrace(req: { id: string }): Promise<TraceDetail>;
  importTrace(req: TraceImportRequest): Promise<TraceSummary>;
  listProfiles(req: Record<string, never>): Promise<ProfileSummary[]>;
  estimate(req: EstimateRequest): Promise<EstimateResult>;
  /** A device profile fitted to whole-model timings (adjusting a stored one, or from scratch), stored as a new version. */
  fitProfileFromModels(req: FitProfileFromModelsRequest): Promise<FitProfileFromModelsResult>;
}

export type StudioMethod = keyof StudioApi;

export const STUDIO_METHODS: readonly StudioMethod[] = [
  'backendInfo', 'listModels', 'showModel', 'importModel', 'listTraces', 'showTrace', 'importTrace', 'listProfiles', 'estimate',
  'fitProfileFromModels',
  'listDevices', 'addSshDevice', 'trustHostKey', 'startCalibration', 'calibrationStatus', 'cancelJob', 'listCalibrations',
  'showProfile', 'startValidation', 'validationStatus', 'deviceInfo', 'listValidations',
  'startSearch', 'searchStatus', 'listSearches', 'startEmulation', 'emulationStatus', 'listEmulations',
  'packageBundle', 'startDeploy', 'deployStatus',
  'modelAccuracy', 'startCompressionSweep', 'compressionSweepStatus',
  'listBundles', 'startDeviceRun', 'deviceRunStatus', 'startFieldTest', 'fieldTestStatus', 'listFieldTests',
];

/** The error shape that crosses IPC / HTTP: a class name and a message for the user. */
export interface ApiErrorBody {
  error: { name: string; message: string };
}
