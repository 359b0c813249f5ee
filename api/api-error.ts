/**
 * How errors cross the IPC and HTTP boundaries: as `{ error: { name, message } }`,
 * re-thrown on the renderer side as an ApiCallError carrying the original name.
 */
import type { ApiErrorBody } from './studio-api.ts';

/** A request object that does not fit the method's contract. */
export class InvalidRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

/** A method name that is not part of StudioApi. */
export class UnknownMethodError extends Error {
  constructor(method: unknown) {
    super(`Unknown StudioApi method ${JSON.stringify(typeof method === 'string' ? method.slice(0, 100) : String(method))}`);
    this.name = 'UnknownMethodError';
  }
}

/** An error that came back from the backend, re-thrown with its original name and message. */
export class ApiCallError extends Error {
  readonly method: string;
  constructor(method: string, name: string, message: string) {
    super(message);
    this.name = name;
    this.method = method;
  }
}

export function toApiErrorBody(err: unknown): ApiErrorBody {
  if (err instanceof Error) return { error: { name: err.name || 'Error', message: err.message } };
  return { error: { name: 'Error', message: String(err) } };
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const e = (value as { error: unknown }).error;
  return typeof e === 'object' && e !== null
    && typeof (e as { name?: unknown }).name === 'string'
    && typeof (e as { message?: unknown }).message === 'string';
}
