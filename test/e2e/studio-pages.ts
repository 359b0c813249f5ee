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
