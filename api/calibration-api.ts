/**
 * The calibration part of the studio's typed API (issue 3): devices, calibration runs,
 * profiles with their fits, and measured-versus-estimated validation. Long jobs are
 * started, then polled for status: that works the same over IPC and HTTP, and a
 * renderer that reloads mid-run picks the job up again from the store.
 */
import type { InModelFactor } from '../latency/fit/in-model-correction.ts';
import type { DeviceProfile, ElementLayerType } from '../latency/device-profile.ts';
import type { Runtime } from '../latency/runtime.ts';

/** The suites of profiler/bench-plan.ts (the API is domain code and does not import the profiler). */
export type BenchSuite = 'quick' | 'full';

/** A stored measurement, as profiler/measurement.ts's Measurement (structurally the same). */
export interface MeasurementDto {
  caseId: string;
  kind: string;
  kernel: number | null;
  macc: number;
  medianMs: number;
  p25Ms: number;
  p75Ms: number;
  minMs: number;
  maxMs: number;
  repeats: number;
  runner: string;
  backend: string;
  measuredAt: string;
}

export type DeviceKind = 'local' | 'ssh' | 'adb';
export type DeviceState = 'online' | 'offline' | 'unauthorized' | 'unknown';

export interface DeviceIdentityDto {
  model: string;
  os: string;
  cpu: string;
  abi: string;
  cores: number;
  memoryBytes: number;
}

export interface DeviceSummary {
  /** 'local', 'ssh:user@host:port' or 'adb:SERIAL'. */
  id: string;
  kind: DeviceKind;
  name: string;
  state: DeviceState;
  /** Why the state is not 'online', in words a user can act on. */
  stateDetail?: string;
  identity?: DeviceIdentityDto;
}

export interface AddSshDeviceRequest {
  host: string;
  port?: number;
  user: string;
  /** Path of a private key on this computer; omitted: use the SSH agent. */
  keyPath?: string;
}

