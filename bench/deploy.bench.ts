/**
 * Deploy time of a vgg11 tree bundle over SSH (Debian's OpenSSH on loopback, the test
 * fixture) against a plain push of the same files to another folder in the same run (what
 * scp would do: no staging, no checksums, no switch). Rounds alternate plain and deploy so
 * a load change on this shared computer touches both. Prints; asserts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshServer } from '../test/fixtures/ssh-server.ts';
import { KnownHosts } from '../native-bridge/known-hosts.ts';
import { SshTransport } from '../native-bridge/ssh-transport.ts';
import { buildBundle } from '../bundle/build-bundle.ts';
import { splitTree } from '../bundle/testing/split-tree.ts';
import { loadBaseWeights } from '../cloud/base-weights.ts';
import { deployBundle } from '../deploy/deploy-bundle.ts';

const ROUNDS = Number(process.env.DEPLOY_BENCH_ROUNDS ?? 3);
const work = await mkdtemp(join(tmpdir(), 'edgetree-deploy-bench-'));
const server = await startSshServer();
try {
  const knownHosts = new KnownHosts(work);
  await knownHosts.trust('127.0.0.1', server.port, server.hostFingerprint(), 'ssh-ed25519');
  const t = await SshTransport.connect({ host: '127.0.0.1', port: server.port, username: server.username, privateKeyPath: server.userKeyPath, knownHosts });

  const t0 = performance.now();
  const tree = await splitTree('vgg11', 'fashion-mnist');
  const { spec, weights } = loadBaseWeights('vgg11', 'fashion-mnist');
  const built = await buildBundle({ tree, base: spec, model: 'vgg11', dataset: 'fashion-mnist', catalog: [], weightsOf: () => weights }, join(work, 'bundle'));
  const packMs = performance.now() - t0;
  const files = [...built.manifest.files.map((f) => f.path), 'manifest.json'];
  const mib = built.bytes / 1024 / 1024;
  console.log(`vgg11/fashion-mnist tree: ${built.manifest.nodes.length} nodes, ${files.length} files, ${mib.toFixed(1)} MiB (float16), packaged in ${(packMs / 1000).toFixed(1)} s`);

  const root = join(server.dir, 'device');
  const rows: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const p0 = performance.now();
    for (const f of files) await t.push(join(built.dir, f), join(root, 'plain', String(round), f));
    const plainMs = performance.now() - p0;
    const d = await deployBundle(t, built.dir, { remoteRoot: root });
    rows.push(`| ${round} | ${(plainMs / 1000).toFixed(2)} s (${(mib / (plainMs / 1000)).toFixed(1)} MiB/s) | ${(d.totalMs / 1000).toFixed(2)} s | ${(d.pushMs / 1000).toFixed(2)} s | ${(d.verifyMs / 1000).toFixed(2)} s (${d.verifiedOn}) | ${((d.totalMs - d.pushMs - d.verifyMs) / 1000).toFixed(2)} s | ${(d.totalMs / plainMs).toFixed(2)} |`);
    console.log(rows.at(-1));
  }
  console.log('\n| round | plain push | deploy total | deploy push | verify on device | rest (local check, staging, switch, prune) | deploy / plain |\n| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  await t.close();
} finally {
  await server.stop();
  await rm(work, { recursive: true, force: true });
}
