/**
 * Admission and concurrency for the cloud server. A request is admitted (before
 * its body is read) only while fewer than maxConcurrent + maxQueue are admitted,
 * so at most that many bodies are held at once; admitted requests run their
 * inference maxConcurrent at a time, the rest wait first in, first out.
 */
export interface SlotStats {
  admitted: number;
  running: number;
  waiting: number;
  peakAdmitted: number;
}

export class InferenceSlots {
  private admitted = 0;
  private running = 0;
  private peakAdmitted = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly maxConcurrent: number, readonly maxQueue: number) {}

  /** Takes an admission if one is free; the caller calls leave() once its response is done. */
  tryAdmit(): boolean {
    if (this.admitted >= this.maxConcurrent + this.maxQueue) return false;
    this.admitted += 1;
    this.peakAdmitted = Math.max(this.peakAdmitted, this.admitted);
    return true;
  }

  leave(): void {
    this.admitted -= 1;
  }

  /** Runs fn once fewer than maxConcurrent others run. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.running += 1;
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next waiter, so `running` never dips in between.
      const next = this.waiters.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  stats(): SlotStats {
    return { admitted: this.admitted, running: this.running, waiting: this.waiters.length, peakAdmitted: this.peakAdmitted };
  }
}
