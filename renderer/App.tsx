/** The studio shell: header with the mode, screen tabs, the status area. */
import { useEffect, useState } from 'react';
import type { BackendInfo, StudioApi } from '../api/studio-api.ts';
import type { ClientKind } from './api-client.ts';
import { StatusBar } from './StatusBar.tsx';
import { useStatus } from './use-status.ts';
import { ModelsScreen } from './models/ModelsScreen.tsx';
import { TracesScreen } from './traces/TracesScreen.tsx';

type Screen = 'models' | 'traces';

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
          <button type="button" className={screen === 'models' ? 'tab active' : 'tab'} onClick={() => setScreen('models')}>Models</button>
          <button type="button" className={screen === 'traces' ? 'tab active' : 'tab'} onClick={() => setScreen('traces')}>Traces</button>
        </nav>
      </header>
      <StatusBar status={status} onDismiss={clearError} />
      <main className="screen">
        {screen === 'models' ? <ModelsScreen api={api} run={run} /> : <TracesScreen api={api} run={run} />}
      </main>
    </div>
  );
}
