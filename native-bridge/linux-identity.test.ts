import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseLinuxIdentity } from './linux-identity.ts';

// Abridged /proc files as an x86 server and a Raspberry Pi 4 print them.
const X86_CPUINFO = 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Gold 6230\n\nprocessor\t: 1\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Gold 6230\n';
const PI_CPUINFO = 'processor\t: 0\nBogoMIPS\t: 108.00\nCPU part\t: 0xd08\n\nprocessor\t: 1\n\nprocessor\t: 2\n\nprocessor\t: 3\n\nHardware\t: BCM2835\nRevision\t: c03114\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n';

describe('Linux identity from /proc text', () => {
  test('x86: CPU from "model name", not the numeric "model"; hostname names the machine', () => {
    assert.deepEqual(
      parseLinuxIdentity({ uname: 'Linux 6.1.0-18-amd64 x86_64', cpuinfo: X86_CPUINFO, meminfo: 'MemTotal:       16384000 kB\nMemFree: 1 kB\n', deviceTreeModel: '', hostname: 'build-box\n', nproc: '2\n' }),
      { model: 'build-box', os: 'Linux 6.1.0-18-amd64', cpu: 'Intel(R) Xeon(R) Gold 6230', abi: 'x86_64', cores: 2, memoryBytes: 16384000 * 1024 },
    );
  });

  test('Raspberry Pi: board model from the device tree (NUL stripped), SoC from "Hardware", cores counted when nproc is missing', () => {
    const id = parseLinuxIdentity({ uname: 'Linux 6.1.21-v8+ aarch64', cpuinfo: PI_CPUINFO, meminfo: 'MemTotal:        3884356 kB\n', deviceTreeModel: 'Raspberry Pi 4 Model B Rev 1.4\0', hostname: 'pi', nproc: '' });
    assert.deepEqual(id, { model: 'Raspberry Pi 4 Model B Rev 1.4', os: 'Linux 6.1.21-v8+', cpu: 'BCM2835', abi: 'aarch64', cores: 4, memoryBytes: 3884356 * 1024 });
  });
});
