import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnownHosts, sshFingerprint, sshKeyType } from './known-hosts.ts';
import { KnownHostsFileError } from './errors.ts';

describe('known hosts store', () => {
  test('fingerprints match ssh-keygen -lf for the same public key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgetree-kh-'));
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
      const line = (await readFile(join(dir, 'k.pub'), 'utf8')).split(' ');
      const blob = Buffer.from(line[1] ?? '', 'base64');
      const printed = execFileSync('ssh-keygen', ['-lf', join(dir, 'k.pub')]).toString().split(' ')[1];
      assert.equal(sshFingerprint(blob), printed);
      assert.equal(sshKeyType(blob), 'ssh-ed25519');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('trust, look up, replace and forget per host and port; survives a reload', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgetree-kh-'));
    try {
      const a = 'SHA256:' + 'A'.repeat(43);
      const b = 'SHA256:' + 'B'.repeat(43);
      const store = new KnownHosts(dir);
      assert.equal(await store.lookup('board', 22), undefined);
      await store.trust('board', 22, a, 'ssh-ed25519');
      await store.trust('board', 2222, b);
      assert.equal((await new KnownHosts(dir).lookup('board', 22))?.fingerprint, a);
      assert.equal((await store.lookup('board', 2222))?.fingerprint, b);
      await store.trust('board', 22, b);
      assert.equal((await store.lookup('board', 22))?.fingerprint, b);
      assert.equal((await store.list()).length, 2);
      assert.equal(await store.forget('board', 22), true);
      assert.equal(await store.forget('board', 22), false);
      assert.equal(await store.lookup('board', 22), undefined);
      await assert.rejects(store.trust('board', 22, 'MD5:aa:bb'), /not an OpenSSH SHA256 fingerprint/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a corrupt store is a KnownHostsFileError naming the file, never an empty trust list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgetree-kh-'));
    try {
      await writeFile(join(dir, 'known-hosts.json'), '{"version": 1, "hosts": [');
      await assert.rejects(new KnownHosts(dir).lookup('x', 22), (e: unknown) =>
        e instanceof KnownHostsFileError && e.message.includes(join(dir, 'known-hosts.json')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
