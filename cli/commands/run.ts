/** edgetree run --device ID [--bundle-remote PATH] [--bundle DIR] [--images N] [--cloud URL --token T] */
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { numberOption, parseCommand, requiredString, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { resolveHome } from '../../profiles/home.ts';
import { defaultRemoteRoot } from '../../services/deploy-service.ts';
import { remoteLayout } from '../../deploy/remote-layout.ts';
import { join } from 'node:path';
import { readRemoteManifest, runOnDevice } from '../../device-run/run-on-device.ts';
import { runOnPhoneBrowser } from '../../device-run/run-on-phone-browser.ts';
import { testImages } from '../../device-run/test-images.ts';
import { summariseRun } from '../../device-run/run-summary.ts';
import type { RunSummary } from '../../device-run/run-summary.ts';
import { DeviceRunError } from '../../device-run/device-run-errors.ts';
import type { RuntimeLine } from '../../runtime/core/runtime-line.ts';
import type { InferenceTimeline } from '../../runtime/core/inference-timeline.ts';

export const RUN_HELP = `Usage:
  edgetree run --device ID [--bundle-remote PATH] [--images N] [--cloud URL --token T]
               [--node PATH] [--bundle DIR] [--data DIR] [--json]

Starts the runtime's Node host of a deployed bundle on the device (local, ssh:...) over
its transport, feeds it the first N images (default 20) of the bundle's data set's test
split, and prints each inference's timeline as it comes back (the branch taken, the
bandwidth seen, edge, transfer and cloud time), then the summary: mean latency, how
often each branch ran, and accuracy against the images' labels. --bundle-remote: the
bundle folder on the device (default: <deploy root>/current, as edgetree deploy left
it). --cloud/--token: the offload server (default: the bundle's own). A device that drops
mid-run: the lines received so far are printed, with the error naming the device (exit 1).

An adb: phone has no Node: the bundle runs in the phone's own browser, served from this
studio's copy of the deployed bundle (the one whose manifest.json has the same SHA-256:
--bundle DIR, a bundle folder or a folder of bundles, else $EDGETREE_HOME/bundles) over
adb reverse, the page opened with a VIEW intent; a cloud on this computer's loopback is
reversed too. --node does not apply there.
`;

export async function runRun(args: string[], ctx: CliContext): Promise<number> {
  const name = 'run';
  const parsed = parseCommand(name, args, {
    device: { type: 'string', short: 'd' }, 'bundle-remote': { type: 'string' }, images: { type: 'string' },
    cloud: { type: 'string' }, token: { type: 'string' }, node: { type: 'string' }, data: { type: 'string' }, bundle: { type: 'string' },
  });
  if (parsed.values.help) {
    if (ctx.json) printJson(ctx, { help: RUN_HELP });
    else ctx.out(RUN_HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`edgetree ${name}: takes no positional arguments (see edgetree run --help)`);
  const deviceId = requiredString(name, parsed, 'device');
  const imagesText = stringOption(parsed, 'images');
  const count = imagesText === undefined ? 20 : numberOption(name, 'images', imagesText, 'positive');
  if (!Number.isInteger(count)) throw new UsageError(`edgetree ${name}: --images must be a whole number > 0, got "${imagesText ?? ''}"`);
  const cloudUrl = stringOption(parsed, 'cloud');
  const token = stringOption(parsed, 'token');
  if ((cloudUrl === undefined) !== (token === undefined)) throw new UsageError(`edgetree ${name}: --cloud and --token go together`);
  const node = stringOption(parsed, 'node');
  const dataDir = stringOption(parsed, 'data');
  const home = resolveHome(process.env);
  const remoteBundle = stringOption(parsed, 'bundle-remote') ?? remoteLayout(defaultRemoteRoot(deviceId, home)).current;
  const localBundle = stringOption(parsed, 'bundle');

  const transport = await ctx.services().devices.openTransport(deviceId);
  try {
    const manifest = await readRemoteManifest(transport, remoteBundle);
    const images = await testImages(manifest, count, dataDir);
    if (!ctx.json) ctx.out(`${manifest.model}/${manifest.dataset} bundle ${remoteBundle} on ${deviceId}: ${images.count} test images\n${HEADER}\n`);
    const onLine = (l: RuntimeLine): void => {
      if (!ctx.json && l.type === 'inference') ctx.out(`${row(l, images.labels)}\n`);
    };
    try {
      const common = { remoteBundle, images: images.bytes, count: images.count, onLine, ...(cloudUrl !== undefined && { cloudUrl }), ...(token !== undefined && { token }) };
      // A phone has no Node: it runs the studio's copy of the bundle in its own browser.
      const r = deviceId.startsWith('adb:')
        ? await runOnPhoneBrowser(transport, { ...common, adb: await ctx.services().devices.adb(), bundlePlaces: [...(localBundle !== undefined ? [localBundle] : []), join(home, 'bundles')] })
        : await runOnDevice(transport, { ...common, ...(node !== undefined && { node }) });
      const summary = summariseRun(r.timelines, images.labels);
      if (ctx.json) printJson(ctx, { device: deviceId, remoteBundle, model: manifest.model, dataset: manifest.dataset, labels: Array.from(images.labels), lines: r.lines, summary });
      else ctx.out(summaryText(summary));
      return 0;
    } catch (e) {
      if (!(e instanceof DeviceRunError)) throw e;
      // The lines already received are part of the answer (printed as they came without --json).
      const timelines = e.lines.filter((l): l is InferenceTimeline => l.type === 'inference');
      const summary = summariseRun(timelines, images.labels);
      if (ctx.json) printJson(ctx, { device: deviceId, remoteBundle, model: manifest.model, dataset: manifest.dataset, labels: Array.from(images.labels), lines: e.lines, summary, error: { name: e.name, message: e.message } });
      else ctx.err(`edgetree: ${e.message}\n${summaryText(summary)}`);
      return 1;
    }
  } finally {
    await transport.close();
  }
}

const HEADER = `${'#'.padStart(4)}  ${'branch'.padEnd(10)} ${'cut'.padStart(4)} ${'Mbit/s'.padStart(8)} ${'edge ms'.padStart(8)} ${'xfer ms'.padStart(8)} ${'cloud ms'.padStart(8)} ${'total ms'.padStart(9)}  class label`;

function row(t: InferenceTimeline, labels: ArrayLike<number>): string {
  const label = labels.length > 0 ? labels[t.index % labels.length] : -1;
  return `${String(t.index).padStart(4)}  ${t.branch.join('-').padEnd(10)} ${(t.cut === null ? '-' : String(t.cut)).padStart(4)} ${(t.blocks[0]?.bandwidthMbps ?? 0).toFixed(2).padStart(8)} `
    + `${t.edgeMs.toFixed(1).padStart(8)} ${t.transferMs.toFixed(1).padStart(8)} ${t.cloudMs.toFixed(1).padStart(8)} ${t.totalMs.toFixed(1).padStart(9)}  ${String(t.predictedClass).padStart(5)} ${String(label).padStart(5)}`
    + (t.fallback !== undefined ? `  (${t.fallback})` : '');
}

function summaryText(s: RunSummary): string {
  const branches = s.branches.map((b) => `${b.branch} (cut ${b.cut ?? '-'}) x${b.count}`).join(', ');
  return `${s.inferences} inferences: mean ${s.meanTotalMs.toFixed(1)} ms (edge ${s.meanEdgeMs.toFixed(1)}, transfer ${s.meanTransferMs.toFixed(1)}, cloud ${s.meanCloudMs.toFixed(1)}), `
    + `${s.offloads} offloaded, ${s.fallbacks} fell back\nbranches: ${branches || 'none'}\naccuracy: ${s.correct}/${s.inferences} = ${(s.accuracy * 100).toFixed(1)}%\n`;
}
