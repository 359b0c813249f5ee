import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshServer } from '../test/fixtures/ssh-server.ts';
import type { SshServerFixture } from '../test/fixtures/ssh-server.ts';
import { KnownHosts } from './known-hosts.ts';
import { SshTransport } from './ssh-transport.ts';
import type { SshConnectOptions } from './ssh-transport.ts';
import { CommandAbortedError, CommandTimeoutError, DeviceUnauthorizedError, DeviceUnreachableError, HostKeyRefusedError, HostKeyUnknownError } from './errors.ts';

describe('SSH transport against a real OpenSSH server', () => {
  let server: SshServerFixture;
  let home = '';
  let knownHosts: KnownHosts;
  let options: SshConnectOptions;

  before(async () => {
    server = await startSshServer();
    home = await mkdtemp(join(tmpdir(), 'edgetree-ssh-home-'));
    knownHosts = new KnownHosts(home);
    options = { host: '127.0.0.1', port: server.port, username: server.username, privateKeyPath: server.userKeyPath, knownHosts };
  });
  after(async () => {
    await server?.stop();
    await rm(home, { recursive: true, force: true });
  });

  test('first connection asks to confirm the host key; the fingerprint is the one ssh-keygen prints', async () => {
    await assert.rejects(SshTransport.connect(options), (e: unknown) => {
      assert.ok(e instanceof HostKeyUnknownError);
      assert.equal(e.fingerprint, server.hostFingerprint());
      assert.equal(e.keyType, 'ssh-ed25519');
      assert.match(e.message, /not known/);
      return true;
    });
    assert.equal(await knownHosts.lookup('127.0.0.1', server.port), undefined, 'nothing trusted without the user');
  });

  test('after trust: identify, exec with exit code, timeout, 1 MiB push and pull with progress', async () => {
    await knownHosts.trust('127.0.0.1', server.port, server.hostFingerprint(), 'ssh-ed25519');
    const device = await SshTransport.connect(options);
    try {
      assert.equal(device.id, `ssh:${server.username}@127.0.0.1:${server.port}`);
      const id = await device.identify();
      assert.equal(id.transport, 'ssh');
      assert.equal(id.cores, Number(execFileSync('nproc').toString().trim()));
      assert.equal(id.abi, execFileSync('uname', ['-m']).toString().trim());
      const memKb = Number(/MemTotal:\s+(\d+)/.exec(await readFile('/proc/meminfo', 'utf8'))?.[1]);
      assert.equal(id.memoryBytes, memKb * 1024);

      assert.deepEqual(await device.exec('echo hi; echo oops >&2; exit 7', { timeoutMs: 10_000 }), { stdout: 'hi\n', stderr: 'oops\n', exitCode: 7 });

      const marker = join(home, 'survived');
      const started = Date.now();
      await assert.rejects(device.exec(`sleep 3 && touch ${marker}`, { timeoutMs: 400 }), CommandTimeoutError);
      assert.ok(Date.now() - started < 2500);

      const ac = new AbortController();
      const aborted = device.exec('sleep 10', { timeoutMs: 20_000, signal: ac.signal });
      setTimeout(() => ac.abort(), 200);
      await assert.rejects(aborted, CommandAbortedError);

      const data = randomBytes(1024 * 1024);
      const src = join(home, 'src.bin');
      await writeFile(src, data);
      const remote = join(server.dir, 'remote', 'sub', 'payload.bin');
      const pushed: number[] = [];
      await device.push(src, remote, (sent, total) => {
        assert.equal(total, data.length);
        pushed.push(sent);
      });
      assert.equal(pushed.at(-1), data.length);
      assert.ok(pushed.length >= 2, `progress in steps: ${pushed.join(',')}`);
      assert.ok((await readFile(remote)).equals(data), 'byte-identical on the server');

      const pulled: number[] = [];
      await device.pull(remote, join(home, 'back.bin'), (got) => pulled.push(got));
      assert.equal(pulled.at(-1), data.length);
      assert.ok((await readFile(join(home, 'back.bin'))).equals(data));

      // The timed-out command's `touch` never ran: its process group was killed.
      await new Promise((r) => setTimeout(r, 3000 - (Date.now() - started) + 300));
      await assert.rejects(readFile(marker), { code: 'ENOENT' });
    } finally {
      await device.close();
    }
  });

  test('agent authentication works with the key loaded in ssh-agent', async () => {
    const sock = join(home, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50; i++) {
        try {
          execFileSync('ssh-add', [server.userKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      const device = await SshTransport.connect({ ...options, privateKeyPath: undefined, agentSocket: sock });
      assert.equal((await device.exec('echo agent', { timeoutMs: 10_000 })).stdout, 'agent\n');
      await device.close();
    } finally {
      agent.kill();
    }
  });

  test('a key the server does not accept is DeviceUnauthorizedError', async () => {
    const other = join(home, 'other_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    await assert.rejects(SshTransport.connect({ ...options, privateKeyPath: other }), (e: unknown) =>
      e instanceof DeviceUnauthorizedError && e.message.includes(server.username));
  });

  test('a changed host key is refused with an explanation, and the old key stays trusted', async () => {
    const before = server.hostFingerprint();
    await server.restartWithNewHostKey();
    const after = server.hostFingerprint();
    assert.notEqual(after, before);
    await assert.rejects(SshTransport.connect(options), (e: unknown) => {
      assert.ok(e instanceof HostKeyRefusedError);
      assert.equal(e.expectedFingerprint, before);
      assert.equal(e.presentedFingerprint, after);
      assert.match(e.message, /has changed/);
      return true;
    });
    assert.equal((await knownHosts.lookup('127.0.0.1', server.port))?.fingerprint, before);
  });

  test('a stopped server is DeviceUnreachableError', async () => {
    const port = server.port;
    await server.halt();
    await assert.rejects(SshTransport.connect(options), (e: unknown) =>
      e instanceof DeviceUnreachableError && e.message.includes(`127.0.0.1:${port}`) && e.message.includes('ECONNREFUSED'));
  });
});
