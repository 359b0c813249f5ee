/** The jobs this process runs in the background: their cancel switch and what runs now. */
export interface LiveJob {
  controller: AbortController;
  current: string | null;
  message: string;
  done: Promise<void>;
}

export class JobRegistry {
  private readonly jobs = new Map<string, LiveJob>();

  add(runId: string, job: LiveJob): void {
    this.jobs.set(runId, job);
    void job.done.finally(() => this.jobs.delete(runId));
  }

  get(runId: string): LiveJob | undefined {
    return this.jobs.get(runId);
  }

  /** Resolves when every job running now has settled (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.jobs.values()].map((j) => j.done));
  }

  /** Cancels every job (studio shutdown): each marks its run cancelled, resumable. */
  cancelAll(): void {
    for (const j of this.jobs.values()) j.controller.abort();
  }
}
