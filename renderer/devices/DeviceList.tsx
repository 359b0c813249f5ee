/** Devices with their state (and what to do when not online) and identity. */
import type { DeviceSummary } from '../../api/calibration-api.ts';
import { formatBytes } from '../format.ts';

const KIND_LABELS: Record<DeviceSummary['kind'], string> = { local: 'this computer', ssh: 'SSH', adb: 'ADB' };

/** `onCheck` asks one device for its identity now (the list does not contact SSH devices). */
export function DeviceList({ devices, onCheck, checking }: { devices: DeviceSummary[]; onCheck?: (id: string) => void; checking?: string | null }) {
  if (devices.length === 0) return <p className="empty" data-testid="device-list-empty">No devices found.</p>;
  return (
    <div className="table-wrap">
      <table className="device-list" data-testid="device-list">
        <thead>
          <tr>
            <th>name</th><th>kind</th><th>id</th><th>state</th><th>model</th><th>OS</th><th>CPU / ABI</th>
            <th className="num">cores</th><th className="num">memory</th>{onCheck && <th />}
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id} data-device-id={d.id} data-state={d.state}>
              <td>{d.name}</td>
              <td>{KIND_LABELS[d.kind]}</td>
              <td><code>{d.id}</code></td>
              <td className="state-cell">
                <span className={`state state-${d.state}`} data-testid="device-state">{d.state}</span>
                {d.stateDetail !== undefined && <span className="state-detail" data-testid="device-state-detail">{d.stateDetail}</span>}
              </td>
              <td>{d.identity?.model ?? '—'}</td>
              <td>{d.identity?.os ?? '—'}</td>
              <td>{d.identity ? `${d.identity.cpu} · ${d.identity.abi}` : '—'}</td>
              <td className="num" data-testid="device-cores">{d.identity?.cores ?? '—'}</td>
              <td className="num">{d.identity ? formatBytes(d.identity.memoryBytes) : '—'}</td>
              {onCheck && (
                <td>
                  {d.id !== 'adb' && (
                    <button type="button" data-testid="device-check" disabled={checking === d.id} onClick={() => onCheck(d.id)}>
                      {checking === d.id ? 'Checking…' : 'Check'}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
