/**
 * The bandwidth the runtime decides on (Alg. 2, line 5). Passive: an exponentially weighted
 * mean of the rates the recent offloads achieved (bytes sent over the round trip minus the
 * cloud's compute; transfers under `minSampleBytes` are too small to time a rate). Active: when there is no estimate or it is older than `staleMs`, a
 * short probe to the cloud server, whose rate enters the same mean. A probe that fails
 * reads as 0 Mbit/s (the poorest type: stay on the device) and leaves no estimate behind.
 * With `refresh: 'background'` a stale estimate is used as it is while a probe refreshes
 * it beside the inference (only the very first reading waits for its probe): on a branch
 * that runs on the device, a 16 KB probe at 1 Mbit/s (130 ms) would otherwise be paid by
 * every inference of 20 ms.
 */

export type BandwidthSourceKind = 'passive' | 'probe' | 'unreachable' | 'injected';

export interface BandwidthReading {
  mbps: number;
  source: BandwidthSourceKind;
  /** Age of the estimate when read (0 right after a probe). */
  ageMs: number;
  /** Time spent probing for this reading; 0 when none ran. */
  probeMs: number;
}

/** What the runtime asks before each block; `record` and `invalidate` are told about offloads. */
export interface BandwidthSource {
  read(): Promise<BandwidthReading>;
  /** One transfer: `bytes` sent and answered in `ms` of network time. */
  record(bytes: number, ms: number): void;
  /** The cloud failed: forget the estimate so the next read probes. */
  invalidate(): void;
}

/** A probe: sends a few bytes, returns how many and the time they took; throws when the cloud is unreachable. */
export type BandwidthProbe = () => Promise<{ bytes: number; ms: number }>;

export interface BandwidthEstimatorOptions {
  /** Weight of the newest sample (default 0.5). */
  alpha?: number;
  /** An estimate older than this is refreshed by a probe (default 2000 ms). */
  staleMs?: number;
  /** null: no active measurement (a stale estimate is used as it is; none at all reads 0). */
  probe: BandwidthProbe | null;
  /**
   * Transfers smaller than this do not enter the estimate (default 4096 bytes): their time is
   * mostly the round trip, so a 600-byte offload on a fast link would read as a slow one.
   */
  minSampleBytes?: number;
  /** Milliseconds clock (default performance.now). */
  now?: () => number;
  /** How a stale estimate is refreshed: wait for the probe (default) or probe in the background. */
  refresh?: 'blocking' | 'background';
}

/** Mbit/s of `bytes` in `ms` (a time under 1 us counts as 1 us). */
export function rateMbps(bytes: number, ms: number): number {
  return (bytes * 8) / (Math.max(ms, 1e-3) * 1000);
}

export class BandwidthEstimator implements BandwidthSource {
  private readonly alpha: number;
  private readonly staleMs: number;
  private readonly probe: BandwidthProbe | null;
  private readonly now: () => number;
  private readonly minSampleBytes: number;
  private estimate: number | null = null;
  private at = 0;
  private samples = 0;
  private readonly refresh: 'blocking' | 'background';
  private pending: Promise<void> | null = null;

  constructor(opts: BandwidthEstimatorOptions) {
    this.refresh = opts.refresh ?? 'blocking';
    this.alpha = opts.alpha ?? 0.5;
    this.staleMs = opts.staleMs ?? 2000;
    this.probe = opts.probe;
    this.now = opts.now ?? (() => performance.now());
    this.minSampleBytes = opts.minSampleBytes ?? 4096;
    if (!(this.alpha > 0 && this.alpha <= 1)) throw new RangeError(`bandwidth estimator: alpha must be in (0, 1], got ${this.alpha}`);
    if (!(this.staleMs >= 0)) throw new RangeError(`bandwidth estimator: staleMs must be >= 0, got ${this.staleMs}`);
  }

  /** The current estimate in Mbit/s, or null before any sample. */
  get mbps(): number | null {
    return this.estimate;
  }

  get sampleCount(): number {
    return this.samples;
  }

  record(bytes: number, ms: number): void {
    if (bytes >= this.minSampleBytes) this.sample(bytes, ms);
  }

  /** A probe always counts, whatever its size. */
  private sample(bytes: number, ms: number): void {
    const sample = rateMbps(bytes, ms);
    this.estimate = this.estimate === null ? sample : this.alpha * sample + (1 - this.alpha) * this.estimate;
    this.at = this.now();
    this.samples += 1;
  }

  invalidate(): void {
    this.estimate = null;
  }

  /** Resolves when a background probe in flight has landed (tests, a clean exit). */
  settled(): Promise<void> {
    return this.pending ?? Promise.resolve();
  }

  private refreshInBackground(probe: BandwidthProbe): void {
    if (this.pending !== null) return;
    this.pending = probe().then((p) => { this.sample(p.bytes, p.ms); }, () => { this.estimate = null; }).finally(() => { this.pending = null; });
  }

  async read(): Promise<BandwidthReading> {
    const age = this.now() - this.at;
    if (this.estimate !== null && (age <= this.staleMs || this.probe === null)) return { mbps: this.estimate, source: 'passive', ageMs: age, probeMs: 0 };
    if (this.probe === null) return { mbps: 0, source: 'unreachable', ageMs: Infinity, probeMs: 0 };
    if (this.refresh === 'background' && this.estimate !== null) {
      this.refreshInBackground(this.probe);
      return { mbps: this.estimate, source: 'passive', ageMs: age, probeMs: 0 };
    }
    const start = this.now();
    try {
      const p = await this.probe();
      this.sample(p.bytes, p.ms);
      return { mbps: this.estimate as number, source: 'probe', ageMs: 0, probeMs: this.now() - start };
    } catch {
      this.estimate = null;
      return { mbps: 0, source: 'unreachable', ageMs: Infinity, probeMs: this.now() - start };
    }
  }
}

/** Readings given from outside (tests, an emulated link): `next()` returns the Mbit/s of each read in turn. */
export class InjectedBandwidth implements BandwidthSource {
  private readonly next: () => number;
  readonly recorded: { bytes: number; ms: number }[] = [];

  constructor(next: () => number) {
    this.next = next;
  }

  read(): Promise<BandwidthReading> {
    return Promise.resolve({ mbps: this.next(), source: 'injected', ageMs: 0, probeMs: 0 });
  }

  record(bytes: number, ms: number): void {
    this.recorded.push({ bytes, ms });
  }

  invalidate(): void {
    // The readings come from outside: nothing to forget.
  }
}
