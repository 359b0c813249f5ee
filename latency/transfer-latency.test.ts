import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceProfile } from './device-profile.ts';
import { firstPacketMs, sendTimeUnderTraceS, transferMs, transferMsUnderTrace } from './transfer-latency.ts';
import type { BandwidthTrace } from '../traces/trace.ts';

const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

const bare: DeviceProfile = { formatVersion: 1, name: 'bare', device: { id: 'x' }, compute: [], transfer: [] };
// One line: f(S|W) = 5 + 1e-5 * S at every W.
const oneLine: DeviceProfile = { ...bare, name: 'one', transfer: [{ bandwidthMbps: 10, interceptMs: 5, slopeMsPerByte: 1e-5 }] };

// 8 Mbit/s (1e6 byte/s) for 2 s, an outage for 1 s, 4 Mbit/s (0.5e6 byte/s) for 2 s: 3e6 bytes per 5 s loop.
const trace: BandwidthTrace = { name: 'steps', format: 'csv', tS: [0, 2, 3], mbps: [8, 0, 4], endS: 5 };

describe('transfer latency (Eq. 6)', () => {
  test('constant bandwidth: f(S|W) + S/W', () => {
    // 1 MB at 8 Mbit/s: 8e6 bit / 8e6 bit/s = 1 s; f = 5 + 10 = 15 ms.
    close(transferMs(1e6, 8, oneLine), 1015);
    close(transferMs(1e6, 8, bare), 1000);
    assert.equal(transferMs(0, 8, oneLine), 0);
    assert.throws(() => transferMs(-1, 8, bare), /bytes to send must be/);
  });

  test('f interpolates linearly in log W', () => {
    const two: DeviceProfile = {
      ...bare,
      transfer: [
        { bandwidthMbps: 100, interceptMs: 2, slopeMsPerByte: 0 },
        { bandwidthMbps: 1, interceptMs: 10, slopeMsPerByte: 0 },
      ],
    };
    // 10 is half way from 1 to 100 in log: (10 + 2) / 2 = 6 ms; 100^(1/4) ~ 3.162 a quarter way: 10 - 8/4 = 8 ms.
    close(firstPacketMs(1, 10, two), 6);
    close(firstPacketMs(1, Math.sqrt(10), two), 8);
    close(firstPacketMs(1, 0, two), 10);
  });

  test('1 MB starting mid-way through the first step and across the outage', () => {
    // From 1.5 s: 0.5 s at 1e6 B/s carries 0.5e6; wait out 2..3 s; 0.5e6 at 0.5e6 B/s takes 1 s.
    // 0.5 + 1 + 1 = 2.5 s.
    close(sendTimeUnderTraceS(1e6, trace, 1.5), 2.5);
    close(transferMsUnderTrace(1e6, trace, 1.5, oneLine), 2515);
    // From 1 s the first step carries exactly 1e6 bytes by its end at 2 s.
    close(sendTimeUnderTraceS(1e6, trace, 1), 1);
  });

  test('starting in an outage waits for it to end', () => {
    // From 2.5 s: wait 0.5 s, then 0.25e6 bytes at 0.5e6 B/s = 0.5 s.
    close(sendTimeUnderTraceS(0.25e6, trace, 2.5), 1);
  });

  test('wrapping the end of the trace', () => {
    // From 4 s: 1 s at 0.5e6 B/s carries 0.5e6 up to 5 s, the trace loops, the other
    // 0.5e6 at 1e6 B/s takes 0.5 s: 1.5 s.
    close(sendTimeUnderTraceS(1e6, trace, 4), 1.5);
    // A start past the end loops first: 9 s is 4 s into the second loop.
    close(sendTimeUnderTraceS(1e6, trace, 9), 1.5);
    // 10 MB from 0: three loops carry 9e6 bytes in 15 s, the last 1e6 takes 1 s: 16 s.
    close(sendTimeUnderTraceS(10e6, trace, 0), 16);
    // Exactly three loops' worth ends when the third loop's last step ends: 15 s.
    close(sendTimeUnderTraceS(9e6, trace, 0), 15);
  });

  test('a trace that carries nothing is an error', () => {
    const dead: BandwidthTrace = { name: 'dead', format: 'csv', tS: [0, 1], mbps: [0, 0] };
    assert.throws(() => sendTimeUnderTraceS(1, dead, 0), /trace "dead" carries no data/);
    assert.throws(() => sendTimeUnderTraceS(1, trace, -1), /start time must be/);
  });
});
