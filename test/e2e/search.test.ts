/**
 * End to end: the Search and Emulation screens in headless Chromium against the real
 * loopback server, real services and a real store in a temporary EDGETREE_HOME. The
 * search runs on the studio's trained base model with its distilled variants and the
 * accuracy pool (accuracy/search-inputs.ts), small: two blocks, three episodes, one
 * technique, 200 validation images. Profiles: the reference phone and server imported
 * as profile files; trace: Norway HSDPA bus 1.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { startStudioHttpServer } from '../../server/studio-http-server.ts';
import type { StudioHttpServer } from '../../server/studio-http-server.ts';
import { createStudioServices } from '../../services/studio-services.ts';
import type { StudioServices } from '../../services/studio-services.ts';
import type { ProfileSummary, TraceSummary } from '../../api/studio-api.ts';
import { serializeDeviceProfile } from '../../latency/profile-json.ts';
import { REFERENCE_PHONE, REFERENCE_SERVER } from '../../search/testing/reference-profiles.ts';
import { reward } from '../../search/reward.ts';
import { startCloudServer } from '../../cloud/cloud-server.ts';
import { loadBaseWeights } from '../../cloud/base-weights.ts';
import { openBundle } from '../../bundle/open-bundle.ts';
import { CHROMIUM_ARGS, NORWAY_BUS_1, RENDERER_DIST, SCREENSHOTS, collectPageErrors } from './studio-pages.ts';

const MODEL = 'alexnet';
const DATASET = 'fashion-mnist';
const JOB_TIMEOUT_MS = 300_000;

let work: string;
let browser: Browser;
let services: StudioServices;
let server: StudioHttpServer;
let page: Page;
let errors: string[];
let phone: ProfileSummary;
let cloud: ProfileSummary;
let trace: TraceSummary;

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'edgetree-e2e-search-'));
  services = createStudioServices({ home: join(work, 'home'), mode: 'browser', adbPort: false });
  phone = await services.importProfile({ fileName: 'phone.json', content: serializeDeviceProfile(REFERENCE_PHONE) });
  cloud = await services.importProfile({ fileName: 'server.json', content: serializeDeviceProfile(REFERENCE_SERVER) });
  trace = await services.importTrace({ fileName: 'norway_bus_1', content: readFileSync(NORWAY_BUS_1, 'utf8') });
  server = await startStudioHttpServer(services, { port: 0, staticDir: RENDERER_DIST });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  errors = collectPageErrors(page);
  await page.goto(server.url);
});

after(async () => {
  await browser?.close();
  await server?.close();
  await services?.idle();
  services?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('search and emulation screens in browser mode', () => {
  test('Search: tree and surgery on one trace; curves, the tree and its branches as the API gives them', async () => {
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('search-model').selectOption(MODEL);
    await page.getByTestId('search-dataset').selectOption(DATASET);
    await page.getByTestId('search-profile').selectOption(phone.id);
    await page.getByTestId('search-cloud-profile').selectOption(cloud.id);
    await page.getByTestId(`search-trace-${trace.id}`).check();
    await page.getByTestId('search-method-branch').uncheck();
    for (const t of ['F1', 'F2', 'C1', 'C2', 'C3', 'W1']) await page.getByTestId(`search-technique-${t}`).uncheck();
    await page.getByTestId('search-blocks').fill('2');
    await page.getByTestId('search-episodes').fill('3');
    await page.getByTestId('search-val-images').fill('200');
    await page.getByTestId('search-start').click();
    for (const m of ['tree', 'surgery']) {
      await page.locator(`[data-testid=search-progress-${m}][data-status=done]`).waitFor({ timeout: JOB_TIMEOUT_MS });
    }
    const runs = await services.listSearches({});
    assert.deepEqual(runs.map((r) => r.params.method), ['surgery', 'tree']);
    const tree = runs[1];
    const result = tree.traces[0];
    assert.ok(result.tree !== null);
    // K = 2 types, N = 2 blocks: 2 roots and 4 children; 4 leaf branches.
    assert.equal(result.tree.nodes.length, 6);
    assert.equal(result.branches.length, 4);
    // The curve: 2 boosting branch searches of 3 episodes, then 3 tree episodes, for the tree; surgery a level line.
    const curves = page.getByTestId('reward-curves');
    assert.equal(await curves.getAttribute('data-series'), '1');
    assert.equal(await curves.getAttribute('data-episodes'), '9');
    await page.getByTestId('search-result-run').selectOption(tree.runId);
    const view = page.getByTestId('model-tree');
    assert.equal(await view.getAttribute('data-nodes'), '6');
    assert.equal(await page.locator('[data-testid=tree-node]').count(), 6);
    const placements = await page.locator('[data-testid=tree-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-placement')));
    assert.deepEqual(placements, result.tree.nodes.map((n) => (n.cloud ? 'cloud' : n.cut === null ? 'device' : 'cut')));
    assert.equal(await page.getByTestId('search-reward').innerText(), result.reward.toFixed(2));
    const rewards = await page.locator('[data-testid=branch-row] [data-testid=branch-reward]').allInnerTexts();
    assert.deepEqual(rewards, result.branches.map((b) => b.reward.toFixed(2)));
    for (const b of result.branches) {
      assert.ok(Math.abs(b.latencyMs - (b.edgeMs + b.transferMs + b.cloudMs)) < 1e-9);
      assert.ok(Math.abs(b.reward - reward(b.accuracy, b.latencyMs)) < 1e-9);
    }
    // The tree's reward is the mean of its roots' (backward estimation).
    const roots = result.tree.roots.map((r) => result.tree?.nodes[r].reward as number);
    assert.ok(Math.abs(result.reward - (roots[0] + roots[1]) / 2) < 1e-9);
    await page.screenshot({ path: join(SCREENSHOTS, 'search.png'), fullPage: true });
  });

  test('Emulation: the two runs over the trace, Table IV and its bar charts', async () => {
    await page.getByRole('button', { name: 'Emulation' }).click();
    const runs = await services.listSearches({});
    for (const r of runs) await page.getByTestId(`emulation-search-${r.runId}`).check();
    await page.getByTestId(`emulation-trace-${trace.id}`).check();
    await page.getByTestId('emulation-offsets').fill('8');
    await page.getByTestId('emulation-start').click();
    await page.locator('[data-testid=emulation-progress][data-status=done]').waitFor({ timeout: JOB_TIMEOUT_MS });
    const st = (await services.listEmulations({}))[0];
    assert.ok(st.table !== null);
    const rows = page.locator('[data-testid=emulation-row]');
    // tree and surgery on the trace, and overall.
    assert.equal(await rows.count(), 4);
    for (const r of [...st.table.traces[0].methods, ...st.table.overall]) {
      assert.equal(r.inferences, 8);
      // Eq. 7 is linear in accuracy and latency: the mean reward is the reward of the means.
      assert.ok(Math.abs(r.reward - reward(r.accuracy, r.latencyMs)) < 1e-9, r.method);
    }
    const shown = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-reward'))));
    assert.deepEqual(shown, [...st.table.traces[0].methods, ...st.table.overall].map((r) => r.reward));
    assert.equal(await page.getByTestId('emulation-latency-chart').getAttribute('data-groups'), '2');
    assert.equal(await page.getByTestId('emulation-accuracy-chart').getAttribute('data-methods'), '2');
    assert.equal(await page.locator('[data-testid=emulation-latency-chart] .recharts-bar-rectangle').count(), 4);
    await page.screenshot({ path: join(SCREENSHOTS, 'emulation.png'), fullPage: true });
    assert.deepEqual(errors, []);
  });

  test('the searched tree end to end: packaged with the variants it chose, deployed to this computer, run against a cloud server; its branch and surgery package too', async () => {
    const tree = (await services.listSearches({})).find((r) => r.params.method === 'tree');
    assert.ok(tree);
    const cloud = await startCloudServer({ models: new Map([[`${MODEL}/${DATASET}`, loadBaseWeights(MODEL, DATASET)]]), token: 'e2e-token' });
    try {
      const p = await services.packageBundle({ searchRunId: tree.runId, cloudUrl: cloud.url, cloudToken: 'e2e-token' });
      assert.equal(p.configuration, 'tree');
      assert.match(p.weightsSource, /^trained-models\/fashion-mnist\/alexnet\.etw/);
      const { manifest } = await openBundle(p.dir);
      // Every variant a node chose rides in the bundle (the search's own distilled block).
      const chosen = [...new Set((tree.traces[0].tree?.nodes ?? []).flatMap((n) => n.variantIds))].sort();
      assert.deepEqual([...new Set(manifest.nodes.flatMap((n) => n.variants.map((v) => v.id)))].sort(), chosen);
      for (const configuration of ['branch', 'surgery'] as const) {
        const c = await services.packageBundle({ searchRunId: tree.runId, configuration, cloudUrl: cloud.url, cloudToken: 'e2e-token' });
        assert.equal(c.configuration, configuration);
      }
      const d = await services.startDeploy({ deviceId: 'local', bundleDir: p.dir });
      await services.idle();
      assert.equal((await services.deployStatus({ runId: d.runId })).status, 'done');
      const r = await services.startDeviceRun({ deviceId: 'local', images: 2 });
      await services.idle();
      const st = await services.deviceRunStatus({ runId: r.runId });
      assert.equal(st.status, 'done', st.message);
      assert.equal(st.inferences.length, 2);
      assert.equal(st.model, MODEL);
      assert.ok(st.inferences.every((x) => !x.fallback && x.totalMs > 0));
    } finally {
      await cloud.close();
    }
  });
});
