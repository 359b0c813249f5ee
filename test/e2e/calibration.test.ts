// @serial: it times a real calibration, and under a loaded machine its result panel was late (CI: 46 s)
/**
 * End to end: the calibration screens (Devices, Calibrate, Measured vs estimated) in
 * headless Chromium against the real loopback server, real services and a real store in
 * a temporary EDGETREE_HOME; an SSH device is Debian's OpenSSH server started by the test.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { startStudioHttpServer } from '../../server/studio-http-server.ts';
import type { StudioHttpServer } from '../../server/studio-http-server.ts';
import { anchorModels } from '../../profiler/validation/anchor-set.ts';
import { createStudioServices } from '../../services/studio-services.ts';
import type { StudioServices } from '../../services/studio-services.ts';
import type { StudioApi } from '../../api/studio-api.ts';
import type { ValidationModelRow, ValidationStatus } from '../../api/calibration-api.ts';
import { startSshServer } from '../fixtures/ssh-server.ts';
import type { SshServerFixture } from '../fixtures/ssh-server.ts';
import { CHROMIUM_ARGS, RENDERER_DIST, SCREENSHOTS, collectPageErrors } from './studio-pages.ts';

/**
 * The services' own case limit for tests and quick checks: the 2 smallest cases per layer
 * type and kernel of the quick suite, enough for a line per group and fast to time.
 */
const CASES_PER_GROUP = 2;
const JOB_TIMEOUT_MS = 240_000;