/** A first connection answers this instead of a device: the user confirms the fingerprint, then the studio trusts it. */
export interface HostKeyConfirmation {
  needsConfirmation: true;
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobProgress {
  runId: string;
  kind: 'calibration' | 'validation' | 'search' | 'emulation' | 'deploy' | 'compression-sweep' | 'device-run' | 'field-test';
  deviceId: string;
  status: JobStatus;
  done: number;
  total: number;
  /** What is running now, e.g. "conv-k3-i16x16x64-o128-s1". */
  current: string | null;
  message: string;
  error: { name: string; message: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface CalibrationStatus extends JobProgress {
  kind: 'calibration';
  suite: BenchSuite;
  /** Measurements stored so far, in arrival order. */
  measurements: MeasurementDto[];
  /** Set when the run finished and its profile was fitted and stored. */
  profileId: string | null;
}

export interface FitGroupDto {
  layerType: 'conv' | 'depthwise' | 'fc';
  kernel: number | null;
  points: number;
  r2: number;
  mapePct: number;
  rmseMs: number;
  slopeMsPerMacc: number;
  interceptMs: number;
  /** Milliseconds per weight and per im2col patch element, where the line has those terms (see ComputeLine). */
  slopeMsPerWeight?: number;
  slopeMsPerPatch?: number;
  residuals: { caseId: string; macc: number; weights?: number; patches?: number; measuredMs: number; fittedMs: number }[];
}

/** The fit of one zero-MACC layer type's element line (latency against the elements it touches). */
export interface ElementFitGroupDto {
  layerType: ElementLayerType;
  points: number;
  r2: number;
  mapePct: number;
  rmseMs: number;
  slopeMsPerElement: number;
  interceptMs: number;
  residuals: { caseId: string; elements: number; measuredMs: number; fittedMs: number }[];
}

/** One bandwidth of a transfer calibration: f(S|W) = intercept + slope·S (paper Eq. 6). */
export interface TransferFitDto {
  bandwidthMbps: number;
  points: number;
  interceptMs: number;
  slopeMsPerByte: number;
  r2: number;
  mapePct: number;
}

/**
 * How a calibration corrected its micro-benchmark lines for time inside a model: each
 * line's factor (in-model over bench time, median over the anchor models' layers of its
 * group, or over its class when the anchors hold too few), whether the line was refitted
 * on the anchors' layers instead, and the anchors.
 */
export interface InModelCorrectionDto {
  anchors: string[];
  factors: InModelFactor[];
}

export interface ProfileDetail {
  id: string;
  deviceId: string;
  name: string;
  version: number;
  createdAt: string;
  profile: DeviceProfile;
  /** The fit behind the profile's compute lines, when it came from a calibration run in this store. */
  fit: FitGroupDto[] | null;
  /** The element lines' fit, when the calibration measured zero-MACC layers at several sizes. */
  elementFit?: ElementFitGroupDto[] | null;
  /** The cache-cold lines' fit (profile.cold), when the calibration measured them and knew the device's cache. */
  coldFit?: FitGroupDto[] | null;
  calibrationRunId: string | null;
  /** The in-model correction the calibration applied to the lines, when it timed anchor models. */
  inModel?: InModelCorrectionDto | null;
  /** The fit behind the profile's transfer lines, when the calibration timed the link. */
  transferFit?: TransferFitDto[] | null;
}

export interface ValidationLayerRow {
  index: number;
  id: string;
  type: string;
  macc: number;
  measuredMs: number;
  estimatedMs: number;
}

export interface ValidationModelRow {
  name: string;
  macc: number;
  measuredMs: number;
  /** The profile's estimate as stored (at the device's speed during calibration). */
  estimatedMs: number;
  /** Signed: (estimated − measured) / measured · 100. */
  errorPct: number;
  /**
   * When the profile and this timing both have the speed reference: how much slower (> 1) the
   * device ran than during calibration. It tells a timing taken in a slow stretch; it does not
   * scale the estimate (whole models slow down more, or less, than the reference).
   */
  speedFactor?: number;
  /** Extra timings taken because the speed reference showed the device in a slow stretch (absent: none). */
  retimes?: number;
  /** Still timed in a slow stretch after the extra timings: its error says more about the device's load than the profile. */
  unsteady?: boolean;
  layers: ValidationLayerRow[];
}

/** The figures of a set of measured-versus-estimated rows. */
export interface ValidationFigures {
  within10Pct: number;
  within5Pct: number;
  mapePct: number;
  /** Mean of the signed errors, %: the profile's bias (negative: it estimates low). */
  meanErrorPct: number;
}

export interface ValidationReport {
  profileId: string;
  deviceId: string;
  backend: string;
  models: ValidationModelRow[];
  within10Pct: number;
  within5Pct: number;
  mapePct: number;
  rmseMs: number;
  /** Mean of the signed errors, % (the profile's bias). */
  meanErrorPct: number;
  /** The median of the rows' speed factors, when every row has one: how much slower the device ran than during calibration. */
  medianSpeedFactor?: number;
  /** Models timed again in a slow stretch, and those still unsteady after it (names). */
  retimed?: number;
  unsteady?: string[];
}

export interface ValidationStatus extends JobProgress {
  kind: 'validation';
  profileId: string;
  report: ValidationReport | null;
}

export interface CalibrationApi {
  listDevices(req: Record<string, never>): Promise<DeviceSummary[]>;
  /** One device asked for its identity now (e.g. re-checking a stored SSH board). */
  deviceInfo(req: { id: string }): Promise<DeviceSummary>;
  addSshDevice(req: AddSshDeviceRequest): Promise<DeviceSummary | HostKeyConfirmation>;
  trustHostKey(req: { host: string; port: number; fingerprint: string; keyType?: string }): Promise<DeviceSummary>;
  /** transfer: on `local`, also time the link over a shaped veth (needs root); default true. */
  /** runtime: what to calibrate (default tfjs-wasm); tflite and tensorrt need tool, the path of benchmark_model or trtexec on the device. */
  startCalibration(req: { deviceId: string; suite: BenchSuite; resumeRunId?: string; transfer?: boolean; anchors?: boolean; runtime?: Runtime; tool?: string }): Promise<CalibrationStatus>;
  calibrationStatus(req: { runId: string }): Promise<CalibrationStatus>;
  cancelJob(req: { runId: string }): Promise<JobProgress>;
  listCalibrations(req: { deviceId?: string }): Promise<JobProgress[]>;
  showProfile(req: { id: string }): Promise<ProfileDetail>;
  /** runtime: default the profile's; another one is refused (the profile estimates its own runtime). */
  startValidation(req: { deviceId: string; profileId: string; models?: string[]; runtime?: Runtime }): Promise<ValidationStatus>;
  validationStatus(req: { runId: string }): Promise<ValidationStatus>;
  /** Past validation runs, newest first (optionally of one device). */
  listValidations(req: { deviceId?: string }): Promise<ValidationStatus[]>;
}
