/** edgetree search --model NAME --dataset D --profile ID --cloud-profile ID --trace ID... --method M [--blocks N --contexts K --episodes E --seed S --val-images V] */
import type { CliContext } from '../cli-context.ts';
import { printJson } from '../cli-context.ts';
import { numberOption, parseCommand, requiredString, stringOption } from '../parse-command.ts';
import { UsageError } from '../usage-error.ts';
import { formatTable } from '../format-table.ts';
import { SEARCH_MODELS } from '../../api/search-api.ts';
import type { SearchModelName, SearchStatus, SearchTraceResult, StartSearchRequest } from '../../api/search-api.ts';
import { SEARCH_METHODS } from '../../search/method-names.ts';
import type { SearchMethodName } from '../../search/method-names.ts';
import { DATASETS, isDatasetName } from '../../dnn/models/datasets.ts';
import { validateRequest } from '../../api/validate-request.ts';
import { watchJob } from './watch-job.ts';
import { checked } from './checked-request.ts';

export const SEARCH_HELP = `Usage:
  edgetree search --model vgg11|alexnet --dataset cifar10|fashion-mnist --profile ID --cloud-profile ID
                  --trace ID [--trace ID ...] --method ${SEARCH_METHODS.join('|')}
                  [--blocks N] [--contexts K] [--episodes E] [--seed S] [--val-images V]
                  [--technique F1|F2|F3|C1|C2|C3|W1 ...] [--distill-images N --distill-epochs E] [--variants studio|recipe] [--json]

Searches the model for the device profile, with the cloud profile for the part sent
away, once per trace at its K bandwidth types (quantiles; K = 2: lower and upper
quartile). Progress on stderr; Ctrl-C cancels. Prints per trace the tree or branch
(each branch's partition, techniques, latency, accuracy and reward), the reward
curve over episodes, evaluations used, cache hits and wall time; the run is stored
(use its id with edgetree emulate --search RUN).
  --method      tree (Alg. 3, LSTM controllers), branch (Alg. 1 at the median rate),
                surgery (min-cut per rate), neurosurgeon (best single cut at the median),
                random / egreedy (Alg. 3 with random / epsilon-greedy policies, same budget),
                exhaustive (the optimal tree by enumeration, small spaces only)
  --blocks N    blocks of the tree (default 3)      --contexts K  bandwidth types (default 2)
  --episodes E  episodes per stage (default 60)     --seed S      (default 1)
  --val-images V  validation images per accuracy evaluation (default 2000)
  --technique T   search only these compression techniques' variants (default all)
  --distill-images N, --distill-epochs E
                  each variant's distillation: training images and epochs (default 2048
                  and 4); done once per variant and stored. On CIFAR-10, 8192 images cut
                  alexnet C1@conv2's loss from 14.4 to 6.6 points at 4x the time
  --variants recipe
                  search the variants trained by recipes/pytorch/distill_variants.py and
                  brought in with edgetree variants import (see edgetree variants --help)
                  instead of distilling them here; every variant of the techniques is needed
The cloud profile: edgetree calibrate --device local makes one for this computer;
edgetree profiles list shows the stored ones.
`;

