/**
 * The package-and-deploy part of the studio's typed API (issue 6): package a search
 * run's tree into a bundle folder, then push it to a device as a job with byte progress
 * (started, then polled, as calibration is). The Deploy screen calls these.
 */
import type { JobProgress } from './calibration-api.ts';

export interface PackageRequest {
  /** A finished search run (kind 'search') in the store. */
  searchRunId: string;
  /** Which of the run's traces' trees (default: the first with a tree). */
  traceId?: string;
  /** Bundle folder to create (default: <studio home>/bundles/search-<run>-<configuration>-<time>). */
  outDir?: string;
  /** The offload server the bundle names (omitted: the bundle has none; offloads then finish on the device). */
  cloudUrl?: string;
  cloudToken?: string;
  weightsDtype?: 'float16' | 'float32';
  /**
   * What the bundle carries (default 'tree'): the run's tree; its optimal branch (a branch
   * run's own, else the tree run's boosting branch for the type nearest the trace's median);
   * or DNN surgery's min-cut of the base model per bandwidth type. The field test packages
   * the last two itself, to compare them with the tree.
   */
  configuration?: PackageConfiguration;
}

export const PACKAGE_CONFIGURATIONS = ['tree', 'branch', 'surgery'] as const;
export type PackageConfiguration = (typeof PACKAGE_CONFIGURATIONS)[number];

export interface PackageResult {
  dir: string;
  model: string;
  dataset: string;
  searchRunId: string;
  traceId: string;
  files: number;
  bytes: number;
  nodes: number;
  deviceNodes: number;
  branches: number;
  reward: number;
  weightsDtype: 'float16' | 'float32';
  /** Where the weights came from, e.g. "initWeights seed 1" (seeded until trained ones ship). */
  weightsSource: string;
  configuration: PackageConfiguration;
  /** How the configuration was made, e.g. "the optimal branch for the 4.47 Mbit/s type". */
  description: string;
  warnings: string[];
}

export interface StartDeployRequest {
  deviceId: string;
  bundleDir: string;
  /** Folder on the device (default by transport: deploy/README.md). */
  remoteRoot?: string;
}

export interface DeployOutcome {
  remoteDir: string;
  name: string;
  previous: string | null;
  files: number;
  bytes: number;
  verifiedOn: 'device' | 'pulled-back';
  pushMs: number;
  verifyMs: number;
  totalMs: number;
}

export interface DeployStatus extends JobProgress {
  kind: 'deploy';
  bundleDir: string;
  remoteRoot: string;
  /** 'push' | 'verify' | 'swap' | 'done', or null before the first byte. */
  phase: string | null;
  /** Set when the bundle is current on the device. */
  result: DeployOutcome | null;
}

export interface DeployApi {
  packageBundle(req: PackageRequest): Promise<PackageResult>;
  startDeploy(req: StartDeployRequest): Promise<DeployStatus>;
  deployStatus(req: { runId: string }): Promise<DeployStatus>;
}
