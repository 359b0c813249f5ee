/** The studio shell: header with the mode, screen tabs, the status area. */
import { useEffect, useState } from 'react';
import type { BackendInfo, StudioApi } from '../api/studio-api.ts';
import type { ClientKind } from './api-client.ts';
import { StatusBar } from './StatusBar.tsx';
import { useStatus } from './use-status.ts';
import { ModelsScreen } from './models/ModelsScreen.tsx';
import { TracesScreen } from './traces/TracesScreen.tsx';
import { DevicesScreen } from './devices/DevicesScreen.tsx';
import { CalibrateScreen } from './calibrate/CalibrateScreen.tsx';
import { ValidationScreen } from './validation/ValidationScreen.tsx';
import { SearchScreen } from './search/SearchScreen.tsx';
import { EmulationScreen } from './emulation/EmulationScreen.tsx';
import { DeployScreen } from './deploy/DeployScreen.tsx';
import { FieldTestScreen } from './field-test/FieldTestScreen.tsx';

type Screen = 'models' | 'traces' | 'devices' | 'calibrate' | 'validation' | 'search' | 'emulation' | 'deploy' | 'field-test';

const SCREENS: { id: Screen; label: string }[] = [
  { id: 'models', label: 'Models' },
  { id: 'traces', label: 'Traces' },
  { id: 'devices', label: 'Devices' },
  { id: 'calibrate', label: 'Calibrate' },
  { id: 'validation', label: 'Measured vs estimated' },
  { id: 'search', label: 'Search' },
  { id: 'emulation', label: 'Emulation' },
  { id: 'deploy', label: 'Deploy' },
  { id: 'field-test', label: 'Field test' },
];

export function App({ api, clientKind }: { api: StudioApi; clientKind: ClientKind }) {
  const { status, run, clearError } = useStatus();
  const [info, setInfo] = useState<BackendInfo | null>(null);
  const [screen, setScreen] = useState<Screen>('models');

  useEffect(() => {
    void run('Connecting', () => api.backendInfo({})).then((i) => { if (i) setInfo(i); });
  }, [api, run]);

  const mode = info?.mode ?? clientKind;
  return (
    <div className="app">
      <header className="header">
        <h1>EdgeTree Studio</h1>
        <span className={`mode mode-${mode}`} data-testid="mode">{mode === 'electron' ? 'Electron' : 'Browser mode'}</span>
        {info && <span className="home" title="EDGETREE_HOME">{info.home} · v{info.version}</span>}
        <nav className="tabs">
          {SCREENS.map((s) => (
            <button key={s.id} type="button" className={screen === s.id ? 'tab active' : 'tab'} onClick={() => setScreen(s.id)}>{s.label}</button>
          ))}
        </nav>
      </header>
      <StatusBar status={status} onDismiss={clearError} />
      <main className="screen">
        {screen === 'models' && <ModelsScreen api={api} run={run} />}
        {screen === 'traces' && <TracesScreen api={api} run={run} />}
        {screen === 'devices' && <DevicesScreen api={api} run={run} />}
        {screen === 'calibrate' && <CalibrateScreen api={api} run={run} />}
        {screen === 'validation' && <ValidationScreen api={api} run={run} />}
        {screen === 'search' && <SearchScreen api={api} run={run} />}
        {screen === 'emulation' && <EmulationScreen api={api} run={run} />}
        {screen === 'deploy' && <DeployScreen api={api} run={run} />}
        {screen === 'field-test' && <FieldTestScreen api={api} run={run} />}
      </main>
    </div>
  );
}
