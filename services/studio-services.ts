/**
 * The application services: one StudioApi over the store, used by Electron's IPC,
 * the browser-mode server and the CLI alike.
 */
import type { Database } from 'better-sqlite3';
import type { BackendInfo, DatasetName, ModelDetail, ModelImportRequest, ProfileSummary, StudioApi } from '../api/studio-api.ts';
import { openStore } from '../profiles/open-store.ts';
import { createModelsService } from './models-service.ts';
import { createTracesService } from './traces-service.ts';
import { createProfilesService, type ProfileFile } from './profiles-service.ts';
import { estimateSplit } from './estimate-service.ts';
import { fitProfileFromModels } from './fit-models-service.ts';
import { STUDIO_VERSION } from './version.ts';
import { createDevicesService, type DevicesService } from './devices-service.ts';
import { createCalibrationService, type StartCalibrationRequest } from './calibration-service.ts';
import { createValidationService, type StartValidationRequest } from './validation-service.ts';
import { JobRegistry } from './job-registry.ts';
import { modelTimerFactory } from './model-timer-factory.ts';
import { benchPageProvider, runnerBundleProvider } from './runner-bundle.ts';
import type { CalibrationStatus, JobProgress, ValidationStatus } from '../api/calibration-api.ts';
import { createSearchService } from './search-service.ts';
import { createEmulationService } from './emulation-service.ts';
import type { SearchInputsProvider } from './search-inputs-provider.ts';
import { accuracySearchInputs } from './accuracy-search-inputs.ts';
import { createPackageService } from './package-service.ts';
import { createDeployService } from './deploy-service.ts';
import { storeBundleSource } from './bundle-source.ts';
import { listBundles } from './bundle-list.ts';
import { createDeviceRunService } from './device-run-service.ts';
import { createFieldTestService } from './field-test-service.ts';
import type { FieldTestService } from './field-test-service.ts';
import type { BundleSourceProvider } from './bundle-source.ts';
import type { BundleRuntimeFiles } from '../bundle/build-bundle.ts';
import { bundleRuntimeProvider } from './bundle-runtime.ts';
import { getRun } from '../profiles/run-repository.ts';
import { SerialQueue } from './serial-queue.ts';
import { createCompressionSweepService } from './compression-sweep-service.ts';

export interface StudioServicesOptions {
  /** The studio home; the store is `<home>/studio.db`. */
  home: string;
  mode: 'electron' | 'browser' | 'cli';
  /** adb server port (default 5037); false: do not list ADB devices. */
  adbPort?: number | false;
  /** Where searches get the base model, variants and accuracy (default: the accuracy side's openSearchInputs). */
  searchInputs?: SearchInputsProvider;
  /** Where packaging gets a searched model's spec, variants and weights (default: loadBaseWeights and the variant store). */
  bundleSource?: BundleSourceProvider;
  /** The runtime files bundles carry (default: the runtime/ hosts, built once per process). */
  bundleRuntime?: () => Promise<BundleRuntimeFiles>;
}

export interface StudioServices extends StudioApi {
  /** Closes the store; the object must not be used afterwards. */
  close(): void;
  /** CLI: analyse a model file without storing it. */
  showModelFile(req: ModelImportRequest & { dataset: DatasetName }): Promise<ModelDetail>;
  /** CLI: import a device profile JSON as the next version for its device and name. */
  importProfile(req: ProfileFile): Promise<ProfileSummary>;
  /** CLI: a stored profile and its JSON document. */
  exportProfile(req: { id: string }): Promise<{ profile: ProfileSummary; json: string }>;
  /** The open store, for code in this process that needs a repository the API does not cover. */
  readonly db: Database;
  /** Devices: transports and identity for code in this process (CLI, tests). */
  readonly devices: DevicesService;
  /** The field-test jobs with their in-process hooks (the CLI prints lines as they come). */
  readonly fieldTests: FieldTestService;
  /** startCalibration with a case limit (tests and quick checks). */
  startCalibration(req: StartCalibrationRequest): Promise<CalibrationStatus>;
  /** startValidation with model specs read from files. */
  startValidation(req: StartValidationRequest): Promise<ValidationStatus>;
  /** Resolves when every background job of this process has settled. */
  idle(): Promise<void>;
}

