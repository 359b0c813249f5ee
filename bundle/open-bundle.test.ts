import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundleFileMissingError, BundleFileTamperedError, BundleFileTruncatedError, BundleFormatError, BundleVersionError } from '../api/bundle/bundle-errors.ts';
import type { BundleManifest } from '../api/bundle/bundle-manifest.ts';
import { buildBundle } from './build-bundle.ts';
import { openBundle } from './open-bundle.ts';
import { tinyBundleInput } from './testing/tiny-tree.ts';

describe('openBundle refuses a damaged bundle by name', () => {
  let work = '';
  let good = '';
  let manifest: BundleManifest;
  let n = 0;
  /** A fresh copy of the good bundle to damage. */
  const copy = async (): Promise<string> => {
    const dir = join(work, `copy${n++}`);
    await cp(good, dir, { recursive: true });
    return dir;
  };
  const weightsPath = (): string => manifest.nodes[0].device?.weights as string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'edgetree-open-bundle-'));
    good = join(work, 'good');
    manifest = (await buildBundle(await tinyBundleInput(), good)).manifest;
  });
  after(async () => rm(work, { recursive: true, force: true }));

  test('the intact copy opens', async () => {
    assert.deepEqual((await openBundle(await copy())).manifest, manifest);
  });

  test('one byte changed in a weights file (same size): BundleFileTamperedError naming the file and both hashes', async () => {
    const dir = await copy();
    const file = join(dir, weightsPath());
    const bytes = await readFile(file);
    bytes[bytes.length - 1] ^= 0x01;
    await writeFile(file, bytes);
    await assert.rejects(openBundle(dir), (e: unknown) => {
      assert.ok(e instanceof BundleFileTamperedError);
      assert.equal(e.path, weightsPath());
      assert.equal(e.expectedSha256, manifest.files.find((f) => f.path === weightsPath())?.sha256);
      assert.match(e.message, /changed after packaging/);
      return true;
    });
  });

  test('a truncated weights file: BundleFileTruncatedError with both sizes', async () => {
    const dir = await copy();
    const listed = manifest.files.find((f) => f.path === weightsPath())?.bytes as number;
    await truncate(join(dir, weightsPath()), listed - 10);
    await assert.rejects(openBundle(dir), (e: unknown) => e instanceof BundleFileTruncatedError && e.expectedBytes === listed && e.actualBytes === listed - 10 && /truncated/.test(e.message));
  });

  test('a missing weights file: BundleFileMissingError', async () => {
    const dir = await copy();
    await unlink(join(dir, weightsPath()));
    await assert.rejects(openBundle(dir), (e: unknown) => e instanceof BundleFileMissingError && e.path === weightsPath());
  });

  test('an unknown format version: BundleVersionError, before any other field is looked at', async () => {
    const dir = await copy();
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ formatVersion: 2, somethingElse: true }));
    await assert.rejects(openBundle(dir), (e: unknown) => e instanceof BundleVersionError && e.found === 2 && /formatVersion 2/.test(e.message));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, formatVersion: undefined }));
    await assert.rejects(openBundle(dir), BundleVersionError);
  });

  test('no manifest, a manifest that is not JSON, a file path leaving the folder, a weights path not listed: BundleFormatError', async () => {
    const dir = await copy();
    await unlink(join(dir, 'manifest.json'));
    await assert.rejects(openBundle(dir), (e: unknown) => e instanceof BundleFormatError && /not a bundle folder/.test(e.message));
    await writeFile(join(dir, 'manifest.json'), '{"formatVersion": 1,');
    await assert.rejects(openBundle(dir), (e: unknown) => e instanceof BundleFormatError && /not JSON/.test(e.message));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, files: [...manifest.files, { path: '../outside', bytes: 1, sha256: '0'.repeat(64) }] }));
    await assert.rejects(openBundle(dir), (e: unknown) => e instanceof BundleFormatError && /"\.\.\/outside"/.test(e.message));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, files: manifest.files.filter((f) => f.path !== weightsPath()) }));
    await assert.rejects(openBundle(dir), (e: unknown) => e instanceof BundleFormatError && e.message.includes(`names ${weightsPath()}, which is not in "files"`));
  });
});
