/**
 * Two hand-written profiles for benches and end-to-end tests that need a phone and a
 * cloud without calibrating one: a phone-class CPU running TF.js on WASM (about
 * 1 GMACC/s in convs of kernel 3 to 11, slower per MACC in 1x1, depthwise and FC layers, 0.05 ms per
 * other layer; a cellular uplink whose first packet costs 30 ms) and a server about 50x
 * faster. Orders of magnitude, not a measured device: a user searches with profiles
 * from calibration.
 */
import type { DeviceProfile } from '../../latency/device-profile.ts';

export const REFERENCE_PHONE: DeviceProfile = {
  formatVersion: 1,
  name: 'reference phone (hand-written)',
  device: { id: 'reference-phone', model: 'reference phone' },
  backend: 'tfjs-wasm',
  compute: [
    { layerType: 'conv', kernel: 1, slopeMsPerMacc: 1.5e-6, interceptMs: 0.1 },
    ...[3, 5, 7, 11].map((kernel) => ({ layerType: 'conv' as const, kernel, slopeMsPerMacc: 1e-6, interceptMs: 0.2 })),
    ...[3, 5, 7, 11].map((kernel) => ({ layerType: 'depthwise' as const, kernel, slopeMsPerMacc: 3e-6, interceptMs: 0.1 })),
    { layerType: 'fc', kernel: null, slopeMsPerMacc: 2e-6, interceptMs: 0.05 },
  ],
  otherLayerMs: 0.05,
  transfer: [
    { bandwidthMbps: 1, interceptMs: 30, slopeMsPerByte: 0 },
    { bandwidthMbps: 10, interceptMs: 30, slopeMsPerByte: 0 },
  ],
};

export const REFERENCE_SERVER: DeviceProfile = {
  formatVersion: 1,
  name: 'reference server (hand-written)',
  device: { id: 'reference-server', model: 'reference server' },
  backend: 'tfjs-node',
  compute: [
    { layerType: 'conv', kernel: 1, slopeMsPerMacc: 3e-8, interceptMs: 0.05 },
    ...[3, 5, 7, 11].map((kernel) => ({ layerType: 'conv' as const, kernel, slopeMsPerMacc: 2e-8, interceptMs: 0.05 })),
    ...[3, 5, 7, 11].map((kernel) => ({ layerType: 'depthwise' as const, kernel, slopeMsPerMacc: 6e-8, interceptMs: 0.05 })),
    { layerType: 'fc', kernel: null, slopeMsPerMacc: 4e-8, interceptMs: 0.02 },
  ],
  otherLayerMs: 0.01,
  transfer: [],
};
