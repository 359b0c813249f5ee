import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestHome, type TestHome } from './test-home.ts';
import { createModelsService, type ModelsService } from './models-service.ts';
import { createProfilesService, type ProfilesService } from './profiles-service.ts';
import { fitProfileFromModels } from './fit-models-service.ts';
import { CalibrationRequestError } from './calibration-request-error.ts';
import { readToolOutputFolder } from '../profiler/import/read-tool-output-folder.ts';
import { MeasurementImportError, UnknownModelError } from '../profiler/import/measurement-import-error.ts';
import { TooFewModelsError } from '../latency/fit/fit-models.ts';
import { ProfileCoverageError } from '../latency/errors.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { serializeModelSpec } from '../dnn/formats/spec-json.ts';

const fixtures = new URL('../profiler/native/fixtures/', import.meta.url).pathname;
/** Saved outputs copied under model names (the times need not fit any device: the fit runs all the same). */
const SAVED: [string, string, number][] = [
  ['vgg11.txt', 'benchmark_model-android.txt', 3.7529],
  ['alexnet.log', 'trtexec-summary.txt', 0.316406],
  ['resnet18.out', 'onnxruntime_perf_test-new.txt', 2.04881],
  ['vgg8.txt', 'onnxruntime_perf_test-old.txt', 2.7801],
  ['resnet10.txt', 'trtexec-jetson-old.txt', 3.71094],
  ['vgg11-w0.5.txt', 'trtexec-summary.txt', 0.316406],
];

const base: DeviceProfile = {
  formatVersion: 1,
  name: 'board',
  device: { id: 'board-1' },
  compute: [
    { layerType: 'conv', kernel: 3, slopeMsPerMacc: 1e-6, interceptMs: 0.05 },
    { layerType: 'conv', kernel: 1, slopeMsPerMacc: 1e-6, interceptMs: 0.05 },
    { layerType: 'conv', kernel: 5, slopeMsPerMacc: 1e-6, interceptMs: 0.05 },
    { layerType: 'conv', kernel: 11, slopeMsPerMacc: 1e-6, interceptMs: 0.05 },
    { layerType: 'fc', kernel: null, slopeMsPerMacc: 1e-6, interceptMs: 0.01 },
  ],
  otherLayerMs: 0.01,
  transfer: [],
};

