/** How to start the deployed bundle: how many test images, and optionally another cloud server than the bundle's own. */
import { useState } from 'react';
import type { StartDeviceRunRequest } from '../../api/field-test-api.ts';

export const DEFAULT_RUN_IMAGES = 20;

export function DeviceRunForm({ deviceId, disabled, onStart }: { deviceId: string; disabled: boolean; onStart: (req: StartDeviceRunRequest) => void }) {
  const [images, setImages] = useState(DEFAULT_RUN_IMAGES);
  const [cloudUrl, setCloudUrl] = useState('');
  const [cloudToken, setCloudToken] = useState('');
  const url = cloudUrl.trim();
  const token = cloudToken.trim();
  const cloudHalf = (url === '') !== (token === '');
  return (
    <div className="panel-form" data-testid="run-form">
      <div className="toolbar">
        <label>Test images
          <input type="number" className="count" min={1} step={1} value={images} data-testid="run-images"
            onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 1) setImages(n); }} />
        </label>
        <label>Cloud URL
          <input type="text" data-testid="run-cloud-url" placeholder="the bundle's own" value={cloudUrl} onChange={(e) => setCloudUrl(e.target.value)} />
        </label>
        <label>Cloud token
          <input type="password" data-testid="run-cloud-token" placeholder="the bundle's own" value={cloudToken} onChange={(e) => setCloudToken(e.target.value)} />
        </label>
        <button type="button" className="primary" data-testid="run-start" disabled={disabled || deviceId === '' || cloudHalf}
          onClick={() => onStart({ deviceId, images, ...(url !== '' && { cloudUrl: url, cloudToken: token }) })}>
          Start on {deviceId || 'the device'}
        </button>
      </div>
      {cloudHalf && <p className="form-error">Give both the cloud URL and its token, or neither.</p>}
    </div>
  );
}
