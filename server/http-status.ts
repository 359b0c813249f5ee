/** Which HTTP status an error from a StudioApi call maps to. */
const BUILTIN_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'AggregateError', 'SqliteError']);

export function statusForError(name: string): number {
  if (name === 'InvalidRequestError' || name === 'UnknownMethodError') return 400;
  if (name.endsWith('NotFoundError')) return 404;
  if (name.endsWith('ConflictError')) return 409;
  // A named domain error (a malformed trace, an unsupported layer) is the user's input being refused.
  if (!BUILTIN_ERRORS.has(name)) return 422;
  return 500;
}
