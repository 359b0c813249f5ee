/** The status area: a progress bar while requests run, then the last error or message. */
import type { StatusState } from './use-status.ts';

export function StatusBar({ status, onDismiss }: { status: StatusState; onDismiss: () => void }) {
  const busy = status.running.length > 0;
  return (
    <div className="status" data-testid="status">
      <div className={busy ? 'progress active' : 'progress'} role="progressbar" aria-busy={busy} aria-label="request progress" />
      {busy && <span className="status-running" data-testid="status-running">{status.running[status.running.length - 1]}…</span>}
      {!busy && status.error !== null && (
        <div className="status-error" role="alert" data-testid="status-error">
          <span>{status.error}</span>
          <button type="button" className="link" onClick={onDismiss}>dismiss</button>
        </div>
      )}
      {!busy && status.error === null && status.message !== null && <span className="status-message">{status.message}</span>}
    </div>
  );
}