describe('fitProfileFromModels service', () => {
  let h: TestHome;
  let dir: string;
  let models: ModelsService;
  let profiles: ProfilesService;
  let baseId: string;
  before(() => {
    h = createTestHome();
    models = createModelsService(h.db);
    profiles = createProfilesService(h.db);
    baseId = profiles.importProfile({ fileName: 'board.json', content: JSON.stringify(base) }).id;
    dir = mkdtempSync(join(tmpdir(), 'edgetree-saved-'));
    for (const [name, fixture] of SAVED) copyFileSync(join(fixtures, fixture), join(dir, name));
  });
  after(() => {
    h.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const stored = (): number => profiles.listProfiles().length;

  test('a folder of saved tool outputs named by model fits and stores a profile from scratch', async () => {
    const r = fitProfileFromModels(models, profiles, { toolOutputs: { folder: dir, files: await readToolOutputFolder(dir) }, deviceId: 'jetson', name: 'from trtexec' });
    assert.equal(r.mode, 'scratch');
    assert.equal(r.baseProfileId, null);
    assert.deepEqual([r.profile.deviceId, r.profile.name, r.profile.version], ['jetson', 'from trtexec', 1]);
    assert.deepEqual(r.groups.map((g) => g.group), ['conv', 'fc', 'elements']);
    const measured = new Map(r.leaveOneOut.rows.map((row) => [row.name, row.measuredMs]));
    for (const [file, , ms] of SAVED) assert.equal(measured.get(file.replace(/\.\w+$/, '')), ms);
    assert.equal(r.inSample.rows.length, SAVED.length);
    const profile = profiles.loadProfile(r.profile.id);
    assert.equal(profile.compute.find((l) => l.layerType === 'fc')?.slopeMsPerMacc, r.groups.find((g) => g.group === 'fc')?.value);
  });

  test('a saved output that does not parse names its file; nothing is stored', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'edgetree-saved-'));
    try {
      for (const [name, fixture] of SAVED) copyFileSync(join(fixtures, fixture), join(bad, name));
      copyFileSync(join(fixtures, 'benchmark_model-truncated.txt'), join(bad, 'vgg8-w0.5.txt'));
      const before = stored();
      const files = await readToolOutputFolder(bad);
      assert.throws(() => fitProfileFromModels(models, profiles, { toolOutputs: { folder: bad, files }, deviceId: 'jetson', name: 'x' }),
        (e: Error) => e instanceof MeasurementImportError && e.message.includes(`${bad}/vgg8-w0.5.txt, line 16`));
      assert.equal(stored(), before);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  const csv = (rows: string[]): { fileName: string; content: string } => ({ fileName: 'times.csv', content: ['model,ms', ...rows].join('\n') });
  const six = ['vgg11,160', 'alexnet,35', 'resnet18,600', 'vgg11-w0.5,45', 'resnet18-w0.5,150', 'vgg8,75'];

  test('an adjusted profile is a new version of the same device and name', () => {
    const r = fitProfileFromModels(models, profiles, { csv: csv(six), profileId: baseId });
    assert.equal(r.mode, 'adjust');
    assert.equal(r.baseProfileId, baseId);
    assert.deepEqual([r.profile.deviceId, r.profile.name, r.profile.version], ['board-1', 'board', 2]);
    assert.equal(r.parameters, 4);
    assert.equal(r.leaveOneOut.rows.length, 6);
  });

  const refusals: [string, () => unknown, (e: Error) => boolean][] = [
    ['an unknown model, named with its line', () => fitProfileFromModels(models, profiles, { csv: csv([...six, 'vgg9,3']), profileId: baseId }),
      (e) => e instanceof UnknownModelError && e.model === 'vgg9' && /times\.csv, line 8, column 'model': unknown model 'vgg9'/.test(e.message)],
    ['a time that is not a positive number, with its file and line', () => fitProfileFromModels(models, profiles, { csv: csv([...six.slice(0, 2), 'resnet18,-1', ...six.slice(3)]), profileId: baseId }),
      (e) => e instanceof MeasurementImportError && /times\.csv, line 4, column 'ms': must be a positive number of ms, got -1/.test(e.message)],
    ['fewer models than unknowns + 1', () => fitProfileFromModels(models, profiles, { csv: csv(six.slice(0, 4)), deviceId: 'd', name: 'n' }),
      (e) => e instanceof TooFewModelsError && /needs at least 5 models/.test(e.message)],
    ['a model the base profile cannot estimate', () => fitProfileFromModels(models, profiles, { csv: csv([...six, 'vgg11-dws,20']), profileId: baseId }),
      (e) => e instanceof ProfileCoverageError && /cannot estimate model "vgg11-dws": has no line for depthwise with kernel 3/.test(e.message)],
    ['another device than the base profile\'s', () => fitProfileFromModels(models, profiles, { csv: csv(six), profileId: baseId, deviceId: 'other' }),
      (e) => e instanceof CalibrationRequestError && /device board-1, not other/.test(e.message)],
  ];
  for (const [what, run, check] of refusals) {
    test(`refused: ${what}; nothing is stored`, () => {
      const before = stored();
      assert.throws(run, check);
      assert.equal(stored(), before);
    });
  }

  test('CSV timings of a model imported into the store resolve by its name', () => {
    const tiny: ModelSpec = { name: 'tiny', inputShape: [8, 8, 3], layers: [{ id: 'c', type: 'conv', kernel: 3, outChannels: 4 }, { id: 'f', type: 'flatten' }, { id: 'd', type: 'fc', outChannels: 2 }] };
    models.importModel({ fileName: 'tiny.json', contentBase64: Buffer.from(serializeModelSpec(tiny)).toString('base64') });
    const r = fitProfileFromModels(models, profiles, { csv: csv([...six, 'tiny,0.05']), profileId: baseId });
    assert.ok(r.leaveOneOut.rows.some((row) => row.name === 'tiny'));
  });
});
