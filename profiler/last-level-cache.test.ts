import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { LocalTransport } from '../native-bridge/local-transport.ts';
import { parseCacheSize, readLastLevelCacheBytes } from './last-level-cache.ts';

describe('last-level cache size', () => {
  test('sysfs sizes in bytes', () => {
    assert.equal(parseCacheSize('32768K\n'), 32 * 1024 * 1024);
    assert.equal(parseCacheSize('8M'), 8 * 1024 * 1024);
    assert.equal(parseCacheSize('524288'), 524_288);
    assert.equal(parseCacheSize(''), null);
    assert.equal(parseCacheSize('0K'), null);
    assert.equal(parseCacheSize('big'), null);
  });

  test('this computer over the local transport: the largest cache sysfs lists for cpu0', async () => {
    const dir = '/sys/devices/system/cpu/cpu0/cache';
    let expected: number | null = null;
    try {
      const sizes = readdirSync(dir).filter((d) => d.startsWith('index')).map((d) => parseCacheSize(readFileSync(`${dir}/${d}/size`, 'utf8')) ?? 0);
      expected = sizes.length > 0 ? Math.max(...sizes) : null;
    } catch {
      expected = null;
    }
    const t = new LocalTransport();
    try {
      assert.equal(await readLastLevelCacheBytes(t), expected);
    } finally {
      await t.close();
    }
  });
});
