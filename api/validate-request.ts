/**
 * Validators for every StudioApi request object, shared by the Electron IPC handler
 * and the browser-mode HTTP server: both receive untrusted JSON from a renderer.
 */
import { DATASETS, isDatasetName } from '../dnn/models/datasets.ts';
import { InvalidRequestError } from './api-error.ts';
import type { StudioApi, StudioMethod, TraceFormat, RateUnit } from './studio-api.ts';
import { SEARCH_METHODS } from '../search/method-names.ts';
import { SEARCH_MODELS, VARIANT_SOURCES } from './search-api.ts';
import type { VariantSource } from './search-api.ts';
import { PACKAGE_CONFIGURATIONS } from './deploy-api.ts';
import { FIELD_METHODS } from './field-test-api.ts';
import { RUNTIMES } from '../latency/runtime.ts';
import type { FieldMethodName } from './field-test-api.ts';
import { TECHNIQUE_IDS } from '../dnn/compress/technique.ts';
import type { TechniqueId } from '../dnn/compress/technique.ts';

export { InvalidRequestError };

export const MAX_NAME_CHARS = 256;
/** Trace files are text: at most 64 MiB of characters. */
export const MAX_TRACE_CONTENT_CHARS = 64 * 1024 * 1024;
/** Model files are at most 64 MiB of bytes, so at most this many base64 characters. */
export const MAX_MODEL_BASE64_CHARS = Math.ceil((64 * 1024 * 1024) / 3) * 4;

const TRACE_FORMATS: readonly TraceFormat[] = ['mahimahi', 'time-mbps', 'csv'];
const RATE_UNITS: readonly RateUnit[] = ['bps', 'Bps', 'kbps', 'Mbps'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export type StudioRequest<M extends StudioMethod> = Parameters<StudioApi[M]>[0];
export type RequestValidators = { [M in StudioMethod]: (request: unknown) => StudioRequest<M> };

type Fields = Record<string, unknown>;

function fail(method: string, field: string, what: string): never {
  throw new InvalidRequestError(`${method}: field "${field}" ${what}`);
}

/** The request must be a plain object carrying only the listed fields. */
function fields(method: string, request: unknown, allowed: readonly string[]): Fields {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new InvalidRequestError(`${method}: the request must be an object, got ${request === null ? 'null' : Array.isArray(request) ? 'an array' : typeof request}`);
  }
  for (const key of Object.keys(request)) {
    if (!allowed.includes(key)) fail(method, key, 'is not part of this request');
  }
  return request as Fields;
}

function text(method: string, r: Fields, field: string, max: number, optional = false): string | undefined {
  const v = r[field];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') fail(method, field, `must be a string, got ${v === undefined ? 'nothing' : typeof v}`);
  if (v.length === 0) fail(method, field, 'must not be empty');
  if (v.length > max) fail(method, field, `is ${v.length} characters long; the limit is ${max}`);
  return v;
}

