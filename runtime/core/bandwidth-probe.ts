/**
 * The active bandwidth measurement: POSTs `bytes` zero bytes to the cloud server's
 * /v1/probe (which reads and discards them) and times the exchange with fetch only, so
 * the browser host bundles it as it is.
 */
import type { BandwidthProbe } from './bandwidth-estimator.ts';

/** A small upload: at 1 Mbit/s about 130 ms, on a LAN well under 1 ms plus the round trip. */
export const DEFAULT_PROBE_BYTES = 16 * 1024;

export class ProbeFailedError extends Error {
  constructor(url: string, reason: string) {
    super(`bandwidth probe to ${url}: ${reason}`);
    this.name = 'ProbeFailedError';
  }
}

export function httpProbe(url: string, token: string, opts: { bytes?: number; timeoutMs?: number } = {}): BandwidthProbe {
  const bytes = opts.bytes ?? DEFAULT_PROBE_BYTES;
  const body = new Uint8Array(bytes);
  const endpoint = `${url.replace(/\/+$/, '')}/v1/probe`;
  return async () => {
    const start = performance.now();
    let res: Response;
    try {
      res = await fetch(endpoint, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
      await res.arrayBuffer();
    } catch (e) {
      throw new ProbeFailedError(endpoint, (e as Error).message);
    }
    if (res.status !== 200) throw new ProbeFailedError(endpoint, `the server answered ${res.status}`);
    return { bytes, ms: performance.now() - start };
  };
}
