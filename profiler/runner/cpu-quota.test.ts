import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpuQuotaOf, type ReadText } from './cpu-quota.ts';
import { createCpuLimit, DEFAULT_PERIOD_US } from '../../native-bridge/cpu-limit.ts';
import { firstWarmupMs } from '../hosts/own-cpu-quota.ts';

const files = (map: Record<string, string>): ReadText => (path) => map[path] ?? null;

describe('cpuQuotaOf', () => {
  test('cgroup v1: the process group quota over its period; -1 is no quota', () => {
    const self = '12:cpu,cpuacct:/edgetree-local-1\n11:memory:/\n';
    const read = files({
      '/sys/fs/cgroup/cpu/edgetree-local-1/cpu.cfs_quota_us': '1000\n', '/sys/fs/cgroup/cpu/edgetree-local-1/cpu.cfs_period_us': '2000\n',
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
    });
    assert.deepEqual(cpuQuotaOf(self, read), { cpus: 0.5, periodUs: 2000, source: '/sys/fs/cgroup/cpu/edgetree-local-1/cpu.cfs_quota_us' });
    assert.equal(cpuQuotaOf('12:cpu,cpuacct:/\n', read), null);
  });

  test('a quota on a group above the process counts; the tightest wins', () => {
    const self = '3:cpu:/docker/abc/sub\n';
    const read = files({
      '/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us': '150000', '/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_period_us': '100000',
      '/sys/fs/cgroup/cpu/docker/cpu.cfs_quota_us': '400000', '/sys/fs/cgroup/cpu/docker/cpu.cfs_period_us': '100000',
    });
    assert.deepEqual(cpuQuotaOf(self, read), { cpus: 1.5, periodUs: 100000, source: '/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us' });
  });

  test('cgroup v2: cpu.max of the group, "max" is no quota', () => {
    const read = files({ '/sys/fs/cgroup/user.slice/app/cpu.max': '50000 100000\n', '/sys/fs/cgroup/user.slice/cpu.max': 'max 100000\n' });
    assert.deepEqual(cpuQuotaOf('0::/user.slice/app\n', read), { cpus: 0.5, periodUs: 100000, source: '/sys/fs/cgroup/user.slice/app/cpu.max' });
    assert.equal(cpuQuotaOf('0::/user.slice\n', read), null);
  });

  test('nothing readable, or a cgroup file that is not one: no quota known', () => {
    assert.equal(cpuQuotaOf('', files({})), null);
    assert.equal(cpuQuotaOf('not a cgroup line\n', files({})), null);
    assert.equal(cpuQuotaOf('12:cpu:/x\n', files({ '/sys/fs/cgroup/cpu/x/cpu.cfs_quota_us': 'garbage' })), null);
  });

  test('a real process in a real cgroup v1 quota reads it (skipped where the hierarchy is missing)', (t) => {
    const limit = createCpuLimit(`edgetree-quota-test-${process.pid}`, 0.5);
    if (limit === null) {
      t.skip('no writable cgroup v1 cpu hierarchy here');
      return;
    }
    try {
      const script = `echo $$ > ${limit.procsFile} && exec cat /proc/self/cgroup`;
      const self = spawnSync('sh', ['-c', script], { encoding: 'utf8' }).stdout;
      const read: ReadText = (path) => { try { return readFileSync(path, 'utf8'); } catch { return null; } };
      assert.deepEqual(cpuQuotaOf(self, read), { cpus: 0.5, periodUs: DEFAULT_PERIOD_US, source: limit.procsFile.replace('cgroup.procs', 'cpu.cfs_quota_us') });
      // The runner's own reading, in a Node process that joined the group before it started.
      const node = `echo $$ > ${limit.procsFile} && exec ${process.execPath} --import tsx -e "import('./profiler/hosts/own-cpu-quota.ts').then((m) => console.log(JSON.stringify(m.ownTiming())))"`;
      const own = JSON.parse(spawnSync('sh', ['-c', node], { encoding: 'utf8' }).stdout) as { batchMs: number; describe: string; warmupScale: number };
      assert.equal(own.warmupScale, 2, 'a fresh process warms up twice as long on half a CPU');
      assert.equal(firstWarmupMs(own, 300), 1600, 'a first model of 300 ms warm-up warms (300 + 500) x 2 ms');
      assert.equal(own.batchMs, 50, 'five 10 ms periods a batch');
      assert.match(own.describe, /50 ms batch means, under a CPU quota of 0\.5 CPU \(5000 µs per 10000 µs/);
    } finally {
      limit.remove();
    }
  });
});
