/** Devices: this computer, SSH and ADB devices with state and identity; add an SSH device. */
import { useCallback, useEffect, useState } from 'react';
import type { DeviceSummary } from '../../api/calibration-api.ts';
import type { CalibrationScreensApi } from '../calibration-screens-api.ts';
import type { RunFn } from '../use-status.ts';
import { DeviceList } from './DeviceList.tsx';
import { AddSshDeviceForm } from './AddSshDeviceForm.tsx';

export function DevicesScreen({ api, run }: { api: CalibrationScreensApi; run: RunFn }) {
  const [devices, setDevices] = useState<DeviceSummary[] | null>(null);
  // The list does not contact SSH devices ('unknown'); one just added answered, so show that answer.
  const [contacted, setContacted] = useState<Record<string, DeviceSummary>>({});

  const refresh = useCallback(async () => {
    const list = await run('Looking for devices', () => api.listDevices({}));
    if (list) setDevices(list);
  }, [api, run]);

  useEffect(() => { void refresh(); }, [refresh]);

  const [checking, setChecking] = useState<string | null>(null);
  const check = async (id: string) => {
    setChecking(id);
    try {
      const d = await run(`Checking ${id}`, () => api.deviceInfo({ id }));
      if (d) setContacted((c) => ({ ...c, [d.id]: d }));
    } finally {
      setChecking(null);
    }
  };

  return (
    <section className="devices" aria-label="Devices">
      <div className="toolbar">
        <p className="hint">This computer, SSH devices you added, and ADB devices the adb server sees (USB or <code>adb connect</code>).</p>
        <button type="button" data-testid="devices-refresh" onClick={() => void refresh()}>Refresh</button>
      </div>
      {devices !== null && <DeviceList devices={devices.map((d) => contacted[d.id] ?? d)} onCheck={(id) => void check(id)} checking={checking} />}
      <AddSshDeviceForm api={api} onAdded={(d) => { setContacted((c) => ({ ...c, [d.id]: d })); void refresh(); }} />
    </section>
  );
}
