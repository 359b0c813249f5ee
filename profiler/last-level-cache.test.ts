import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { LocalTransport } from '../native-bridge/local-transport.ts';
import { CACHE_PROBE_COMMAND, parseCacheProbe, parseCacheSize, readLastLevelCache } from './last-level-cache.ts';
import { describeLastLevelCache } from '../latency/describe-cache.ts';
import { HiddenPathsTransport, hidingUnavailable } from '../test/fixtures/hidden-paths-transport.ts';

const SYSFS_CACHE = '/sys/devices/system/cpu/cpu0/cache';
const MIB = 1024 ** 2;

/** Where a command is on this computer's PATH, or null. */
function whereIs(command: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

describe('last-level cache size', () => {
  test('sizes as sysfs, /proc/cpuinfo and lscpu write them', () => {
    assert.equal(parseCacheSize('32768K\n'), 32 * MIB);
    assert.equal(parseCacheSize('8M'), 8 * MIB);
    assert.equal(parseCacheSize('524288'), 524_288);
    assert.equal(parseCacheSize('1024 KB'), MIB);
    assert.equal(parseCacheSize('1.5 MiB'), 1.5 * MIB);
    assert.equal(parseCacheSize(''), null);
    assert.equal(parseCacheSize('0K'), null);
    assert.equal(parseCacheSize('big'), null);
    assert.equal(parseCacheSize('12 parsecs'), null);
  });

  // What CACHE_PROBE_COMMAND prints on machines of several kinds.
  const probes: { machine: string; out: string; bytes: number | null; source: string }[] = [
    {
      machine: 'an x86 server with sysfs: its L3, the largest of cpu0',
      out: '@sysfs\n48K\n32K\n1024K\n32768K\n@cpuinfo\ncache size\t: 32768 KB\n@getconf\nL2 1048576\nL3 33554432\nL4 \n@lscpu\nL3 cache:   32 MiB (1 instance)\n',
      bytes: 32 * MIB, source: 'sysfs',
    },
    {
      machine: 'an Intel virtual machine without the sysfs cache folder: /proc/cpuinfo (its L3 there)',
      out: '@sysfs\n@cpuinfo\nvendor_id\t: GenuineIntel\ncache size\t: 36608 KB\n@getconf\nL2 2097152\nL3 37486592\nL4 \n@lscpu\n',
      bytes: 36608 * 1024, source: 'cpuinfo',
    },
    {
      machine: 'an AMD virtual machine without the sysfs cache folder: /proc/cpuinfo names the L2, so getconf',
      out: '@sysfs\n@cpuinfo\nvendor_id\t: AuthenticAMD\ncache size\t: 1024 KB\n@getconf\nL2 1048576\nL3 532676608\nL4 \n@lscpu\n',
      bytes: 532676608, source: 'getconf',
    },
    {
      machine: 'neither sysfs nor /proc/cpuinfo: getconf, its largest level',
      out: '@sysfs\n@cpuinfo\n@getconf\nL2 1048576\nL3 8388608\nL4 0\n@lscpu\n',
      bytes: 8 * MIB, source: 'getconf',
    },
    {
      machine: 'an ARM board whose lscpu alone knows (util-linux 2.31 style)',
      out: '@sysfs\n@cpuinfo\n@getconf\nL2 0\nL3 0\nL4 0\n@lscpu\nL1d cache:           32K\nL1i cache:           48K\nL2 cache:            2048K\n',
      bytes: 2 * MIB, source: 'lscpu',
    },
    {
      machine: 'lscpu totals over instances: one instance is a core\'s',
      out: '@sysfs\n@cpuinfo\n@getconf\n@lscpu\nL1d cache:   64 KiB (2 instances)\nL2 cache:   2 MiB (2 instances)\n',
      bytes: MIB, source: 'lscpu',
    },
    {
      machine: 'an Android phone: no cache size anywhere, toybox getconf refuses the names',
      out: '@sysfs\n@cpuinfo\n@getconf\nL2 \nL3 \nL4 \n@lscpu\n',
      bytes: null, source: 'unknown',
    },
  ];
  for (const p of probes) {
    test(`probe of ${p.machine}`, () => {
      assert.deepEqual(parseCacheProbe(p.out), { bytes: p.bytes, source: p.source });
    });
  }

  test('the probe is one POSIX sh command that answers on this computer', async () => {
    const t = new LocalTransport();
    try {
      const r = await t.exec(CACHE_PROBE_COMMAND, { timeoutMs: 15_000 });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.deepEqual(r.stdout.split('\n').filter((l) => l.startsWith('@')), ['@sysfs', '@cpuinfo', '@getconf', '@lscpu']);
      const cache = await readLastLevelCache(t);
      assert.ok(cache.bytes === null ? cache.source === 'unknown' : cache.bytes > 0, JSON.stringify(cache));
    } finally {
      await t.close();
    }
  });

  const why = hidingUnavailable();
  test('with sysfs hidden, the next source that answers gives the size; with every source hidden, unknown', { skip: why ?? false }, async () => {
    const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    const cpuinfoLine = /^cache size\s*:\s*(.+)$/im.exec(cpuinfo)?.[1];
    const amd = /^vendor_id\s*:\s*(AuthenticAMD|HygonGenuine)\s*$/im.test(cpuinfo);
    const noSysfs = new HiddenPathsTransport([SYSFS_CACHE]);
    try {
      const cache = await readLastLevelCache(noSysfs);
      assert.notEqual(cache.source, 'sysfs');
      if (cpuinfoLine !== undefined && !amd) assert.deepEqual(cache, { bytes: parseCacheSize(cpuinfoLine), source: 'cpuinfo' });
      else assert.notEqual(cache.source, 'cpuinfo', 'an AMD cpuinfo names the L2, not the last level');
    } finally {
      await noSysfs.close();
    }
    const tools = ['getconf', 'lscpu'].map(whereIs).filter((p): p is string => p !== null);
    const nothing = new HiddenPathsTransport([SYSFS_CACHE, '/proc/cpuinfo', ...tools]);
    try {
      const cache = await readLastLevelCache(nothing);
      assert.deepEqual(cache, { bytes: null, source: 'unknown' });
      assert.match(describeLastLevelCache(cache), /^unknown/);
    } finally {
      await nothing.close();
    }
  });

  test('words for the screen', () => {
    assert.equal(describeLastLevelCache({ bytes: MIB, source: 'cpuinfo' }), '1 MiB (from /proc/cpuinfo)');
    assert.equal(describeLastLevelCache({ bytes: 32 * MIB, source: 'sysfs' }), '32 MiB (from /sys/devices/system/cpu/cpu0/cache)');
    assert.equal(describeLastLevelCache({ bytes: 512 * 1024, source: 'lscpu' }), '512 KiB (from lscpu)');
  });
});
