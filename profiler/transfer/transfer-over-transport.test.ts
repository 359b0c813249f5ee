// The device-link variant, run against this computer through the local transport: the
// sender script is pushed, run once for all sizes, and its uploads reach the receiver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalTransport } from '../../native-bridge/local-transport.ts';
import { transferOverTransport } from './transfer-over-transport.ts';
import { TransferRunError } from './errors.ts';

test('uploads from the local device over loopback: every size and repeat timed, lines fitted at the stated W', { timeout: 30000 }, async () => {
  const transport = new LocalTransport();
  try {
    const remotePath = `/tmp/edgetree-upload-sender-${process.pid}.mjs`;
    const r = await transferOverTransport({ transport, bandwidthMbps: 1000, sizes: [1024, 262144, 4194304], repeats: 2, studioHost: '127.0.0.1', remotePath });
    assert.equal(r.samples.length, 6);
    assert.deepEqual(r.samples.map((s) => s.bytes), [1024, 262144, 4194304, 1024, 262144, 4194304]);
    assert.deepEqual(r.samples.map((s) => s.repeat), [0, 0, 0, 1, 1, 1]);
    assert.ok(r.samples.every((s) => s.ms > 0 && s.link === 'transport:local'));
    assert.deepEqual(r.lines.map((l) => l.bandwidthMbps), [1000]);
    // 4 MiB over loopback takes longer than 1 KiB.
    assert.ok(r.samples[2].ms > r.samples[0].ms);
    const left = await transport.exec(`test -e ${remotePath} && echo left || echo gone`, { timeoutMs: 5000 });
    assert.equal(left.stdout.trim(), 'gone');
  } finally {
    await transport.close();
  }
});

test('a device without the named Node gives a TransferRunError naming the device and the exit status', { timeout: 30000 }, async () => {
  const transport = new LocalTransport();
  try {
    await assert.rejects(
      transferOverTransport({ transport, bandwidthMbps: 10, sizes: [1024, 2048], repeats: 1, studioHost: '127.0.0.1', port: 0, remoteNode: 'node-that-does-not-exist' }),
      (e: unknown) => e instanceof TransferRunError && /upload sender on local exited with 127/.test(e.message),
    );
  } finally {
    await transport.close();
  }
});