export async function runSearch(args: string[], ctx: CliContext): Promise<number> {
  const parsed = parseCommand('search', args, {
    model: { type: 'string' }, dataset: { type: 'string' }, profile: { type: 'string' }, 'cloud-profile': { type: 'string' },
    trace: { type: 'string', multiple: true }, method: { type: 'string' }, blocks: { type: 'string' }, contexts: { type: 'string' },
    episodes: { type: 'string' }, seed: { type: 'string' }, 'val-images': { type: 'string' }, technique: { type: 'string', multiple: true },
    'distill-images': { type: 'string' }, 'distill-epochs': { type: 'string' }, variants: { type: 'string' },
  });
  if (parsed.values.help) {
    if (ctx.json) printJson(ctx, { help: SEARCH_HELP });
    else ctx.out(SEARCH_HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError('edgetree search: takes no arguments (see edgetree search --help)');
  const model = requiredString('search', parsed, 'model');
  if (!(SEARCH_MODELS as readonly string[]).includes(model)) throw new UsageError(`edgetree search: --model must be one of ${SEARCH_MODELS.join(', ')}, got "${model}"`);
  const dataset = requiredString('search', parsed, 'dataset');
  if (!isDatasetName(dataset)) throw new UsageError(`edgetree search: --dataset must be one of ${DATASETS.join(', ')}, got "${dataset}"`);
  const method = requiredString('search', parsed, 'method');
  if (!(SEARCH_METHODS as readonly string[]).includes(method)) throw new UsageError(`edgetree search: --method must be one of ${SEARCH_METHODS.join(', ')}, got "${method}"`);
  const cloudProfileId = stringOption(parsed, 'cloud-profile');
  if (cloudProfileId === undefined) throw new UsageError('edgetree search: --cloud-profile is required: the profile of the computer that runs the rest (edgetree calibrate --device local makes one; edgetree profiles list shows them)');
  const traceIds = (parsed.values.trace as string[] | undefined) ?? [];
  if (traceIds.length === 0) throw new UsageError('edgetree search: at least one --trace ID is required (edgetree traces list shows them)');
  const count = (name: string): number | undefined => {
    const v = stringOption(parsed, name);
    return v === undefined ? undefined : numberOption('search', name, v, 'integer');
  };
  const req: StartSearchRequest = {
    model: model as SearchModelName, dataset, profileId: requiredString('search', parsed, 'profile'), cloudProfileId, traceIds, method: method as SearchMethodName,
  };
  const optional = { blocks: count('blocks'), contexts: count('contexts'), episodes: count('episodes'), seed: count('seed'), valImages: count('val-images'), distillImages: count('distill-images'), distillEpochs: count('distill-epochs') };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(req, { [k]: v });
  const techniques = parsed.values.technique as string[] | undefined;
  if (techniques !== undefined) Object.assign(req, { techniques });
  const variants = stringOption(parsed, 'variants');
  if (variants !== undefined) Object.assign(req, { variants });
  const s = ctx.services();
  const started = await s.startSearch(checked('search', () => validateRequest('startSearch', req)));
  ctx.err(`search run ${started.runId}: ${method} on ${model}/${dataset}, ${traceIds.length} trace(s), ${started.total} episodes\n`);
  const final = (await watchJob(ctx, started.runId, () => s.searchStatus({ runId: started.runId }), (id) => s.cancelJob({ runId: id }), () => s.idle())) as SearchStatus;
  return report(ctx, final);
}

function report(ctx: CliContext, st: SearchStatus): number {
  if (st.status !== 'done') {
    if (ctx.json) printJson(ctx, { error: { name: st.status === 'cancelled' ? 'SearchCancelled' : 'SearchError', message: st.message }, runId: st.runId, status: st.status, done: st.done, total: st.total });
    else ctx.err(`edgetree search: run ${st.runId} ${st.status}: ${st.message}\n`);
    return st.status === 'cancelled' ? 130 : 1;
  }
  const doc = {
    runId: st.runId, params: st.params, baseAccuracy: st.baseAccuracy, evaluations: st.evaluations, cacheHits: st.cacheHits, wallMs: st.wallMs,
    excludedVariants: st.excludedVariants, notes: st.notes, traces: st.traces,
  };
  if (ctx.json) {
    printJson(ctx, doc);
    return 0;
  }
  ctx.out(`search run ${st.runId}: ${st.params.method} on ${st.params.model}/${st.params.dataset}, base accuracy ${pct(st.baseAccuracy ?? 0)}\n`);
  for (const n of st.notes) ctx.out(`note: ${n}\n`);
  for (const t of st.traces) ctx.out(traceText(t));
  ctx.out(`\n${st.evaluations} accuracy evaluations, ${st.cacheHits} cache hits, ${(st.wallMs / 1000).toFixed(1)} s\n`);
  return 0;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

export function traceText(t: SearchTraceResult): string {
  const types = t.levelsMbps.map((w, i) => `${i}: ${w.toFixed(3)}`).join(', ');
  let out = `\ntrace ${t.traceId} "${t.traceName}": bandwidth types (Mbit/s) ${types}; median ${t.medianMbps.toFixed(3)}; reward ${t.reward.toFixed(2)}\n`;
  if (t.branches.length > 0) {
    out += formatTable(['branch', 'Mbit/s', 'cut', 'techniques', 'edge ms', 'transfer ms', 'cloud ms', 'latency ms', 'accuracy %', 'reward'], t.branches.map((b) => [
      b.levels.length === 0 ? 'fixed' : b.levels.join(''), b.bandwidthMbps, b.cut === b.layerCount ? 'all device' : b.cut,
      b.variants.length === 0 ? 'none' : b.variants.map((v) => `${v.technique}@${v.id}`).join(' '),
      b.edgeMs, b.transferMs, b.cloudMs, b.latencyMs, 100 * b.accuracy, b.reward,
    ]));
  }
  if (t.surgery.length > 0) {
    out += formatTable(['partition at Mbit/s', 'cut', 'device layers', 'edge ms', 'transfer ms', 'cloud ms', 'latency ms'], t.surgery.map((d) => [
      d.bandwidthMbps, d.cut ?? 'DAG', d.deviceLayers, d.edgeMs, d.transferMs, d.cloudMs, d.totalMs,
    ]));
  }
  if (t.curve.length > 0) {
    const step = Math.max(1, Math.ceil(t.curve.length / 10));
    const shown = t.curve.filter((_, i) => i % step === 0 || i === t.curve.length - 1);
    out += `reward curve (episode: reward / best): ${shown.map((c) => `${c.episode + 1}: ${c.reward.toFixed(1)}/${c.best.toFixed(1)}`).join('  ')}\n`;
  }
  return out;
}