function oneOf<T extends string>(method: string, r: Fields, field: string, allowed: readonly T[], optional = false): T | undefined {
  const v = r[field];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(method, field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v ?? null)}`);
  }
  return v as T;
}

function empty(method: StudioMethod) {
  return (request: unknown): Record<string, never> => {
    fields(method, request, []);
    return {};
  };
}

export const REQUEST_VALIDATORS: RequestValidators = {
  backendInfo: empty('backendInfo'),
  listModels: empty('listModels'),
  listTraces: empty('listTraces'),
  listProfiles: empty('listProfiles'),
  showModel(request) {
    const r = fields('showModel', request, ['name', 'dataset']);
    const name = text('showModel', r, 'name', MAX_NAME_CHARS) as string;
    const dataset = r.dataset;
    if (!isDatasetName(dataset)) fail('showModel', 'dataset', `must be one of ${DATASETS.join(', ')}, got ${JSON.stringify(dataset ?? null)}`);
    return { name, dataset };
  },
  importModel(request) {
    const r = fields('importModel', request, ['fileName', 'contentBase64']);
    const fileName = text('importModel', r, 'fileName', MAX_NAME_CHARS) as string;
    const contentBase64 = text('importModel', r, 'contentBase64', MAX_MODEL_BASE64_CHARS) as string;
    if (!BASE64.test(contentBase64)) fail('importModel', 'contentBase64', 'is not base64');
    return { fileName, contentBase64 };
  },
  showTrace(request) {
    const r = fields('showTrace', request, ['id']);
    return { id: text('showTrace', r, 'id', MAX_NAME_CHARS) as string };
  },
  importTrace(request) {
    const m = 'importTrace';
    const r = fields(m, request, ['fileName', 'content', 'format', 'timeColumn', 'rateColumn', 'rateUnit']);
    const fileName = text(m, r, 'fileName', MAX_NAME_CHARS) as string;
    const content = text(m, r, 'content', MAX_TRACE_CONTENT_CHARS) as string;
    const format = oneOf(m, r, 'format', TRACE_FORMATS, true);
    const timeColumn = text(m, r, 'timeColumn', MAX_NAME_CHARS, true);
    const rateColumn = text(m, r, 'rateColumn', MAX_NAME_CHARS, true);
    const rateUnit = oneOf(m, r, 'rateUnit', RATE_UNITS, true);
    return {
      fileName, content,
      ...(format !== undefined && { format }),
      ...(timeColumn !== undefined && { timeColumn }),
      ...(rateColumn !== undefined && { rateColumn }),
      ...(rateUnit !== undefined && { rateUnit }),
    };
  },
  estimate(request) {
    const m = 'estimate';
    const r = fields(m, request, ['profileId', 'cloudProfileId', 'model', 'dataset', 'cut', 'bandwidthMbps']);
    const profileId = text(m, r, 'profileId', MAX_NAME_CHARS) as string;
    const cloudProfileId = text(m, r, 'cloudProfileId', MAX_NAME_CHARS, true);
    const model = text(m, r, 'model', MAX_NAME_CHARS) as string;
    const dataset = r.dataset;
    if (!isDatasetName(dataset)) fail(m, 'dataset', `must be one of ${DATASETS.join(', ')}, got ${JSON.stringify(dataset ?? null)}`);
    const cut = r.cut;
    if (typeof cut !== 'number' || !Number.isInteger(cut) || cut < 0) fail(m, 'cut', `must be an integer >= 0, got ${JSON.stringify(cut ?? null)}`);
    const bw = r.bandwidthMbps;
    if (typeof bw !== 'number' || !Number.isFinite(bw) || bw <= 0) fail(m, 'bandwidthMbps', `must be a finite number > 0, got ${JSON.stringify(bw ?? null)}`);
    return { profileId, model, dataset, cut, bandwidthMbps: bw, ...(cloudProfileId !== undefined && { cloudProfileId }) };
  },
  fitProfileFromModels(request) {
    const m = 'fitProfileFromModels';
    const r = fields(m, request, ['csv', 'toolOutputs', 'profileId', 'deviceId', 'name', 'dataset']);
    if (r.csv === undefined && r.toolOutputs === undefined) fail(m, 'csv', 'or "toolOutputs" must hold the timings');
    if (r.csv !== undefined && r.toolOutputs !== undefined) fail(m, 'toolOutputs', 'cannot come with "csv": give the timings one way');
    const profileId = text(m, r, 'profileId', MAX_NAME_CHARS, true);
    const deviceId = text(m, r, 'deviceId', MAX_NAME_CHARS, profileId !== undefined);
    const name = text(m, r, 'name', MAX_NAME_CHARS, profileId !== undefined);
    const dataset = r.dataset;
    if (dataset !== undefined && !isDatasetName(dataset)) fail(m, 'dataset', `must be one of ${DATASETS.join(', ')}, got ${JSON.stringify(dataset)}`);
    const rest = {
      ...(profileId !== undefined && { profileId }), ...(deviceId !== undefined && { deviceId }), ...(name !== undefined && { name }),
      ...(dataset !== undefined && { dataset }),
    };
    if (r.csv !== undefined) {
      const csv = nested(m, r, 'csv', ['fileName', 'content']);
      return { csv: { fileName: text(m, csv, 'csv.fileName', MAX_NAME_CHARS) as string, content: text(m, csv, 'csv.content', MAX_TIMINGS_CSV_CHARS) as string }, ...rest };
    }
    const outputs = nested(m, r, 'toolOutputs', ['folder', 'files']);
    const folder = text(m, outputs, 'toolOutputs.folder', MAX_PATH_CHARS) as string;
    const list = outputs['toolOutputs.files'];
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_TOOL_OUTPUT_FILES) fail(m, 'toolOutputs.files', `must be a list of 1 to ${MAX_TOOL_OUTPUT_FILES} files`);
    let total = 0;
    const files = list.map((f: unknown, i) => {
      const file = nested(m, { [`toolOutputs.files[${i}]`]: f }, `toolOutputs.files[${i}]`, ['name', 'text']);
      const entry = { name: text(m, file, `toolOutputs.files[${i}].name`, MAX_NAME_CHARS) as string, text: text(m, file, `toolOutputs.files[${i}].text`, MAX_TOOL_OUTPUT_CHARS) as string };
      total += entry.text.length;
      return entry;
    });
    if (total > MAX_TOOL_OUTPUTS_TOTAL_CHARS) fail(m, 'toolOutputs.files', `hold ${total} characters; the limit is ${MAX_TOOL_OUTPUTS_TOTAL_CHARS}`);
    return { toolOutputs: { folder, files }, ...rest };
  },
  listDevices: empty('listDevices'),
  addSshDevice(request) {
    const m = 'addSshDevice';
    const r = fields(m, request, ['host', 'port', 'user', 'keyPath']);
    const host = text(m, r, 'host', MAX_NAME_CHARS) as string;
    const p = port(m, r, 'port', true);
    const user = text(m, r, 'user', MAX_NAME_CHARS) as string;
    const keyPath = text(m, r, 'keyPath', 4096, true);
    return { host, user, ...(p !== undefined && { port: p }), ...(keyPath !== undefined && { keyPath }) };
  },
  trustHostKey(request) {
    const m = 'trustHostKey';
    const r = fields(m, request, ['host', 'port', 'fingerprint', 'keyType']);
    const host = text(m, r, 'host', MAX_NAME_CHARS) as string;
    const p = port(m, r, 'port', false) as number;
    const fingerprint = text(m, r, 'fingerprint', MAX_NAME_CHARS) as string;
    if (!FINGERPRINT.test(fingerprint)) fail(m, 'fingerprint', 'must be an OpenSSH fingerprint "SHA256:" + 43 base64 characters');
    const keyType = text(m, r, 'keyType', MAX_NAME_CHARS, true);
    return { host, port: p, fingerprint, ...(keyType !== undefined && { keyType }) };
  },
  startCalibration(request) {
    const m = 'startCalibration';
    const r = fields(m, request, ['deviceId', 'suite', 'resumeRunId', 'transfer', 'anchors', 'runtime', 'tool']);
    const deviceId = text(m, r, 'deviceId', MAX_NAME_CHARS) as string;
    const suite = oneOf(m, r, 'suite', SUITES) as 'quick' | 'full';
    const resumeRunId = text(m, r, 'resumeRunId', MAX_NAME_CHARS, true);
    const transfer = r.transfer;
    if (transfer !== undefined && typeof transfer !== 'boolean') fail(m, 'transfer', `must be true or false, got ${JSON.stringify(transfer)}`);
    const anchors = r.anchors;
    if (anchors !== undefined && typeof anchors !== 'boolean') fail(m, 'anchors', `must be true or false, got ${JSON.stringify(anchors)}`);
    const runtime = oneOf(m, r, 'runtime', RUNTIMES, true);
    const tool = text(m, r, 'tool', MAX_PATH_CHARS, true);
    return {
      deviceId, suite, ...(resumeRunId !== undefined && { resumeRunId }), ...(transfer !== undefined && { transfer }), ...(anchors !== undefined && { anchors }),
      ...(runtime !== undefined && { runtime }), ...(tool !== undefined && { tool }),
    };
  },
  calibrationStatus: runIdOnly('calibrationStatus'),
  cancelJob: runIdOnly('cancelJob'),
  validationStatus: runIdOnly('validationStatus'),
  listCalibrations(request) {
    const r = fields('listCalibrations', request, ['deviceId']);
    const deviceId = text('listCalibrations', r, 'deviceId', MAX_NAME_CHARS, true);
    return deviceId === undefined ? {} : { deviceId };
  },
  deviceInfo(request) {
    const r = fields('deviceInfo', request, ['id']);
    return { id: text('deviceInfo', r, 'id', MAX_NAME_CHARS) as string };
  },
  listValidations(request) {
    const r = fields('listValidations', request, ['deviceId']);
    const deviceId = text('listValidations', r, 'deviceId', MAX_NAME_CHARS, true);
    return deviceId === undefined ? {} : { deviceId };
  },
  showProfile(request) {
    const r = fields('showProfile', request, ['id']);
    return { id: text('showProfile', r, 'id', MAX_NAME_CHARS) as string };
  },
  startValidation(request) {
    const m = 'startValidation';
    const r = fields(m, request, ['deviceId', 'profileId', 'models', 'runtime']);
    const deviceId = text(m, r, 'deviceId', MAX_NAME_CHARS) as string;
    const profileId = text(m, r, 'profileId', MAX_NAME_CHARS) as string;
    const runtime = oneOf(m, r, 'runtime', RUNTIMES, true);
    const models = r.models;
    if (models === undefined) return { deviceId, profileId, ...(runtime !== undefined && { runtime }) };
    if (!Array.isArray(models) || models.length > MAX_VALIDATION_MODELS || !models.every((x) => typeof x === 'string' && x.length > 0 && x.length <= MAX_NAME_CHARS)) {
      fail(m, 'models', `must be a list of at most ${MAX_VALIDATION_MODELS} model names`);
    }
    return { deviceId, profileId, models: models as string[], ...(runtime !== undefined && { runtime }) };
  },
  startSearch(request) {
    const m = 'startSearch';
    const r = fields(m, request, ['model', 'dataset', 'profileId', 'cloudProfileId', 'traceIds', 'method', 'blocks', 'contexts', 'episodes', 'seed', 'valImages', 'techniques', 'distillImages', 'distillEpochs', 'variants']);
    const model = oneOf(m, r, 'model', SEARCH_MODELS) as (typeof SEARCH_MODELS)[number];
    const dataset = r.dataset;
    if (!isDatasetName(dataset)) fail(m, 'dataset', `must be one of ${DATASETS.join(', ')}, got ${JSON.stringify(dataset ?? null)}`);
    const profileId = text(m, r, 'profileId', MAX_NAME_CHARS) as string;
    const cloudProfileId = text(m, r, 'cloudProfileId', MAX_NAME_CHARS) as string;
    const traceIds = idList(m, r, 'traceIds', MAX_SEARCH_TRACES);
    const method = oneOf(m, r, 'method', SEARCH_METHODS) as (typeof SEARCH_METHODS)[number];
    const blocks = integer(m, r, 'blocks', 1, 8);
    const contexts = integer(m, r, 'contexts', 1, 6);
    const episodes = integer(m, r, 'episodes', 1, 100_000);
    const seed = integer(m, r, 'seed', 0, 2 ** 31 - 1);
    const valImages = integer(m, r, 'valImages', 1, 100_000);
    const distillImages = integer(m, r, 'distillImages', 1, 100_000);
    const distillEpochs = integer(m, r, 'distillEpochs', 1, 1000);
    const variants = oneOf(m, r, 'variants', VARIANT_SOURCES, true) as VariantSource | undefined;
    const techniques = r.techniques;
    if (techniques !== undefined && (!Array.isArray(techniques) || !techniques.every((t) => (TECHNIQUE_IDS as readonly unknown[]).includes(t)) || new Set(techniques).size !== techniques.length)) {
      fail(m, 'techniques', `must be a list of distinct techniques among ${TECHNIQUE_IDS.join(', ')}, got ${JSON.stringify(techniques)?.slice(0, 80)}`);
    }
    return {
      model, dataset, profileId, cloudProfileId, traceIds, method,
      ...(distillImages !== undefined && { distillImages }), ...(distillEpochs !== undefined && { distillEpochs }), ...(variants !== undefined && { variants }),
      ...(blocks !== undefined && { blocks }), ...(contexts !== undefined && { contexts }), ...(episodes !== undefined && { episodes }),
      ...(seed !== undefined && { seed }), ...(valImages !== undefined && { valImages }),
      ...(techniques !== undefined && { techniques: techniques as TechniqueId[] }),
    };
  },
  searchStatus: runIdOnly('searchStatus'),
  listSearches: empty('listSearches'),
  startEmulation(request) {
    const m = 'startEmulation';
    const r = fields(m, request, ['searchRunIds', 'traceIds', 'offsets']);
    const searchRunIds = idList(m, r, 'searchRunIds', MAX_EMULATED_RUNS);
    const traceIds = idList(m, r, 'traceIds', MAX_SEARCH_TRACES);
    const offsets = integer(m, r, 'offsets', 1, 100_000);
    return { searchRunIds, traceIds, ...(offsets !== undefined && { offsets }) };
  },
  emulationStatus: runIdOnly('emulationStatus'),
  listEmulations: empty('listEmulations'),
  packageBundle(request) {
    const m = 'packageBundle';
    const r = fields(m, request, ['searchRunId', 'traceId', 'outDir', 'cloudUrl', 'cloudToken', 'weightsDtype', 'configuration']);
    const searchRunId = text(m, r, 'searchRunId', MAX_NAME_CHARS) as string;
    const traceId = text(m, r, 'traceId', MAX_NAME_CHARS, true);
    const outDir = text(m, r, 'outDir', MAX_PATH_CHARS, true);
    const cloudUrl = text(m, r, 'cloudUrl', MAX_PATH_CHARS, true);
    if (cloudUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(cloudUrl)) fail(m, 'cloudUrl', `must be an http(s) URL, got ${JSON.stringify(cloudUrl)}`);
    const cloudToken = text(m, r, 'cloudToken', MAX_NAME_CHARS, true);
    const weightsDtype = oneOf(m, r, 'weightsDtype', WEIGHT_DTYPES, true);
    const configuration = oneOf(m, r, 'configuration', PACKAGE_CONFIGURATIONS, true);
    return {
      ...(configuration !== undefined && { configuration }),
      searchRunId, ...(traceId !== undefined && { traceId }), ...(outDir !== undefined && { outDir }), ...(cloudUrl !== undefined && { cloudUrl }),
      ...(cloudToken !== undefined && { cloudToken }), ...(weightsDtype !== undefined && { weightsDtype }),
    };
  },
  startDeploy(request) {
    const m = 'startDeploy';
    const r = fields(m, request, ['deviceId', 'bundleDir', 'remoteRoot']);
    const deviceId = text(m, r, 'deviceId', MAX_NAME_CHARS) as string;
    const bundleDir = text(m, r, 'bundleDir', MAX_PATH_CHARS) as string;
    const remoteRoot = text(m, r, 'remoteRoot', MAX_PATH_CHARS, true);
    // The root goes into device shell commands quoted; '..' parts and newlines are refused outright.
    if (remoteRoot !== undefined && (/[\0\n\r]/.test(remoteRoot) || remoteRoot.split('/').includes('..'))) fail(m, 'remoteRoot', 'must be a plain folder path without ".." parts or line breaks');
    return { deviceId, bundleDir, ...(remoteRoot !== undefined && { remoteRoot }) };
  },
  deployStatus: runIdOnly('deployStatus'),
  listBundles: empty('listBundles'),
  startDeviceRun(request) {
    const m = 'startDeviceRun';
    const r = fields(m, request, ['deviceId', 'remoteBundle', 'images', 'cloudUrl', 'cloudToken']);
    const deviceId = text(m, r, 'deviceId', MAX_NAME_CHARS) as string;
    const remoteBundle = text(m, r, 'remoteBundle', MAX_PATH_CHARS, true);
    // The path goes into device shell commands quoted; '..' parts and line breaks are refused outright.
    if (remoteBundle !== undefined && (/[\0\n\r]/.test(remoteBundle) || remoteBundle.split('/').includes('..'))) fail(m, 'remoteBundle', 'must be a plain folder path without ".." parts or line breaks');
    const images = integer(m, r, 'images', 1, 10_000);
    const cloudUrl = text(m, r, 'cloudUrl', MAX_PATH_CHARS, true);
    if (cloudUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(cloudUrl)) fail(m, 'cloudUrl', `must be an http(s) URL, got ${JSON.stringify(cloudUrl)}`);
    const cloudToken = text(m, r, 'cloudToken', MAX_NAME_CHARS, true);
    if ((cloudUrl === undefined) !== (cloudToken === undefined)) fail(m, 'cloudToken', 'give the cloud URL and its token together, or neither');
    return {
      deviceId, ...(remoteBundle !== undefined && { remoteBundle }), ...(images !== undefined && { images }),
      ...(cloudUrl !== undefined && { cloudUrl, cloudToken }),
    };
  },
  deviceRunStatus: runIdOnly('deviceRunStatus'),
  startFieldTest(request) {
    const m = 'startFieldTest';
    const r = fields(m, request, ['deviceId', 'bundleDir', 'traceId', 'inferences', 'stepMs', 'cpus', 'methods']);
    const deviceId = text(m, r, 'deviceId', MAX_NAME_CHARS) as string;
    const bundleDir = text(m, r, 'bundleDir', MAX_PATH_CHARS) as string;
    const traceId = text(m, r, 'traceId', MAX_NAME_CHARS) as string;
    const inferences = integer(m, r, 'inferences', 1, 1000);
    const stepMs = integer(m, r, 'stepMs', 50, 600_000);
    const cpus = r.cpus;
    if (cpus !== undefined && (typeof cpus !== 'number' || !(cpus >= 0.05 && cpus <= 64))) fail(m, 'cpus', `must be a number of CPUs from 0.05 to 64, got ${JSON.stringify(cpus)}`);
    const methods = r.methods;
    if (methods !== undefined && (!Array.isArray(methods) || methods.length === 0 || !methods.every((x) => (FIELD_METHODS as readonly unknown[]).includes(x)) || new Set(methods).size !== methods.length)) {
      fail(m, 'methods', `must list distinct ones of ${FIELD_METHODS.join(', ')}, got ${JSON.stringify(methods)?.slice(0, 80)}`);
    }
    return {
      deviceId, bundleDir, traceId, ...(inferences !== undefined && { inferences }), ...(stepMs !== undefined && { stepMs }),
      ...(typeof cpus === 'number' && { cpus }), ...(methods !== undefined && { methods: methods as FieldMethodName[] }),
    };
  },
  fieldTestStatus: runIdOnly('fieldTestStatus'),
  listFieldTests: empty('listFieldTests'),
  modelAccuracy(request) {
    const m = 'modelAccuracy';
    const r = fields(m, request, ['model', 'dataset', 'valImages']);
    const model = oneOf(m, r, 'model', SEARCH_MODELS) as (typeof SEARCH_MODELS)[number];
    const dataset = r.dataset;
    if (!isDatasetName(dataset)) fail(m, 'dataset', `must be one of ${DATASETS.join(', ')}, got ${JSON.stringify(dataset ?? null)}`);
    const valImages = integer(m, r, 'valImages', 1, 100_000);
    return { model, dataset, ...(valImages !== undefined && { valImages }) };
  },
  startCompressionSweep(request) {
    const m = 'startCompressionSweep';
    const r = fields(m, request, ['model', 'dataset', 'techniques', 'layers', 'valImages', 'distillImages', 'distillEpochs']);
    const model = oneOf(m, r, 'model', SEARCH_MODELS) as (typeof SEARCH_MODELS)[number];
    const dataset = r.dataset;
    if (!isDatasetName(dataset)) fail(m, 'dataset', `must be one of ${DATASETS.join(', ')}, got ${JSON.stringify(dataset ?? null)}`);
    const techniques = techniqueList(m, r);
    const layers = r.layers;
    if (layers !== undefined && (!Array.isArray(layers) || layers.length === 0 || layers.length > MAX_SWEEP_LAYERS
      || !layers.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < MAX_SWEEP_LAYERS) || new Set(layers).size !== layers.length)) {
      fail(m, 'layers', `must be a list of 1 to ${MAX_SWEEP_LAYERS} distinct layer positions (whole numbers from 0), got ${JSON.stringify(layers)?.slice(0, 80)}`);
    }
    const valImages = integer(m, r, 'valImages', 1, 100_000);
    const distillImages = integer(m, r, 'distillImages', 1, 100_000);
    const distillEpochs = integer(m, r, 'distillEpochs', 1, 100);
    return {
      model, dataset, ...(techniques !== undefined && { techniques }), ...(layers !== undefined && { layers: layers as number[] }),
      ...(valImages !== undefined && { valImages }), ...(distillImages !== undefined && { distillImages }), ...(distillEpochs !== undefined && { distillEpochs }),
    };
  },
  compressionSweepStatus: runIdOnly('compressionSweepStatus'),
};

const MAX_SWEEP_LAYERS = 1000;

/** An optional list of distinct technique ids. */
function techniqueList(method: string, r: Fields): TechniqueId[] | undefined {
  const techniques = r.techniques;
  if (techniques === undefined) return undefined;
  if (!Array.isArray(techniques) || techniques.length === 0 || !techniques.every((t) => (TECHNIQUE_IDS as readonly unknown[]).includes(t)) || new Set(techniques).size !== techniques.length) {
    fail(method, 'techniques', `must be a list of distinct techniques among ${TECHNIQUE_IDS.join(', ')}, got ${JSON.stringify(techniques)?.slice(0, 80)}`);
  }
  return techniques as TechniqueId[];
}

const MAX_PATH_CHARS = 4096;
/** Whole-model timings: a CSV of at most 16 MiB, or at most 1,000 saved tool outputs of 16 MiB each and 64 MiB in all. */
export const MAX_TIMINGS_CSV_CHARS = 16 * 1024 * 1024;
export const MAX_TOOL_OUTPUT_FILES = 1000;
export const MAX_TOOL_OUTPUT_CHARS = 16 * 1024 * 1024;
export const MAX_TOOL_OUTPUTS_TOTAL_CHARS = 64 * 1024 * 1024;

/**
 * A nested plain object with only the listed fields, its fields keyed by their full path
 * (`csv.content`), so the checks above name them that way.
 */
function nested(method: string, r: Fields, field: string, allowed: readonly string[]): Fields {
  const v = r[field];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(method, field, `must be an object, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
  const out: Fields = {};
  for (const [key, value] of Object.entries(v)) {
    if (!allowed.includes(key)) fail(method, `${field}.${key}`, 'is not part of this request');
    out[`${field}.${key}`] = value;
  }
  return out;
}
const WEIGHT_DTYPES = ['float16', 'float32'] as const;

