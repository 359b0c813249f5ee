/**
 * What a user checks on each studio screen, shared by the browser-mode and the
 * Electron-path end-to-end tests. Values come from the same StudioApi the page uses.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import type { StudioApi } from '../../api/studio-api.ts';
import { TRACES_DIR } from '../shared-data.ts';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const RENDERER_DIST = join(ROOT, 'renderer', 'dist');
export const SCREENSHOTS = join(ROOT, 'test-results');
export const NORWAY_BUS_1 = join(TRACES_DIR, 'norway-hsdpa-3g', 'norway_bus_1');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Console errors and uncaught page errors: a CSP violation or a crash must fail the test. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // A failed import is an expected error response, reported by the page itself.
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) errors.push(`console: ${msg.text()}`);
  });
  return errors;
}

export async function checkModelsScreen(page: Page, api: StudioApi, modeLabel: string, shot: string): Promise<void> {
  await page.getByTestId('mode').filter({ hasText: modeLabel }).waitFor();
  const cifar = await api.showModel({ name: 'vgg11', dataset: 'cifar10' });
  const fashion = await api.showModel({ name: 'vgg11', dataset: 'fashion-mnist' });

  assert.equal(await page.getByTestId('model-select').inputValue(), 'vgg11');
  const total = page.getByTestId('total-macc');
  await page.locator(`[data-testid=total-macc][data-value="${cifar.macc}"]`).waitFor();
  assert.match(await total.innerText(), new RegExp(cifar.macc.toLocaleString('en-US').replace(/,/g, ',')));
  assert.equal(await page.getByTestId('layer-count').innerText(), String(cifar.layers.length));
  assert.equal(await page.locator('[data-testid=layer-table] tbody tr').count(), cifar.layers.length);
  // One bar slot per layer; recharts draws no rectangle for a zero value, so the drawn bars are
  // vgg11's 8 convs and 3 FCs (batch norm, ReLU, pooling and flatten have no MACC).
  assert.equal(await page.getByTestId('macc-chart').getAttribute('data-points'), String(cifar.layers.length));
  assert.equal(cifar.layers.length, 8 * 3 + 5 + 1 + 3 + 2);
  assert.equal(cifar.layers.filter((l) => l.macc > 0).length, 11);
  assert.equal(await page.locator('[data-testid=macc-chart] .recharts-bar-rectangle').count(), 11);
  // Cuts 0..35: cut 0 sends the 32x32x3 float32 input (12,288 bytes); the last cut runs
  // everything on the device and sends nothing, so its bar is empty.
  assert.equal(await page.getByTestId('cut-chart').getAttribute('data-points'), String(cifar.layers.length + 1));
  assert.equal(cifar.cutBytes[0], 32 * 32 * 3 * 4);
  assert.equal(cifar.cutBytes[cifar.layers.length], 0);
  assert.equal(await page.locator('[data-testid=cut-chart] .recharts-bar-rectangle').count(), cifar.layers.length);
  assert.ok(await page.locator('[data-testid=macc-chart]').getByText('MACC (M)').isVisible(), 'MACC axis labelled in millions');
  await page.screenshot({ path: join(SCREENSHOTS, `${shot}-models.png`), fullPage: true });

  // Fashion-MNIST has 1 input channel instead of 3: only the first conv changes,
  // by 3x3 kernel x (3 - 1) channels x 64 filters x 32x32 outputs = 1,179,648 MACC.
  assert.equal(cifar.macc - fashion.macc, 3 * 3 * 2 * 64 * 32 * 32);
  await page.getByTestId('dataset-select').selectOption('fashion-mnist');
  await page.locator(`[data-testid=total-macc][data-value="${fashion.macc}"]`).waitFor();
  assert.equal(await page.locator('[data-testid=macc-chart] .recharts-bar-rectangle').count(), 11);
}

export async function checkTracesScreen(page: Page, api: StudioApi, corruptFile: string, shot: string): Promise<void> {
  await page.getByRole('button', { name: 'Traces' }).click();
  await page.getByTestId('trace-list-empty').waitFor();

  await page.getByTestId('trace-file').setInputFiles(NORWAY_BUS_1);
  await page.getByTestId('trace-import').click();
  const row = page.locator('[data-testid=trace-list] tbody tr');
  await row.first().waitFor();
  const stored = await api.listTraces({});
  assert.equal(stored.length, 1);
  const trace = stored[0];
  // norway_bus_1 has 266 lines, one "time_s Mbit/s" sample each.
  const lines = readFileSync(NORWAY_BUS_1, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
  assert.equal(lines, 266);
  assert.equal(trace.samples, 266);
  assert.equal(trace.name, 'norway_bus_1');
  const cells = await row.first().locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(0, 3), ['norway_bus_1', trace.format, '266']);
  assert.equal(cells[5], trace.p25Mbps.toFixed(2));
  assert.equal(cells[6], trace.p75Mbps.toFixed(2));

  // The imported trace is selected and charted: a drawn line and both quartile lines, labelled.
  const chart = page.getByTestId('trace-chart');
  await chart.waitFor();
  const d = await chart.locator('.recharts-line-curve').getAttribute('d');
  assert.ok(d !== null && d.startsWith('M') && (d.match(/[LHV]/g) ?? []).length > 200, `line path drawn, got ${d?.slice(0, 80)}`);
  assert.equal(await chart.locator('.recharts-reference-line').count(), 2);
  await chart.getByText(`p25 ${trace.p25Mbps.toFixed(2)} Mbit/s`).waitFor();
  await chart.getByText(`p75 ${trace.p75Mbps.toFixed(2)} Mbit/s`).waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, `${shot}-traces.png`), fullPage: true });

  // A corrupt file: the error names the file and the line; nothing is stored.
  await page.getByTestId('trace-format').selectOption('time-mbps');
  await page.getByTestId('trace-file').setInputFiles(corruptFile);
  await page.getByTestId('trace-import').click();
  const error = page.getByTestId('trace-error');
  await error.waitFor();
  const text = await error.innerText();
  assert.match(text, new RegExp(`${basename(corruptFile)} line 3`));
  assert.equal(await row.count(), 1);
  assert.equal((await api.listTraces({})).length, 1);
  await page.screenshot({ path: join(SCREENSHOTS, `${shot}-trace-error.png`), fullPage: true });
}

/**
 * Models screen, accuracy view (browser mode): the shipped Fashion-MNIST alexnet's test
 * accuracy from its record, then a sweep cut to one technique on one layer with small
 * figures (100 validation images, a block distilled on 128 images for 1 epoch).
 */
