// A tree searched with a profile of another runtime is not packaged with the TF.js runtime.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitTree, storeSearchRun } from '../bundle/testing/split-tree.ts';
import { insertProfileVersion } from '../profiles/profile-repository.ts';
import { upsertDevice } from '../profiles/device-repository.ts';
import { serializeDeviceProfile } from '../latency/profile-json.ts';
import { REFERENCE_PHONE } from '../search/testing/reference-profiles.ts';
import { createStudioServices } from './studio-services.ts';

const home = mkdtempSync(join(tmpdir(), 'edgetree-package-runtime-'));
const services = createStudioServices({ home, mode: 'cli', adbPort: false });
after(() => {
  services.close();
  rmSync(home, { recursive: true, force: true });
});

test('packaging refuses a search made with an ONNX Runtime profile, naming the profile and both runtimes', async () => {
  upsertDevice(services.db, { id: 'local', name: 'vm', kind: 'local', info: {} });
  const ort = insertProfileVersion(services.db, 'local', 'vm / onnxruntime', serializeDeviceProfile({ ...REFERENCE_PHONE, runtime: 'onnxruntime' }));
  const tfjs = insertProfileVersion(services.db, 'local', 'vm / tfjs', serializeDeviceProfile(REFERENCE_PHONE));
  const tree = await splitTree('alexnet', 'fashion-mnist');
  const refused = storeSearchRun(services.db, 'alexnet', 'fashion-mnist', tree, { profileIds: { device: ort.id, cloud: tfjs.id } });
  await assert.rejects(services.packageBundle({ searchRunId: refused }),
    new RegExp(`search run ${refused} used device profile ${ort.id}, calibrated on onnxruntime; the bundle runs its blocks on tfjs-wasm`));
  const packaged = await services.packageBundle({ searchRunId: storeSearchRun(services.db, 'alexnet', 'fashion-mnist', tree, { profileIds: { device: tfjs.id, cloud: tfjs.id } }) });
  assert.ok(packaged.dir.length > 0);
});
