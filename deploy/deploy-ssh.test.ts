import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshServer } from '../test/fixtures/ssh-server.ts';
import type { SshServerFixture } from '../test/fixtures/ssh-server.ts';
import { KnownHosts } from '../native-bridge/known-hosts.ts';
import { SshTransport } from '../native-bridge/ssh-transport.ts';
import type { DeviceTransport } from '../native-bridge/device-transport.ts';
import type { BuiltBundle } from '../bundle/build-bundle.ts';
import { deployBundle } from './deploy-bundle.ts';
import type { DeployProgress } from './deploy-bundle.ts';
import { rollbackBundle, verifyDeployedBundle } from './deployed-bundle.ts';
import { RemoteChecksumError } from './deploy-error.ts';
import { testBundle } from './testing/test-bundles.ts';

describe('deploy over SSH to Debian\'s OpenSSH server', () => {
  let server: SshServerFixture;
  let work = '';
  let root = '';
  let a: BuiltBundle;
  let b: BuiltBundle;
  let connect: () => Promise<SshTransport>;

  before(async () => {
    server = await startSshServer();
    work = await mkdtemp(join(tmpdir(), 'edgetree-deploy-ssh-'));
    const knownHosts = new KnownHosts(work);
    await knownHosts.trust('127.0.0.1', server.port, server.hostFingerprint(), 'ssh-ed25519');
    connect = () => SshTransport.connect({ host: '127.0.0.1', port: server.port, username: server.username, privateKeyPath: server.userKeyPath, knownHosts });
    root = join(server.dir, 'device', 'edgetree');
    a = await testBundle(work, 'a', '2025-01-01T00:00:00Z');
    b = await testBundle(work, 'b', '2025-02-01T00:00:00Z');
  });
  after(async () => {
    await server?.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('first deploy: progress up to every byte, checksums checked on the device, current points at a byte-identical copy', async () => {
    const t = await connect();
    try {
      const seen: DeployProgress[] = [];
      const r = await deployBundle(t, a.dir, { remoteRoot: root, onProgress: (p) => seen.push(p) });
      assert.equal(r.verifiedOn, 'device');
      assert.equal(r.previous, null);
      assert.equal(r.bytes, a.bytes);
      const pushes = seen.filter((p) => p.phase === 'push');
      assert.ok(pushes.length > 4, `${pushes.length} progress events`);
      for (let i = 1; i < pushes.length; i++) assert.ok(pushes[i].doneBytes >= pushes[i - 1].doneBytes, 'bytes only grow');
      assert.equal(pushes.at(-1)?.doneBytes, a.bytes);
      assert.ok(seen.every((p) => p.totalBytes === a.bytes));
      assert.deepEqual([...new Set(seen.map((p) => p.phase))], ['push', 'verify', 'swap', 'done']);
      assert.equal(readlinkSync(join(root, 'current')), `bundles/${r.name}`);
      for (const f of [...a.manifest.files.map((x) => x.path), 'manifest.json']) {
        assert.ok(readFileSync(join(root, 'current', f)).equals(readFileSync(join(a.dir, f))), f);
      }
      const deployed = await verifyDeployedBundle(t, root);
      assert.equal(deployed?.name, r.name);
      assert.deepEqual(deployed?.manifest, a.manifest);
      assert.equal(deployed?.verifiedOn, 'device');
    } finally {
      await t.close();
    }
  });

  test('a push cut off halfway (the connection closed) leaves the previous bundle current and verifiable', async () => {
    const before = await connect();
    const was = await verifyDeployedBundle(before, root);
    await before.close();
    const t = await connect();
    let closed = false;
    await assert.rejects(deployBundle(t, b.dir, {
      remoteRoot: root,
      onProgress: (p) => {
        if (!closed && p.phase === 'push' && p.doneBytes > p.totalBytes / 2) {
          closed = true;
          void t.close();
        }
      },
    }));
    assert.ok(closed, 'the transport was closed mid-push');
    const after = await connect();
    try {
      const now = await verifyDeployedBundle(after, root);
      assert.equal(now?.name, was?.name);
      assert.equal(now?.manifestSha256, was?.manifestSha256);
      assert.ok(readdirSync(join(root, 'staging')).length === 1, 'the cut-off push stayed in staging');
    } finally {
      await after.close();
    }
  });

  test('a file that differs on the device after the push is caught by the device\'s sha256sum; current does not move', async () => {
    const real = await connect();
    const was = await verifyDeployedBundle(real, root);
    const weights = b.manifest.nodes[0].device?.weights as string;
    // A link that flips the last byte of one file as it lands (a faulty storage or a meddler).
    const faulty: DeviceTransport = {
      id: real.id,
      identify: () => real.identify(),
      exec: (c, o) => real.exec(c, o),
      pull: (r, l, p) => real.pull(r, l, p),
      close: () => real.close(),
      async push(local, remote, progress) {
        await real.push(local, remote, progress);
        if (remote.endsWith(weights)) await real.exec(`printf 'Z' | dd of='${remote}' bs=1 seek=$(( $(stat -c %s '${remote}') - 1 )) conv=notrunc 2>/dev/null`, { timeoutMs: 10_000 });
      },
    };
    try {
      await assert.rejects(deployBundle(faulty, b.dir, { remoteRoot: root }), (e: unknown) => e instanceof RemoteChecksumError && e.path === weights && /has SHA-256/.test(e.message));
      assert.equal((await verifyDeployedBundle(real, root))?.name, was?.name);
    } finally {
      await real.close();
    }
  });

  test('a second deploy keeps the first as previous, clears stale staging, and rollback swaps them back', async () => {
    const t = await connect();
    try {
      const first = (await verifyDeployedBundle(t, root))?.name;
      const r = await deployBundle(t, b.dir, { remoteRoot: root });
      assert.equal(r.previous, first);
      assert.equal(readlinkSync(join(root, 'current')), `bundles/${r.name}`);
      assert.equal(readlinkSync(join(root, 'previous')), `bundles/${first}`);
      assert.deepEqual(readdirSync(join(root, 'bundles')).sort(), [first, r.name].sort());
      assert.equal(existsSync(join(root, 'staging', r.name)), false);
      assert.deepEqual(readdirSync(join(root, 'staging')), []);
      assert.deepEqual((await verifyDeployedBundle(t, root, 'previous'))?.manifest, a.manifest);
      assert.deepEqual(await rollbackBundle(t, root), { current: first, previous: r.name });
      assert.deepEqual((await verifyDeployedBundle(t, root))?.manifest, a.manifest);
    } finally {
      await t.close();
    }
  });
});