export function createStudioServices(options: StudioServicesOptions): StudioServices {
  const db = openStore(options.home);
  const models = createModelsService(db);
  const traces = createTracesService(db);
  const profiles = createProfilesService(db);
  const jobs = new JobRegistry();
  const devices = createDevicesService(db, {
    home: options.home,
    ...(options.adbPort === false ? { adb: false } : options.adbPort !== undefined ? { adbPort: options.adbPort } : {}),
  });
  const runnerBundleDir = runnerBundleProvider(options.home);
  const modelTimer = modelTimerFactory(devices, runnerBundleDir);
  const calibration = createCalibrationService(db, devices, { runnerBundleDir, benchPageDir: benchPageProvider(options.home), modelTimer }, jobs);
  const validation = createValidationService(db, models, jobs, modelTimer);
  const searchQueue = new SerialQueue();
  const search = createSearchService(db, profiles, options.searchInputs ?? accuracySearchInputs, jobs, searchQueue);
  const emulation = createEmulationService(db, profiles, options.searchInputs ?? accuracySearchInputs, jobs, searchQueue);
  const packaging = createPackageService(db, { home: options.home, source: options.bundleSource ?? storeBundleSource(db), loadProfile: (id) => profiles.loadProfile(id), runtimeFiles: options.bundleRuntime ?? bundleRuntimeProvider(options.home) });
  const deploys = createDeployService(db, devices, options.home, jobs);
  const sweeps = createCompressionSweepService(db, jobs, searchQueue);
  const deviceRuns = createDeviceRunService(db, devices, options.home, jobs);
  const fieldTests = createFieldTestService(db, packaging, options.home, jobs);
  const cancelJob = async (req: { runId: string }): Promise<JobProgress> => {
    const kind = getRun(db, req.runId).kind;
    if (kind === 'deploy') {
      const { bundleDir: _b, remoteRoot: _r, phase: _p, result: _x, ...progress } = await deploys.cancel(req.runId);
      return progress;
    }
    if (kind === 'device-run') {
      const { remoteBundle: _b, model: _m, dataset: _d, inferences: _i, summary: _s, ...progress } = await deviceRuns.cancel(req.runId);
      return progress;
    }
    if (kind === 'field-test') {
      const { params: _p, model: _m, dataset: _d, searchRunId: _s, traceName: _t, methods: _x, limits: _l, notes: _n, ...progress } = await fieldTests.cancel(req.runId);
      return progress;
    }
    if (kind === 'compression-sweep') {
      const { params: _p, baseAccuracy: _b, rows: _r, ...progress } = await sweeps.cancel(req.runId);
      return progress;
    }
    if (kind === 'search' || kind === 'emulation') {
      const live = jobs.get(req.runId);
      live?.controller.abort();
      if (live) await live.done;
      const progress = kind === 'search' ? search.searchStatus(req.runId) : emulation.emulationStatus(req.runId);
      return { runId: progress.runId, kind: progress.kind, deviceId: progress.deviceId, status: progress.status, done: progress.done, total: progress.total, current: progress.current, message: progress.message, error: progress.error, createdAt: progress.createdAt, updatedAt: progress.updatedAt };
    }
    const v = (() => { try { return validation.validationStatus(req.runId); } catch { return null; } })();
    if (v === null) return calibration.cancelJob(req.runId);
    const live = jobs.get(req.runId);
    live?.controller.abort();
    if (live) await live.done;
    const { profileId: _p, report: _r, ...progress } = validation.validationStatus(req.runId);
    return progress;
  };
  // Methods are async so that every caller (IPC, HTTP, CLI) sees one contract; the work is synchronous SQLite.
  return {
    db,
    devices,
    // Jobs still running are cancelled (their runs stay resumable) before the store closes.
    close: () => { jobs.cancelAll(); if (db.open) db.close(); },
    idle: () => jobs.idle(),
    backendInfo: async (): Promise<BackendInfo> => ({ mode: options.mode, version: STUDIO_VERSION, home: options.home }),
    listModels: async () => models.listModels(),
    showModel: async (req) => models.showModel(req.name, req.dataset),
    importModel: async (req) => models.importModel(req),
    showModelFile: async (req) => models.showModelFile(req, req.dataset),
    listTraces: async () => traces.listTraces(),
    showTrace: async (req) => traces.showTrace(req.id),
    importTrace: async (req) => traces.importTrace(req),
    listProfiles: async () => profiles.listProfiles(),
    importProfile: async (req) => profiles.importProfile(req),
    exportProfile: async (req) => profiles.exportProfile(req.id),
    estimate: async (req) => estimateSplit(models, profiles, req),
    fitProfileFromModels: async (req) => fitProfileFromModels(models, profiles, req),
    listDevices: async () => devices.listDevices(),
    deviceInfo: async (req) => devices.deviceInfo(req.id),
    addSshDevice: async (req) => devices.addSshDevice(req),
    trustHostKey: async (req) => devices.trustHostKey(req),
    startCalibration: async (req) => calibration.startCalibration(req),
    calibrationStatus: async (req) => calibration.calibrationStatus(req.runId),
    cancelJob,
    listCalibrations: async (req) => calibration.listCalibrations(req.deviceId),
    showProfile: async (req) => calibration.showProfile(req.id),
    startValidation: async (req) => validation.startValidation(req),
    validationStatus: async (req) => validation.validationStatus(req.runId),
    listValidations: async (req) => validation.listValidations(req.deviceId),
    startSearch: async (req) => search.startSearch(req),
    searchStatus: async (req) => search.searchStatus(req.runId),
    listSearches: async () => search.listSearches(),
    startEmulation: async (req) => emulation.startEmulation(req),
    emulationStatus: async (req) => emulation.emulationStatus(req.runId),
    packageBundle: async (req) => packaging.packageBundle(req),
    startDeploy: async (req) => deploys.startDeploy(req),
    deployStatus: async (req) => deploys.deployStatus(req.runId),
    listEmulations: async () => emulation.listEmulations(),
    modelAccuracy: async (req) => sweeps.modelAccuracy(req),
    startCompressionSweep: async (req) => sweeps.startCompressionSweep(req),
    compressionSweepStatus: async (req) => sweeps.compressionSweepStatus(req.runId),
    listBundles: async () => listBundles(options.home),
    startDeviceRun: async (req) => deviceRuns.startDeviceRun(req),
    deviceRunStatus: async (req) => deviceRuns.deviceRunStatus(req.runId),
    startFieldTest: async (req) => fieldTests.startFieldTest(req),
    fieldTestStatus: async (req) => fieldTests.fieldTestStatus(req.runId),
    listFieldTests: async () => fieldTests.listFieldTests(),
    fieldTests,
  };
}
