/** The profile a calibration produced: name, version, runtime, backend, device, compute lines. */
import type { ProfileDetail } from '../../api/calibration-api.ts';
import { runtimeOf } from '../../latency/runtime.ts';
import { describeCacheProbe, describeColdThreshold, describeLastLevelCache } from '../../latency/describe-cache.ts';

export function ProfileCard({ detail }: { detail: ProfileDetail }) {
  const p = detail.profile;
  return (
    <dl className="totals" data-testid="profile-card" data-profile-id={detail.id}>
      <div><dt>Profile</dt><dd data-testid="profile-name">{detail.name} <small>v{detail.version}</small></dd></div>
      <div><dt>Id</dt><dd><small><code>{detail.id}</code></small></dd></div>
      <div><dt>Device</dt><dd>{detail.deviceId}{p.device.cores !== undefined ? <small> · {p.device.cores} cores</small> : null}</dd></div>
      <div><dt>Runtime</dt><dd data-testid="profile-runtime">{runtimeOf(p)}</dd></div>
      <div><dt>Backend</dt><dd>{p.backend ?? '—'}</dd></div>
      <div><dt>Compute lines</dt><dd>{p.compute.length}</dd></div>
      <div>
        <dt>In-model correction</dt>
        <dd data-testid="profile-in-model">
          {detail.inModel
            ? <>{detail.inModel.factors.map((f) => `${f.kernel === null ? f.layerType : `${f.layerType} k${f.kernel}`} ×${f.factor.toFixed(2)}${f.from === 'pooled' ? '*' : f.from === 'refit' ? '†' : ''}`).join(' · ')}<small> · from {detail.inModel.anchors.length} anchor models († line refitted on their layers, × their median ratio; * too few layers of its own there: the median of its class)</small></>
            : 'none: the lines are as benchmarked'}
        </dd>
      </div>
      <div>
        <dt>Last-level cache</dt>
        <dd data-testid="profile-cache">
          {p.cache === undefined ? 'not recorded' : describeLastLevelCache(p.cache)}
          {p.cold === undefined && <small> · no cache-cold lines: every model is estimated with the warm lines</small>}
        </dd>
      </div>
      <div>
        <dt>Cache probe</dt>
        <dd data-testid="profile-cache-probe">
          {p.cacheProbe === undefined ? 'not run' : describeCacheProbe(p.cacheProbe)}
          {p.cold !== undefined && <small> · past {describeColdThreshold(p)}, toward the cold lines by the share of the weights past it</small>}
        </dd>
      </div>
    </dl>
  );
}