export async function checkAccuracyView(page: Page, api: StudioApi, shot: string): Promise<void> {
  await page.getByRole('button', { name: 'Models' }).click();
  await page.getByTestId('dataset-select').selectOption('fashion-mnist');
  await page.getByTestId('model-select').selectOption('alexnet');
  const info = await api.modelAccuracy({ model: 'alexnet', dataset: 'fashion-mnist' });
  const test = info.trained?.testAccuracy;
  assert.ok(test !== undefined && test !== null && test >= 0.905, `record's test accuracy ${test}`);
  const base = page.locator(`[data-testid=base-accuracy][data-value="${test}"]`);
  await base.waitFor();
  assert.match(await base.innerText(), new RegExp(`${(100 * test).toFixed(2)}%\\s+on 10,000 test images`));
  assert.equal(await page.getByTestId('base-width').innerText().then((t) => t.split(/\s/)[0]), '0.5');
  assert.match(await page.getByTestId('base-source').innerText(), /PyTorch recipe[\s\S]*12 epochs/);

  // One technique (W1) on one layer (conv2, position 3).
  for (const t of ['F1', 'F2', 'F3', 'C1', 'C2', 'C3']) await page.getByTestId(`sweep-technique-${t}`).uncheck();
  await page.getByTestId('sweep-layer').selectOption('3');
  await page.getByTestId('sweep-val-images').fill('100');
  await page.getByTestId('sweep-distill-images').fill('128');
  await page.getByTestId('sweep-distill-epochs').fill('1');
  await page.getByTestId('sweep-start').click();
  await page.locator('[data-testid=sweep-progress][data-status=done]').waitFor({ timeout: 120_000 });
  const latest = (await api.modelAccuracy({ model: 'alexnet', dataset: 'fashion-mnist', valImages: 100 })).latestSweep;
  assert.ok(latest !== null);
  assert.deepEqual(latest.params, { model: 'alexnet', dataset: 'fashion-mnist', techniques: ['W1'], layers: [3], valImages: 100, distillImages: 128, distillEpochs: 1 });
  assert.equal(latest.rows.length, 1);
  const [row] = latest.rows;
  // Half of conv2's 32 filters pruned: conv2 5x5x32x16 at 16x16 and fc1's 1,024 inputs x 192 saved.
  assert.equal(row.maccSaved, 5 * 5 * 32 * 16 * 16 * 16 + 1024 * 192);

  const chart = page.getByTestId('sweep-chart');
  assert.equal(await chart.getAttribute('data-points'), '1');
  assert.equal(await chart.getAttribute('data-series'), '1');
  const point = chart.locator('.recharts-scatter-symbol');
  assert.equal(await point.count(), 1);
  assert.ok(await chart.getByText('MACC saved (M)').isVisible());
  assert.ok(await chart.getByText('W1 filter pruning').isVisible(), 'legend names the technique');
  await point.first().hover();
  const tip = page.getByTestId('sweep-tooltip');
  await tip.waitFor();
  assert.match(await tip.innerText(), new RegExp(`W1 on conv2[\\s\\S]*${(100 * row.accuracy).toFixed(2)}%`));
  const cells = await page.locator('[data-testid=sweep-table] tbody tr[data-variant="W1@conv2"] td').allInnerTexts();
  assert.deepEqual(cells.slice(0, 7), [
    'W1', '3 conv2', row.maccBefore.toLocaleString('en-US'), row.maccAfter.toLocaleString('en-US'), `${(100 * row.maccSaved / row.maccBefore).toFixed(1)}%`,
    `${(100 * row.accuracy).toFixed(2)}%`, (100 * row.accuracyLost).toFixed(2),
  ]);
  await page.screenshot({ path: join(SCREENSHOTS, `${shot}-models-accuracy.png`), fullPage: true });
}
