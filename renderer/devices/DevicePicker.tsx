/**
 * Device selector for the calibration screens. Offline and unauthorized devices are listed
 * but disabled; 'unknown' ones (SSH devices the list does not contact) can be chosen.
 */
import type { DeviceSummary } from '../../api/calibration-api.ts';

export function DevicePicker({ devices, value, onChange, testId }: { devices: DeviceSummary[]; value: string; onChange: (id: string) => void; testId: string }) {
  return (
    <label>
      Device
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {devices.length === 0 && <option value="">no devices</option>}
        {devices.map((d) => (
          <option key={d.id} value={d.id} disabled={d.state === 'offline' || d.state === 'unauthorized'}>{d.name} ({d.id}){d.state === 'online' ? '' : ` — ${d.state}`}</option>
        ))}
      </select>
    </label>
  );
}
