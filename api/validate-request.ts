/**
 * Validators for every StudioApi request object, shared by the Electron IPC handler
 * and the browser-mode HTTP server: both receive untrusted JSON from a renderer.
 */
import { DATASETS, isDatasetName } from '../dnn/models/datasets.ts';
import { InvalidRequestError } from './api-error.ts';
import type { StudioApi, StudioMethod, TraceFormat, RateUnit } from './studio-api.ts';

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
};

export function validateRequest<M extends StudioMethod>(method: M, request: unknown): StudioRequest<M> {
  return REQUEST_VALIDATORS[method](request) as StudioRequest<M>;
}
