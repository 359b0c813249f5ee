/**
 * The field-test and device-run part of the studio's typed API (issue 6): run a deployed
 * bundle on a device against a cloud server and stream its per-inference timeline back
 * (startDeviceRun, the Deploy screen's "start"), and field-test a packaged tree against
 * the branch and surgery configurations of the same search run over a link shaped by a
 * trace (startFieldTest, the Field test screen: the paper's Table V). Both are jobs,
 * started and then polled, stored as runs.
 */
import type { JobProgress } from './calibration-api.ts';

/** The configurations a field test runs: the search's tree, its optimal branch, DNN surgery (min-cut of the base model). */
export const FIELD_METHODS = ['tree', 'branch', 'surgery'] as const;
export type FieldMethodName = (typeof FIELD_METHODS)[number];

/** One inference as the field test reports it: the runtime's timeline against the estimate. */
export interface FieldInference {
  index: number;
  /** Node ids followed, joined by '-'. */
  branch: string;
  /** Base cut offloaded at, or null (all on the device). */
  cut: number | null;
  /** The link's shaped rate when the inference started, Mbit/s. */
  linkMbps: number;
  /** What the runtime measured at its first decision. */
  seenMbps: number;
  edgeMs: number;
  transferMs: number;
  cloudMs: number;
  /** True when the cloud failed and the device finished the inference. */
  fallback: boolean;
  measuredMs: number;
  /** The branch's estimate at the link's rate (Eq. 6 transfer rescaled), null where the branch is unknown. */
  estimatedMs: number | null;
  /** measured / estimated. */
  ratio: number | null;
  predictedClass: number;
  /** -1 when there are no labels. */
  label: number;
  correct: boolean;
}

export interface FieldMethodReport {
  method: FieldMethodName;
  /** How the configuration was made, e.g. "the optimal branch for the 4.2 Mbit/s type". */
  description: string;
  inferences: FieldInference[];
  meanMeasuredMs: number;
  meanEstimatedMs: number | null;
  ratio: number | null;
  /** Share of the inferences whose class matched the label. */
  accuracy: number;
  /** Eq. 7 of the accuracy and the mean measured latency. */
  reward: number;
  /** |ratio - 1| > 10%: the profile's estimates drift under these limits. */
  drift: boolean;
}

export interface StartFieldTestRequest {
  /** 'local' only: the device side runs in a network namespace on this computer. */
  deviceId: string;
  /** A packaged tree bundle; its manifest names the search run the branch and surgery come from. */
  bundleDir: string;
  traceId: string;
  /** Inferences per configuration (default 20). */
  inferences?: number;
  /** Trace step length in ms (default: the trace's own median sample interval, at least 100). */
  stepMs?: number;
  /** CPU share of the device process (default: local:CPUS's own; none for local:js; 0.5 for local). */
  cpus?: number;
  /** Default all three. */
  methods?: FieldMethodName[];
}

export interface FieldTestParams {
  deviceId: string;
  bundleDir: string;
  traceId: string;
  inferences: number;
  stepMs: number | null;
  /** null: no CPU quota. */
  cpus: number | null;
  methods: FieldMethodName[];
}

export interface FieldTestStatus extends JobProgress {
  kind: 'field-test';
  params: FieldTestParams;
  model: string | null;
  dataset: string | null;
  searchRunId: string | null;
  traceName: string | null;
  /** Finished configurations, and the running one with its inferences so far. */
  methods: FieldMethodReport[];
  /** How the device was made slower than the cloud, and the link. */
  limits: string[];
  notes: string[];
}

export interface StartDeviceRunRequest {
  deviceId: string;
  /** The bundle folder on the device (default: the deploy root's current). */
  remoteBundle?: string;
  /** Test images to run (default 20). */
  images?: number;
  /** The offload server (default: the bundle's own); both or neither. */
  cloudUrl?: string;
  cloudToken?: string;
}

/** One inference of a device run, as the Deploy screen lists it. */
export interface DeviceRunInference {
  index: number;
  branch: string;
  cut: number | null;
  bandwidthMbps: number;
  edgeMs: number;
  transferMs: number;
  cloudMs: number;
  totalMs: number;
  fallback: boolean;
  predictedClass: number;
  label: number;
}

export interface DeviceRunStatus extends JobProgress {
  kind: 'device-run';
  remoteBundle: string;
  model: string | null;
  dataset: string | null;
  inferences: DeviceRunInference[];
  /** Set when the run finished. */
  summary: { meanTotalMs: number; offloads: number; fallbacks: number; accuracy: number; correct: number } | null;
}

/** A packaged bundle in the studio home, for the pickers. */
export interface BundleSummary {
  dir: string;
  model: string;
  dataset: string;
  searchRunId: string | null;
  createdAt: string;
  nodes: number;
  branches: number;
  bytes: number;
}

export interface FieldTestApi {
  listBundles(req: Record<string, never>): Promise<BundleSummary[]>;
  startDeviceRun(req: StartDeviceRunRequest): Promise<DeviceRunStatus>;
  deviceRunStatus(req: { runId: string }): Promise<DeviceRunStatus>;
  startFieldTest(req: StartFieldTestRequest): Promise<FieldTestStatus>;
  fieldTestStatus(req: { runId: string }): Promise<FieldTestStatus>;
  listFieldTests(req: Record<string, never>): Promise<FieldTestStatus[]>;
}