let work: string;
let browser: Browser;
let firstValidation: ValidationStatus | undefined;
let ssh: SshServerFixture;
let services: StudioServices;
let server: StudioHttpServer;
let page: Page;
let errors: string[];

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'edgetree-e2e-cal-'));
  ssh = await startSshServer();
  // No adb server here: ADB devices are covered by the native-bridge tests with the emulated daemon.
  services = createStudioServices({ home: join(work, 'home'), mode: 'browser', adbPort: false });
  const served: StudioApi = { ...services, startCalibration: (req) => services.startCalibration({ ...req, casesPerGroup: CASES_PER_GROUP, transfer: false }) };
  server = await startStudioHttpServer(served, { port: 0, staticDir: RENDERER_DIST });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  errors = collectPageErrors(page);
  await page.goto(server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
  await services?.idle();
  services?.close();
  await ssh?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('calibration screens in browser mode', () => {
  test('Devices: this computer online with its cores; an SSH device through the fingerprint dialog', async () => {
    await page.getByRole('button', { name: 'Devices' }).click();
    const local = page.locator('[data-testid=device-list] tr[data-device-id=local]');
    await local.waitFor();
    assert.equal(await local.getAttribute('data-state'), 'online');
    assert.equal(await local.getByTestId('device-state').innerText(), 'online');
    assert.equal(await local.getByTestId('device-cores').innerText(), String(availableParallelism()));

    await page.getByTestId('ssh-host').fill('127.0.0.1');
    await page.getByTestId('ssh-port').fill(String(ssh.port));
    await page.getByTestId('ssh-user').fill(ssh.username);
    await page.getByTestId('ssh-key').fill(ssh.userKeyPath);
    await page.getByTestId('ssh-add').click();
    // A first connection: the dialog shows exactly what ssh-keygen -lf prints for the host key.
    const dialog = page.getByTestId('host-key-dialog');
    await dialog.waitFor();
    assert.equal(await page.getByTestId('host-key-fingerprint').innerText(), ssh.hostFingerprint());
    assert.match(await page.getByTestId('host-key-type').innerText(), /ed25519/);
    await page.screenshot({ path: join(SCREENSHOTS, 'calibration-host-key.png') });
    await page.getByTestId('host-key-trust').click();
    await page.getByTestId('ssh-ok').waitFor({ timeout: 30_000 });
    await dialog.waitFor({ state: 'detached' });
    const id = `ssh:${ssh.username}@127.0.0.1:${ssh.port}`;
    const row = page.locator(`[data-testid=device-list] tr[data-device-id="${id}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'online');
    assert.equal(await row.getByTestId('device-cores').innerText(), String(availableParallelism()), 'the SSH server is this machine');
    await page.screenshot({ path: join(SCREENSHOTS, 'calibration-devices.png'), fullPage: true });

    // Check asks the stored board again (deviceInfo) and shows its answer after a refresh.
    await page.getByTestId('devices-refresh').click();
    await row.getByTestId('device-check').click();
    await page.locator(`[data-testid=device-list] tr[data-device-id="${id}"][data-state=online] [data-testid=device-check]:not([disabled])`).waitFor({ timeout: 30_000 });

    // The server's key changes: the studio refuses it and says why; no dialog offers to trust it.
    await ssh.restartWithNewHostKey();
    await page.getByTestId('ssh-add').click();
    const error = page.getByTestId('ssh-error');
    await error.waitFor({ timeout: 30_000 });
    assert.match(await error.innerText(), /changed/);
    assert.equal(await dialog.count(), 0);
    await page.screenshot({ path: join(SCREENSHOTS, 'calibration-host-key-changed.png'), fullPage: true });
  });

  test('Calibrate: a tiny suite on this computer, live progress, then the fit scatter with lines and R²', async () => {
    await page.getByRole('button', { name: 'Calibrate', exact: true }).click();
    await page.getByTestId('calibration-runs-empty').waitFor();
    // The device list loads on its own request: wait for it rather than read the select at once.
    await page.waitForFunction(() => (document.querySelector('[data-testid=calibrate-device]') as HTMLSelectElement | null)?.value === 'local', undefined, { timeout: 30_000 });
    assert.equal(await page.getByTestId('calibrate-device').inputValue(), 'local');
    await page.getByTestId('calibrate-start').click();

    const progress = page.getByTestId('calibration-progress');
    await progress.waitFor();
    // Live: some cases measured while the run still goes on, with the case running now.
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid=calibration-progress]');
      return el !== null && (Number(el.getAttribute('data-done')) >= 1 || el.getAttribute('data-status') === 'done');
    }, undefined, { timeout: JOB_TIMEOUT_MS });
    const total = Number(await progress.getAttribute('data-total'));
    assert.ok(total > 0, 'the plan has cases');
    assert.match(await page.getByTestId('calibration-progress-count').innerText(), new RegExp(`^\\d+ / ${total}$`));
    await page.screenshot({ path: join(SCREENSHOTS, 'calibration-progress.png'), fullPage: true });

    await page.locator('[data-testid=calibration-progress][data-status=done]').waitFor({ timeout: JOB_TIMEOUT_MS });
    assert.equal(await progress.getAttribute('data-done'), String(total));
    assert.match(await page.getByTestId('calibration-progress-backend').innerText(), /wasm|webgl|tensorflow/i, 'the backend that ran is shown');

    const runs = await services.listCalibrations({});
    assert.equal(runs.length, 1);
    const status = await services.calibrationStatus({ runId: runs[0].runId });
    // Every case, then the anchor models, each in two passes.
    assert.equal(status.measurements.length, total - 2 * anchorModels().length);
    assert.ok(status.profileId !== null);
    const detail = await services.showProfile({ id: status.profileId });
    const fit = detail.fit ?? [];
    // The quick suite's fitted groups: conv with kernels 1, 3, 5, 7, depthwise 3x3 and FC.
    assert.deepEqual(fit.map((g) => `${g.layerType}/${g.kernel ?? ''}`).sort(), ['conv/1', 'conv/3', 'conv/5', 'conv/7', 'depthwise/3', 'depthwise/5', 'depthwise/7', 'fc/'].sort());
    for (const g of fit) assert.equal(g.points, CASES_PER_GROUP);

    await page.getByTestId('calibration-result').waitFor();
    assert.equal(await page.getByTestId('profile-card').getAttribute('data-profile-id'), detail.id);
    // Calibrated on TF.js as this computer runs it.
    assert.equal(detail.profile.runtime, 'tfjs-wasm');
    assert.equal(await page.getByTestId('profile-runtime').innerText(), 'tfjs-wasm');
    // The cache this computer reported, and where from (or that no source knew it).
    const cacheText = await page.getByTestId('profile-cache').innerText();
    assert.ok(detail.profile.cache, 'the profile records the cache');
    if (detail.profile.cache.bytes === null) assert.match(cacheText, /^unknown .*no cache-cold lines/);
    else assert.match(cacheText, /^[\d.]+ (MiB|KiB) \(from (\/sys\/devices\/system\/cpu\/cpu0\/cache|\/proc\/cpuinfo|getconf|lscpu)\)$/);
    // The lines are stored corrected for time inside a model, by factors the card lists.
    assert.ok(detail.inModel);
    const inModelText = await page.getByTestId('profile-in-model').innerText();
    assert.match(inModelText, new RegExp(`from ${anchorModels().length} anchor models`));
    const conv3Factor = detail.inModel.factors.find((f) => f.layerType === 'conv' && f.kernel === 3)!.factor;
    assert.ok(inModelText.includes(`conv k3 ×${conv3Factor.toFixed(2)}`), inModelText);
    const chart = page.getByTestId('fit-chart');
    assert.equal(await chart.getAttribute('data-groups'), String(fit.length));
    assert.equal(await chart.getAttribute('data-points'), String(fit.length * CASES_PER_GROUP));
    assert.equal(await chart.locator('.recharts-scatter:not(.fit-line) .recharts-scatter-symbol').count(), fit.length * CASES_PER_GROUP, 'one dot per measured case');
    assert.equal(await chart.locator('.recharts-scatter-line').count(), fit.length, 'one fitted line per group');
    for (const g of fit) {
      const label = `${g.kernel === null ? g.layerType : `${g.layerType} k${g.kernel}`} · R² ${g.r2.toFixed(3)}`;
      await chart.locator('.recharts-legend-item-text', { hasText: label }).waitFor();
    }
    const rows = page.locator('[data-testid=fit-table] tbody tr');
    assert.equal(await rows.count(), fit.length);
    const conv3 = fit.find((g) => g.layerType === 'conv' && g.kernel === 3)!;
    const cells = await page.locator('[data-testid=fit-table] tr[data-group="conv k3"] td').allInnerTexts();
    assert.equal(cells[3], String(conv3.points));
    // Slope shown per million MACC.
    assert.equal(cells[4], (conv3.slopeMsPerMacc * 1e6).toFixed(4));
    const conv3Row = page.locator('[data-testid=fit-table] tr[data-group="conv k3"]');
    assert.equal(await conv3Row.getByTestId('fit-r2').innerText(), conv3.r2.toFixed(3));
    // A tiny suite's few cases cannot tell weight or patch terms from MACCs: the line has none.
    assert.equal(conv3.slopeMsPerWeight, undefined);
    assert.equal(await conv3Row.getByTestId('fit-weight-slope').innerText(), '—');
    assert.equal(await conv3Row.getByTestId('fit-patch-slope').innerText(), '—');
    await page.locator(`[data-testid=calibration-runs] tr[data-run-id="${runs[0].runId}"]`).getByText('done').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'calibration-fit.png'), fullPage: true });
  });

  test('Measured vs estimated: three models on this computer, the ±10% summary and the model table', async () => {
    await page.getByRole('button', { name: 'Measured vs estimated' }).click();
    const profiles = await services.listProfiles({});
    assert.equal(profiles.length, 1);
    await page.locator(`[data-testid=validation-profile] option[value="${profiles[0].id}"]`).waitFor({ state: 'attached' });
    assert.equal(await page.getByTestId('validation-profile').inputValue(), profiles[0].id);
    await page.getByTestId('validation-models').fill('vgg11, alexnet resnet18');
    await page.getByTestId('validation-start').click();
    await page.locator('[data-testid=validation-progress][data-status=done]').waitFor({ timeout: JOB_TIMEOUT_MS });
    await page.getByTestId('validation-result').waitFor();

    const runId = await page.getByTestId('validation-progress').locator('.job-meta', { hasText: 'run ' }).innerText();
    const status = await services.validationStatus({ runId: runId.replace(/^run /, '') });
    const report = status.report!;
    assert.deepEqual(report.models.map((m) => m.name), ['vgg11', 'alexnet', 'resnet18']);

    const rows = page.locator('[data-testid=validation-table] tbody tr');
    assert.equal(await rows.count(), 3);
    let within10 = 0;
    for (const m of report.models) {
      // Error in per cent of the measured latency, by hand from the two figures.
      const errorPct = ((m.estimatedMs - m.measuredMs) / m.measuredMs) * 100;
      assert.ok(Math.abs(errorPct - m.errorPct) < 1e-6, `${m.name}: error ${m.errorPct} vs ${errorPct}`);
      if (Math.abs(errorPct) <= 10) within10 += 1;
      const row = page.locator(`[data-testid=validation-table] tr[data-model="${m.name}"]`);
      const cells = await row.locator('td').allInnerTexts();
      assert.equal(cells[2], m.measuredMs.toFixed(2));
      assert.equal(cells[3], m.estimatedMs.toFixed(2));
      assert.equal(cells[4], `${errorPct >= 0 ? '+' : ''}${errorPct.toFixed(1)}`);
      assert.equal(await row.getAttribute('data-beyond'), String(Math.abs(errorPct) > 10));
      // The runner timed the speed reference beside the model, as the calibration did beside each case:
      // the row shows how much slower the device ran than then.
      assert.ok(m.speedFactor !== undefined && m.speedFactor > 0, `${m.name}: no speed reference`);
      assert.equal(cells[5], `×${m.speedFactor.toFixed(2)}`);
    }
    const bias = report.models.reduce((a, m) => a + m.errorPct, 0) / 3;
    assert.equal(await page.getByTestId('bias').innerText(), `${bias >= 0 ? '+' : ''}${bias.toFixed(1)}%`);
    const factors = report.models.map((m) => m.speedFactor ?? NaN).sort((a, b) => a - b);
    assert.equal(report.medianSpeedFactor, factors[1]);
    assert.match(await page.getByTestId('device-speed').innerText(), /^(as during calibration|\d+\.\d% (slower|faster) than during calibration)/);
    // Models timed in a slow stretch of this computer are timed again; the summary says how many, and names any still slow.
    const unsteady = page.getByTestId('validation-unsteady');
    assert.equal(await unsteady.getAttribute('data-retimed'), String(report.retimed));
    assert.equal(await unsteady.getAttribute('data-unsteady'), String(report.unsteady?.length));
    for (const name of report.unsteady ?? []) assert.ok((await unsteady.innerText()).includes(name));
    assert.equal(await page.getByTestId('within10').innerText(), `${((within10 / 3) * 100).toFixed(1)}% (${within10} of 3)`);
    assert.equal(await page.getByTestId('validation-chart').getAttribute('data-points'), '3');
    assert.equal(await page.locator('[data-testid=validation-chart] .recharts-scatter-symbol').count(), 3);
    // The finished run is listed among the past validation runs with its figures.
    const past = page.locator(`[data-testid=validation-runs] tr[data-run-id="${status.runId}"]`);
    await past.getByText('done').waitFor({ timeout: 10_000 });
    assert.equal((await past.locator('td').allInnerTexts())[5], `${((within10 / 3) * 100).toFixed(0)}%`);

    // One model's layers: measured and estimated bars per layer.
    await page.locator('[data-testid=validation-table] tr[data-model=vgg11]').click();
    const breakdown = page.getByTestId('layer-breakdown');
    await breakdown.waitFor();
    const vgg = report.models[0];
    assert.equal(await breakdown.getAttribute('data-model'), 'vgg11');
    assert.equal(await breakdown.getAttribute('data-points'), String(vgg.layers.length));
    await page.screenshot({ path: join(SCREENSHOTS, 'calibration-validation.png'), fullPage: true });
    assert.deepEqual(errors, []);
    firstValidation = status;
  });

  test('Measured vs estimated: the table exported to CSV, a second run side by side with the first, the device\'s history', async () => {
    const first = firstValidation;
    const firstReport = first?.report;
    assert.ok(first && firstReport, 'needs the validation of the test before');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('validation-export-csv').click()]);
    const csv = (await readFile(await download.path(), 'utf8')).trim().split('\n');
    assert.equal(csv[0], 'model,macc,measured_ms,estimated_ms,error_pct,device_speed_factor,retimes,unsteady,profile,device,backend');
    assert.equal(csv.length, 1 + firstReport.models.length);
    for (const [i, m] of firstReport.models.entries()) {
      const cells = csv[i + 1].split(',');
      assert.equal(cells[0], m.name);
      assert.equal(Number(cells[2]), m.measuredMs);
      assert.equal(Number(cells[4]), m.errorPct);
    }

    await page.getByTestId('validation-models').fill('alexnet vgg11');
    await page.getByTestId('validation-start').click();
    await page.locator('[data-testid=validation-progress][data-status=done]').waitFor({ timeout: JOB_TIMEOUT_MS });
    const second = (await services.listValidations({})).find((v) => v.runId !== first.runId && v.status === 'done');
    const secondReport = second?.report;
    assert.ok(secondReport);
    await page.getByTestId(`compare-${first.runId}`).check();
    const comparison = page.getByTestId('validation-comparison');
    await comparison.waitFor();
    // Side by side on the models both runs measured, each side with its own error and bias.
    assert.equal(await comparison.getAttribute('data-models'), '2');
    for (const name of ['alexnet', 'vgg11']) {
      const a: ValidationModelRow | undefined = secondReport.models.find((m) => m.name === name);
      const b: ValidationModelRow | undefined = firstReport.models.find((m) => m.name === name);
      assert.ok(a && b, name);
      const cells = await comparison.locator(`tr[data-model=${name}] td`).allInnerTexts();
      assert.deepEqual(cells, [name, a.measuredMs.toFixed(2), a.estimatedMs.toFixed(2), `${a.errorPct >= 0 ? '+' : ''}${a.errorPct.toFixed(1)}`, b.measuredMs.toFixed(2), b.estimatedMs.toFixed(2), `${b.errorPct >= 0 ? '+' : ''}${b.errorPct.toFixed(1)}`]);
    }
    const bBias = (firstReport.models.filter((m) => m.name !== 'resnet18').reduce((s, m) => s + m.errorPct, 0)) / 2;
    assert.match(await page.getByTestId('comparison-b').innerText(), new RegExp(`bias ${bBias >= 0 ? '\\+' : ''}${bBias.toFixed(1).replace('.', '\\.')}%`));
    const [both] = await Promise.all([page.waitForEvent('download'), page.getByTestId('comparison-export-csv').click()]);
    assert.equal((await readFile(await both.path(), 'utf8')).trim().split('\n').length, 3);
    // Each finished validation of this computer is a point of its history.
    const done = (await services.listValidations({})).filter((v) => v.deviceId === 'local' && v.status === 'done').length;
    assert.equal(await page.getByTestId('validation-history').getAttribute('data-points'), String(done));
    await page.screenshot({ path: join(SCREENSHOTS, 'calibration-validation-compare.png'), fullPage: true });
  });

  test('Calibrate: cancel a run, then Resume takes the same run to the end', async () => {
    await page.getByRole('button', { name: 'Calibrate', exact: true }).click();
    await page.getByTestId('calibrate-start').click();
    await page.getByTestId('calibrate-cancel').click();
    const progress = page.getByTestId('calibration-progress');
    await page.locator('[data-testid=calibration-progress][data-status=cancelled]').waitFor({ timeout: JOB_TIMEOUT_MS });
    const runId = (await progress.locator('.job-meta', { hasText: 'run ' }).innerText()).replace(/^run /, '');
    const kept = (await services.calibrationStatus({ runId })).measurements;
    const total = Number(await progress.getAttribute('data-total'));
    assert.ok(kept.length < total, `cancelled before the end: ${kept.length} of ${total}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'calibration-cancelled.png'), fullPage: true });

    await page.getByTestId('calibrate-resume').click();
    await page.locator('[data-testid=calibration-progress][data-status=done]').waitFor({ timeout: JOB_TIMEOUT_MS });
    const after = await services.calibrationStatus({ runId });
    assert.equal(after.done, total);
    assert.equal(after.measurements.length, total - 2 * anchorModels().length);
    // Whatever was kept before the cancel is the same record, not measured a second time (often nothing: the tiny plan is cancelled while connecting).
    for (const m of kept) assert.deepEqual(after.measurements.find((x) => x.caseId === m.caseId), m);
    await page.getByTestId('calibration-result').waitFor({ timeout: JOB_TIMEOUT_MS });
    assert.equal(await page.getByTestId('profile-card').getAttribute('data-profile-id'), after.profileId);
    assert.deepEqual(errors, []);
  });
});
