/**
 * Variants whose layers a device profile has no line for (e.g. a C1 variant's 5x5 depthwise
 * on a profile calibrated with 3x3 depthwise only) cannot be estimated (Eq. 4, 5): the
 * search leaves them out and says why, rather than failing on the first one it meets.
 */
import type { DeviceProfile } from '../latency/device-profile.ts';
import type { VariantInfo } from './problem.ts';

export interface VariantExclusion {
  id: string;
  reason: string;
}

export function estimableVariants(catalog: readonly VariantInfo[], device: DeviceProfile): { usable: VariantInfo[]; excluded: VariantExclusion[] } {
  const usable: VariantInfo[] = [];
  const excluded: VariantExclusion[] = [];
  for (const v of catalog) {
    const missing = v.layers.find((l) => (l.type === 'conv' || l.type === 'depthwise')
      ? !device.compute.some((c) => c.layerType === l.type && c.kernel === l.kernel)
      : l.type === 'fc' && !device.compute.some((c) => c.layerType === 'fc'));
    if (missing === undefined) usable.push(v);
    else excluded.push({ id: v.id, reason: `profile "${device.name}" has no line for ${missing.type}${missing.type === 'fc' ? '' : ` with kernel ${missing.kernel ?? '?'}`} (layer ${missing.id})` });
  }
  return { usable, excluded };
}
