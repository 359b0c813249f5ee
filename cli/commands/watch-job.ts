/**
 * Follows a background job from the CLI: progress lines on stderr (never stdout, which
 * carries the one JSON document), Ctrl-C cancels the job cleanly (the run is marked
 * cancelled, its measurements kept) instead of killing the process mid-write.
 */
import type { CliContext } from '../cli-context.ts';
import type { JobProgress } from '../../api/calibration-api.ts';

export async function watchJob(
  ctx: CliContext, runId: string, status: () => Promise<JobProgress>, cancel: (runId: string) => Promise<JobProgress>, idle: () => Promise<void>,
): Promise<JobProgress> {
  let last = '';
  const onSigint = (): void => {
    ctx.err(`\ncancelling run ${runId}...\n`);
    void cancel(runId).catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  const timer = setInterval(() => {
    void status().then((st) => {
      const line = `[${st.done}/${st.total}] ${st.current ?? ''} ${st.message}`.replace(/\s+/g, ' ').trim();
      if (line !== last) ctx.err(`${line}\n`);
      last = line;
    }, () => undefined);
  }, 500);
  try {
    await idle();
  } finally {
    clearInterval(timer);
    process.removeListener('SIGINT', onSigint);
  }
  return status();
}
