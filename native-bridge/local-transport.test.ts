import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { LocalTransport } from './local-transport.ts';
import { CGROUP_CPU_ROOT } from './cpu-limit.ts';
import { CommandAbortedError, CommandTimeoutError, TransferError } from './errors.ts';

describe('local transport', () => {
  let dir = '';
  const device = new LocalTransport();
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgetree-local-'));
  });
  after(async () => {
    await device.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('identify reports this machine: cores, memory, ABI', async () => {
    const id = await device.identify();
    assert.equal(id.id, 'local');
    const nproc = Number((await device.exec('nproc', { timeoutMs: 5000 })).stdout.trim());
    assert.equal(id.cores, nproc);
    const memKb = Number(/MemTotal:\s+(\d+)/.exec(await readFile('/proc/meminfo', 'utf8'))?.[1]);
    // os.totalmem() and /proc/meminfo agree to the kilobyte.
    assert.ok(Math.abs(id.memoryBytes - memKb * 1024) < 4096, `${id.memoryBytes} vs ${memKb * 1024}`);
    assert.equal(id.abi, (await device.exec('uname -m', { timeoutMs: 5000 })).stdout.trim());
    assert.match(id.os, /^Linux \d/);
  });

  test('exec returns stdout, stderr and the exit code', async () => {
    const r = await device.exec('echo out; echo err >&2; exit 3', { timeoutMs: 5000 });
    assert.deepEqual(r, { stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
  });

  test('a command past its timeout is killed with its children and fails with CommandTimeoutError', async () => {
    const marker = join(dir, 'survived');
    const started = Date.now();
    await assert.rejects(
      device.exec(`sh -c 'sleep 2; touch ${marker}' & wait`, { timeoutMs: 300 }),
      (e: unknown) => e instanceof CommandTimeoutError && e.timeoutMs === 300 && /within 300 ms/.test(e.message),
    );
    assert.ok(Date.now() - started < 1500, 'the timeout fired promptly');
    await new Promise((r) => setTimeout(r, 2200));
    assert.equal(existsSync(marker), false, 'the child shell was killed too');
  });

  test('aborting cancels a running command', async () => {
    const ac = new AbortController();
    const pending = device.exec('sleep 5', { timeoutMs: 10_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    const started = Date.now();
    await assert.rejects(pending, CommandAbortedError);
    assert.ok(Date.now() - started < 2000);
  });

  test('push and pull copy bytes exactly and report progress up to the size', async () => {
    const data = randomBytes(1024 * 1024 + 7);
    const src = join(dir, 'src.bin');
    await writeFile(src, data);
    const seen: Array<[number, number]> = [];
    await device.push(src, join(dir, 'remote', 'deep', 'f.bin'), (s, t) => seen.push([s, t]));
    assert.deepEqual(seen.at(-1), [data.length, data.length]);
    assert.ok(seen.length > 1, 'progress came in several steps');
    await device.pull(join(dir, 'remote', 'deep', 'f.bin'), join(dir, 'back.bin'));
    assert.ok((await readFile(join(dir, 'back.bin'))).equals(data));
  });

  test('pulling a missing file fails with TransferError naming the path', async () => {
    await assert.rejects(device.pull(join(dir, 'nope.bin'), join(dir, 'x.bin')), (e: unknown) =>
      e instanceof TransferError && e.message.includes('nope.bin') && e.message.includes('device local'));
  });
});

describe('LocalTransport held to a CPU quota (local:0.5)', { skip: existsSync(`${CGROUP_CPU_ROOT}/cpu.cfs_quota_us`) ? false : `no writable cgroup v1 cpu hierarchy at ${CGROUP_CPU_ROOT}` }, () => {
  test('commands run in its cgroup with the quota, a busy loop gets about half a CPU, and close removes the group', async () => {
    const held = new LocalTransport({ cpus: 0.5 });
    assert.equal(held.id, 'local:0.5');
    assert.match(held.describeLimit() ?? '', /cfs_quota_us 5000 per cpu.cfs_period_us 10000 \(0.5 CPU\)/);
    const r = await held.exec('grep "^[0-9]*:cpu[,:]" /proc/self/cgroup', { timeoutMs: 5000 });
    const group = /:cpu[^:]*:\/(edgetree-local-[^\s]+)/.exec(r.stdout)?.[1];
    assert.ok(group, `in its own cpu cgroup: ${r.stdout}`);
    // A 0.1 s CPU-bound loop: with 0.5 CPU in 10 ms periods even a short job takes about twice its CPU time.
    const t = await held.exec(`${JSON.stringify(process.execPath)} -e "const s=process.cpuUsage(), w=Date.now(); while ((process.cpuUsage(s).user) < 100000); console.log(JSON.stringify({ wall: Date.now() - w, cpu: process.cpuUsage(s).user / 1000 }))"`, { timeoutMs: 20_000 });
    const { wall, cpu } = JSON.parse(t.stdout) as { wall: number; cpu: number };
    assert.ok(wall >= 1.6 * cpu, `wall ${wall} ms for ${cpu} ms of CPU`);
    await held.close();
    assert.equal(existsSync(`${CGROUP_CPU_ROOT}/${group}`), false);
  });
});

test('local:js: every command it runs is told to use the JavaScript backend (EDGETREE_DEVICE_BACKEND=cpu); plain local is not', async () => {
  const js = new LocalTransport({ js: true });
  assert.equal(js.id, 'local:js');
  assert.equal((await js.exec('echo "[$EDGETREE_DEVICE_BACKEND]"', { timeoutMs: 5000 })).stdout.trim(), '[cpu]');
  await js.close();
  const plain = new LocalTransport();
  assert.equal((await plain.exec('echo "[$EDGETREE_DEVICE_BACKEND]"', { timeoutMs: 5000 })).stdout.trim(), `[${process.env.EDGETREE_DEVICE_BACKEND ?? ''}]`);
  await plain.close();
});
