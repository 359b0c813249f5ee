/** Add an SSH device: host, port, user, key path; a first connection goes through the host-key dialog. */
import { useState } from 'react';
import type { AddSshDeviceRequest, DeviceSummary, HostKeyConfirmation } from '../../api/calibration-api.ts';
import type { CalibrationScreensApi } from '../calibration-screens-api.ts';
import { describeError } from '../use-status.ts';
import { HostKeyDialog } from './HostKeyDialog.tsx';

function isConfirmation(reply: DeviceSummary | HostKeyConfirmation): reply is HostKeyConfirmation {
  return 'needsConfirmation' in reply && reply.needsConfirmation;
}

export function AddSshDeviceForm({ api, onAdded }: { api: CalibrationScreensApi; onAdded: (d: DeviceSummary) => void }) {
  const [host, setHost] = useState('');
  const [port, setPort] = useState('22');
  const [user, setUser] = useState('');
  const [keyPath, setKeyPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<HostKeyConfirmation | null>(null);

  const portNumber = Number(port);
  const portValid = Number.isInteger(portNumber) && portNumber >= 1 && portNumber <= 65535;
  const ready = host.trim() !== '' && user.trim() !== '' && portValid && !busy;

  const added = (d: DeviceSummary) => {
    setDone(`Added ${d.name} (${d.id}): ${d.state}${d.stateDetail ? ` — ${d.stateDetail}` : ''}`);
    onAdded(d);
  };

  const attempt = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await fn();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const submit = () => attempt(async () => {
    const req: AddSshDeviceRequest = { host: host.trim(), port: portNumber, user: user.trim() };
    if (keyPath.trim() !== '') req.keyPath = keyPath.trim();
    const reply = await api.addSshDevice(req);
    if (isConfirmation(reply)) setConfirm(reply);
    else added(reply);
  });

  const trust = (c: HostKeyConfirmation) => attempt(async () => {
    try {
      added(await api.trustHostKey({ host: c.host, port: c.port, fingerprint: c.fingerprint, keyType: c.keyType }));
    } finally {
      setConfirm(null);
    }
  });

  return (
    <form className="panel-form" data-testid="add-ssh-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h2>Add SSH device</h2>
      <div className="row">
        <label>Host <input type="text" data-testid="ssh-host" placeholder="192.168.1.20" value={host} onChange={(e) => setHost(e.target.value)} /></label>
        <label>Port <input type="text" inputMode="numeric" className="short" data-testid="ssh-port" value={port} onChange={(e) => setPort(e.target.value)} /></label>
        <label>User <input type="text" data-testid="ssh-user" placeholder="pi" value={user} onChange={(e) => setUser(e.target.value)} /></label>
        <label>Private key path <input type="text" className="wide-input" data-testid="ssh-key" placeholder="empty: use the SSH agent" value={keyPath} onChange={(e) => setKeyPath(e.target.value)} /></label>
        <button type="submit" data-testid="ssh-add" disabled={!ready}>{busy && confirm === null ? 'Connecting…' : 'Add'}</button>
      </div>
      {!portValid && <p className="form-error" role="alert">Port must be a whole number from 1 to 65535, got &quot;{port}&quot;.</p>}
      {busy && <div className="progress active" role="progressbar" aria-label="connection progress" />}
      {error !== null && <p className="form-error" role="alert" data-testid="ssh-error">{error}</p>}
      {done !== null && <p className="form-ok" data-testid="ssh-ok">{done}</p>}
      {confirm !== null && <HostKeyDialog request={confirm} busy={busy} onTrust={() => void trust(confirm)} onCancel={() => { setConfirm(null); setError('Host key not trusted: the device was not added.'); }} />}
    </form>
  );
}
