/** Errors of the store, named so the CLI and the API can pass them to the user unchanged. */

/** The database was written by a newer EdgeTree than this one; it is left untouched. */
export class SchemaTooNewError extends Error {
  readonly dbVersion: number;
  readonly knownVersion: number;
  constructor(path: string, dbVersion: number, knownVersion: number) {
    super(
      `${path}: the database is at schema version ${dbVersion}, but this EdgeTree knows versions up to ${knownVersion}; ` +
        'upgrade EdgeTree Studio (the file was not modified)',
    );
    this.name = 'SchemaTooNewError';
    this.dbVersion = dbVersion;
    this.knownVersion = knownVersion;
  }
}

/** A record asked for by id or name is not in the store. */
export class NotFoundError extends Error {
  constructor(what: string, key: string, hint?: string) {
    super(`no ${what} "${key}" in the store${hint === undefined ? '' : `; ${hint}`}`);
    this.name = 'NotFoundError';
  }
}

/** A value that cannot be stored as given (duplicate name, bad kind...). */
export class StoreConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreConflictError';
  }
}
