/** What to package: a finished search run with a tree, the configuration, and the cloud server the bundle names. */
import { useState } from 'react';
import type { PackageConfiguration, PackageRequest } from '../../api/deploy-api.ts';
import { PACKAGE_CONFIGURATIONS } from '../../api/deploy-api.ts';
import type { SearchStatus } from '../../api/search-api.ts';

const CONFIGURATION_LABELS: Record<PackageConfiguration, string> = {
  tree: 'model tree', branch: 'optimal branch', surgery: 'DNN surgery (base model, min-cut per type)',
};

export function PackageForm({ searches, disabled, onPackage }: { searches: SearchStatus[]; disabled: boolean; onPackage: (req: PackageRequest) => void }) {
  const [runId, setRunId] = useState('');
  const [configuration, setConfiguration] = useState<PackageConfiguration>('tree');
  const [cloudUrl, setCloudUrl] = useState('');
  const [cloudToken, setCloudToken] = useState('');
  const chosen = runId !== '' && searches.some((s) => s.runId === runId) ? runId : (searches[0]?.runId ?? '');
  const url = cloudUrl.trim();
  const token = cloudToken.trim();
  // The service wants both or neither; say so here rather than after a round trip.
  const cloudHalf = (url === '') !== (token === '');
  return (
    <div className="panel-form" data-testid="package-form">
      <div className="toolbar">
        <label>Search run
          <select data-testid="package-search" value={chosen} onChange={(e) => setRunId(e.target.value)}>
            {searches.length === 0 && <option value="">no finished search with a tree</option>}
            {searches.map((s) => (
              <option key={s.runId} value={s.runId}>run {s.runId}: {s.params.method} on {s.params.model}/{s.params.dataset} ({s.traces.map((t) => t.traceName).join(', ')})</option>
            ))}
          </select>
        </label>
        <label>Configuration
          <select data-testid="package-configuration" value={configuration} onChange={(e) => setConfiguration(e.target.value as PackageConfiguration)}>
            {PACKAGE_CONFIGURATIONS.map((c) => <option key={c} value={c}>{CONFIGURATION_LABELS[c]}</option>)}
          </select>
        </label>
        <label>Cloud URL
          <input type="text" data-testid="package-cloud-url" placeholder="http://host:port (optional)" value={cloudUrl} onChange={(e) => setCloudUrl(e.target.value)} />
        </label>
        <label>Cloud token
          <input type="password" data-testid="package-cloud-token" placeholder="optional" value={cloudToken} onChange={(e) => setCloudToken(e.target.value)} />
        </label>
        <button type="button" className="primary" data-testid="package-start" disabled={disabled || chosen === '' || cloudHalf}
          onClick={() => onPackage({ searchRunId: chosen, configuration, ...(url !== '' && { cloudUrl: url, cloudToken: token }) })}>
          Package
        </button>
      </div>
      {cloudHalf && <p className="form-error" data-testid="package-cloud-half">Give both the cloud URL and its token, or neither.</p>}
      {url === '' && token === '' && <p className="hint">Without a cloud server the bundle finishes every inference on the device.</p>}
    </div>
  );
}
