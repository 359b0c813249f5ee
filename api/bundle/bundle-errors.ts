/**
 * Why a bundle is refused. Pure, so the runtime's hosts raise the same errors as the
 * studio; each message names the bundle (its folder or URL) and what is wrong.
 */

/** manifest.json is missing, not JSON, or lacks a field the format requires. */
export class BundleFormatError extends Error {
  constructor(source: string, problem: string) {
    super(`bundle ${source}: ${problem}`);
    this.name = 'BundleFormatError';
  }
}

/** The manifest declares a format version this code does not read. */
export class BundleVersionError extends Error {
  constructor(source: string, readonly found: unknown, readonly supported: number) {
    super(`bundle ${source}: manifest formatVersion ${JSON.stringify(found)} is not one this studio reads (it reads ${supported}); package the bundle again with this studio`);
    this.name = 'BundleVersionError';
  }
}

/** A file the manifest lists is not there. */
export class BundleFileMissingError extends Error {
  constructor(source: string, readonly path: string) {
    super(`bundle ${source}: file ${path} listed in the manifest is missing`);
    this.name = 'BundleFileMissingError';
  }
}

/** A file is shorter (or longer) than the manifest says: an interrupted copy. */
export class BundleFileTruncatedError extends Error {
  constructor(source: string, readonly path: string, readonly expectedBytes: number, readonly actualBytes: number) {
    super(`bundle ${source}: file ${path} holds ${actualBytes} bytes, the manifest lists ${expectedBytes}: ${actualBytes < expectedBytes ? 'truncated' : 'extra bytes at the end'}`);
    this.name = 'BundleFileTruncatedError';
  }
}

/** A file has the listed size but other bytes: changed after packaging. */
export class BundleFileTamperedError extends Error {
  constructor(source: string, readonly path: string, readonly expectedSha256: string, readonly actualSha256: string) {
    super(`bundle ${source}: file ${path} has SHA-256 ${actualSha256}, the manifest lists ${expectedSha256}: it was changed after packaging`);
    this.name = 'BundleFileTamperedError';
  }
}
