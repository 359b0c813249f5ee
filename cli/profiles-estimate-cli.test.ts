import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCliHome } from './run-cli.ts';
import type { EstimateResult, ProfileSummary } from '../api/studio-api.ts';

const cli = createCliHome();
after(() => cli.dispose());

/** A board: conv 3x3 costs 0.5 ms + 1 ns/MACC, fc 0.1 ms + 2 ns/MACC, other layers 0.01 ms; f(S|W) = 2 ms. */
const board = {
  formatVersion: 1,
  name: 'hand-made board',
  device: { id: 'board-1', model: 'Test board' },
  compute: [
    { layerType: 'conv', kernel: 3, slopeMsPerMacc: 1e-6, interceptMs: 0.5 },
    { layerType: 'fc', kernel: null, slopeMsPerMacc: 2e-6, interceptMs: 0.1 },
  ],
  otherLayerMs: 0.01,
  transfer: [{ bandwidthMbps: 10, interceptMs: 2, slopeMsPerByte: 0 }],
};
/** A cloud server: 0.01 ns per MACC, nothing else. */
const cloud = {
  formatVersion: 1,
  name: 'hand-made cloud',
  device: { id: 'cloud' },
  compute: [
    { layerType: 'conv', kernel: 3, slopeMsPerMacc: 1e-8, interceptMs: 0 },
    { layerType: 'fc', kernel: null, slopeMsPerMacc: 1e-8, interceptMs: 0 },
  ],
  transfer: [],
};

const boardFile = join(cli.home, 'board.json');
const cloudFile = join(cli.home, 'cloud.json');
writeFileSync(boardFile, JSON.stringify(board));
writeFileSync(cloudFile, JSON.stringify(cloud));

const close = (actual: number, expected: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

describe('edgetree profiles and estimate', () => {
  let boardId = '';
  let cloudId = '';

  test('importing a profile twice stores versions 1 and 2; export then import round-trips', () => {
    const first = cli.run('profiles', 'import', boardFile, '--json');
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const v1 = first.json<ProfileSummary>();
    assert.deepEqual([v1.deviceId, v1.name, v1.version], ['board-1', 'hand-made board', 1]);
    const v2 = cli.run('profiles', 'import', boardFile, '--json').json<ProfileSummary>();
    assert.equal(v2.version, 2);
    assert.notEqual(v2.id, v1.id);
    boardId = v2.id;

    const out = join(cli.home, 'exported.json');
    const exp = cli.run('profiles', 'export', v1.id, '--out', out, '--json');
    assert.equal(exp.code, 0, exp.stdout);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as unknown;
    assert.deepEqual(exported, board);
    const v3 = cli.run('profiles', 'import', out, '--json').json<ProfileSummary>();
    assert.equal(v3.version, 3);
    const again = cli.run('profiles', 'export', v3.id, '--json').json<{ profile: ProfileSummary; document: unknown }>();
    assert.deepEqual(again.document, board);
    assert.equal(again.profile.version, 3);

    cloudId = cli.run('profiles', 'import', cloudFile, '--json').json<ProfileSummary>().id;
    const list = cli.run('profiles', 'list', '--json').json<ProfileSummary[]>();
    assert.deepEqual(list.map((p) => `${p.deviceId}/${p.name}@${p.version}`), [
      'board-1/hand-made board@1', 'board-1/hand-made board@2', 'board-1/hand-made board@3', 'cloud/hand-made cloud@1',
    ]);
  });

  test('a profile with a bad field is refused, naming the file and the field, and stores nothing', () => {
    const bad = join(cli.home, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...board, compute: [{ layerType: 'conv', kernel: 0, slopeMsPerMacc: 1, interceptMs: 0 }] }));
    const r = cli.run('profiles', 'import', bad, '--json');
    assert.equal(r.code, 1);
    const err = r.json<{ error: { name: string; message: string } }>().error;
    assert.equal(err.name, 'ProfileFormatError');
    assert.match(err.message, /bad\.json: \$\.compute\[0\]\.kernel/);
    writeFileSync(bad, '{ not json');
    assert.equal(cli.run('profiles', 'import', bad, '--json').json<{ error: { name: string } }>().error.name, 'ProfileImportError');
    assert.equal(cli.run('profiles', 'list', '--json').json<ProfileSummary[]>().length, 4);
  });

  test('estimate vgg11 cut after pool1 at 8 Mbit/s, by hand', () => {
    const r = cli.run('estimate', '--profile', boardId, '--cloud-profile', cloudId, '--model', 'vgg11', '--cut', '4', '--bandwidth', '8', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const e = r.json<EstimateResult>();
    // Edge: conv1 0.5 + 1,769,472e-6 ms, then bn1, relu1, pool1 at 0.01 ms each.
    close(e.edgeMs, 0.5 + 1.769472 + 0.03, 'edge');
    // 16x16x64 float32 = 65,536 bytes: f = 2 ms, S/W = 65,536*8 bit / 8 Mbit/s = 65.536 ms.
    close(e.transferMs, 2 + 65.536, 'transfer');
    // Cloud: the other 153,293,824 - 1,769,472 MACC at 1e-8 ms each.
    close(e.cloudMs, (153_293_824 - 1_769_472) * 1e-8, 'cloud');
    close(e.totalMs, e.edgeMs + e.transferMs + e.cloudMs, 'total');
  });

  test('estimate without a cloud profile counts the cloud as 0 ms; cut 0 sends the 32x32x3 input', () => {
    const e = cli.run('estimate', '--profile', boardId, '--model', 'vgg11', '--dataset', 'cifar10', '--cut', '0', '--bandwidth', '10', '--json').json<EstimateResult>();
    // 12,288 bytes at 10 Mbit/s: 9.8304 ms, plus f = 2 ms.
    assert.deepEqual([e.edgeMs, e.cloudMs], [0, 0]);
    close(e.transferMs, 2 + 9.8304, 'transfer');
  });

  test('estimate errors: a cut past the model, an unknown profile, a missing option', () => {
    const past = cli.run('estimate', '--profile', boardId, '--model', 'vgg11', '--cut', '36', '--bandwidth', '8', '--json');
    assert.equal(past.code, 1);
    assert.match(past.json<{ error: { message: string } }>().error.message, /cut 36/);
    const unknown = cli.run('estimate', '--profile', '999', '--model', 'vgg11', '--cut', '1', '--bandwidth', '8', '--json');
    assert.equal(unknown.json<{ error: { name: string } }>().error.name, 'NotFoundError');
    assert.equal(cli.run('estimate', '--profile', boardId, '--model', 'vgg11', '--bandwidth', '8', '--json').code, 2);
    assert.equal(cli.run('estimate', '--profile', boardId, '--model', 'vgg11', '--cut', '1', '--bandwidth', '0').code, 2);
  });
});
