/** First connection to an SSH host: the user compares the fingerprint with the device's own, then trusts it. */
import type { HostKeyConfirmation } from '../../api/calibration-api.ts';

export function HostKeyDialog({ request, busy, onTrust, onCancel }: { request: HostKeyConfirmation; busy: boolean; onTrust: () => void; onCancel: () => void }) {
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="host-key-title" data-testid="host-key-dialog">
        <h2 id="host-key-title">Trust this host key?</h2>
        <p>The studio has not connected to <strong>{request.host}:{request.port}</strong> before. It presents this key:</p>
        <dl className="fingerprint">
          <dt>Key type</dt><dd data-testid="host-key-type">{request.keyType}</dd>
          <dt>Fingerprint</dt><dd><code data-testid="host-key-fingerprint">{request.fingerprint}</code></dd>
        </dl>
        <p className="hint">
          Check that it matches the device&apos;s own key (on the device: <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>).
          If it does not match, cancel: someone may be between you and the device.
        </p>
        <div className="dialog-buttons">
          <button type="button" onClick={onCancel} disabled={busy} data-testid="host-key-cancel">Cancel</button>
          <button type="button" className="primary" onClick={onTrust} disabled={busy} data-testid="host-key-trust">{busy ? 'Connecting…' : 'Trust'}</button>
        </div>
      </div>
    </div>
  );
}