const SUITES = ['quick', 'full'] as const;
const MAX_SEARCH_TRACES = 50;
const MAX_EMULATED_RUNS = 50;

/** An optional whole number within [min, max]. */
function integer(method: string, r: Fields, field: string, min: number, max: number): number | undefined {
  const v = r[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(method, field, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return v;
}

/** A non-empty list of distinct ids. */
function idList(method: string, r: Fields, field: string, max: number): string[] {
  const v = r[field];
  if (!Array.isArray(v) || v.length === 0 || v.length > max || !v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= MAX_NAME_CHARS)) {
    fail(method, field, `must be a list of 1 to ${max} ids, got ${JSON.stringify(v ?? null)?.slice(0, 80)}`);
  }
  if (new Set(v).size !== v.length) fail(method, field, 'lists an id twice');
  return v as string[];
}
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
const MAX_VALIDATION_MODELS = 200;

function port(method: string, r: Fields, field: string, optional: boolean): number | undefined {
  const v = r[field];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) fail(method, field, `must be a port number 1..65535, got ${JSON.stringify(v ?? null)}`);
  return v;
}

function runIdOnly(method: StudioMethod) {
  return (request: unknown): { runId: string } => {
    const r = fields(method, request, ['runId']);
    return { runId: text(method, r, 'runId', MAX_NAME_CHARS) as string };
  };
}

export function validateRequest<M extends StudioMethod>(method: M, request: unknown): StudioRequest<M> {
  return REQUEST_VALIDATORS[method](request) as StudioRequest<M>;
}
