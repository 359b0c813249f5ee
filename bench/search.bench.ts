/**
 * The search on a real base model with cached accuracy (the store's accuracy memory pool
 * and the evaluation pool): wall time of a model tree search and evaluations per second
 * once every composition's accuracy is known; then the reward RL (LSTM controllers),
 * random search and epsilon-greedy reach at equal budgets (the same Alg. 3, branches,
 * boosting and episodes), median over 5 seeds, as ratios. Profiles: the hand-written
 * reference phone and server (search/testing/reference-profiles.ts); trace: Norway
 * HSDPA bus 1 (bandwidth types: its lower and upper quartile). Prints; asserts nothing.
 * Usage: node --import tsx bench/search.bench.ts [--model alexnet|vgg11 --dataset D --episodes E --val-images V --seeds S --phone-scale X]
 *        [--profile ID --cloud-profile ID --trace ID] [--technique T ...] [--distill-images N --distill-epochs E] [--variants recipe]
 *        [--entropy B --lr R] (the LSTM controllers' entropy bonus, reward points per nat, and Adam learning rate; default theirs)
 * (defaults: the shipped alexnet/fashion-mnist, 30 episodes, 500 images, 5 seeds, the reference phone as it is).
 * --profile / --cloud-profile / --trace take stored ones from the store instead (a calibrated device, e.g. local:js).
 * The store is $EDGETREE_HOME's (variants distilled and accuracies pooled there stay for the next run).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSearchInputs } from '../accuracy/search-inputs.ts';
import type { TechniqueId } from '../dnn/compress/technique.ts';
import { isVariantSource, VARIANT_SOURCES } from '../api/search-api.ts';
import type { DatasetName } from '../dnn/models/datasets.ts';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import { balancedBlocks } from '../dnn/spec/blocks.ts';
import { initTfjsBackend } from '../engine/tfjs-backend.ts';
import { requireTrainingBackend } from '../engine/training-backend.ts';
import { resolveHome } from '../profiles/home.ts';
import { createProfilesService } from '../services/profiles-service.ts';
import { loadTrace } from '../services/search-service.ts';
import { openStore } from '../profiles/open-store.ts';
import { EvaluationPool } from '../search/evaluation-pool.ts';
import type { AccuracyOracle, SearchProblem } from '../search/problem.ts';
import { PAPER_REWARD } from '../search/reward.ts';
import { epsilonGreedyControllers, lstmControllers, lstmControllersWith, randomControllers } from '../search/search-methods.ts';
import type { DeviceProfile } from '../latency/device-profile.ts';
import { REFERENCE_PHONE, REFERENCE_SERVER } from '../search/testing/reference-profiles.ts';
import { modelTreeSearch } from '../search/tree-search.ts';
import type { ControllerFactory } from '../search/tree-search.ts';
import { contextLevels } from '../traces/contexts.ts';
import { parseTraceFile } from '../traces/formats/registry.ts';
import { TRACES_DIR } from '../test/shared-data.ts';

const { values } = parseArgs({ options: { model: { type: 'string' }, dataset: { type: 'string' }, episodes: { type: 'string' }, 'val-images': { type: 'string' }, seeds: { type: 'string' }, 'phone-scale': { type: 'string' }, profile: { type: 'string' }, 'cloud-profile': { type: 'string' }, trace: { type: 'string' },
  technique: { type: 'string', multiple: true }, 'distill-images': { type: 'string' }, 'distill-epochs': { type: 'string' }, variants: { type: 'string' }, entropy: { type: 'string' }, lr: { type: 'string' } } });
const model = (values.model ?? 'alexnet') as 'vgg11' | 'alexnet';
const dataset = (values.dataset ?? 'fashion-mnist') as DatasetName;
const episodes = Number(values.episodes ?? 30);
const valImages = Number(values['val-images'] ?? 500);
// The reference phone's compute lines times this (default 1; 10: a low-end board, where sending the input wins on Norway bus 1).
const phoneScale = Number(values['phone-scale'] ?? 1);
const reference: DeviceProfile = { ...REFERENCE_PHONE, name: `reference phone x${phoneScale}`, compute: REFERENCE_PHONE.compute.map((l) => ({ ...l, slopeMsPerMacc: phoneScale * l.slopeMsPerMacc, interceptMs: phoneScale * l.interceptMs })) };
const seeds = Array.from({ length: Number(values.seeds ?? 5) }, (_, i) => i + 1);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const backend = await initTfjsBackend({ prefer: 'wasm' });
await requireTrainingBackend();
const db = openStore(resolveHome(process.env));
const stored = createProfilesService(db).loadProfile;
const phone = values.profile === undefined ? reference : stored(values.profile);
const server = values['cloud-profile'] === undefined ? REFERENCE_SERVER : stored(values['cloud-profile']);

// A misspelt --variants must not quietly search the studio's blocks instead.
const variants = values.variants ?? 'studio';
if (!isVariantSource(variants)) throw new Error(`--variants must be one of ${VARIANT_SOURCES.join(', ')}, got "${variants}"`);
const t0 = performance.now();
const inputs = await openSearchInputs(db, model, dataset, {
  valImages, techniques: values.technique as TechniqueId[] | undefined,
  distillImages: values['distill-images'] === undefined ? undefined : Number(values['distill-images']),
  distillEpochs: values['distill-epochs'] === undefined ? undefined : Number(values['distill-epochs']),
  variants,
  onProgress: (p) => process.stderr.write(`\r${p.phase} ${p.done}/${p.total}   `) });
process.stderr.write('\n');
console.log(`backend ${backend.description}; ${model}/${dataset} (weights ${inputs.weightsId}), ${inputs.catalog.length} variants, base accuracy ${(100 * inputs.baseAccuracy).toFixed(2)}%; inputs ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// One memo over all runs: each variant set's accuracy is asked of the oracle (the store's pool, else a real evaluation) once.
const memo = new Map<string, Promise<number>>();
const cached: AccuracyOracle = (c) => {
  const key = [...c.variantIds].sort().join('+');
  let a = memo.get(key);
  if (a === undefined) memo.set(key, (a = inputs.accuracy(c)));
  return a;
};
const trace = values.trace === undefined ? parseTraceFile('norway_bus_1', readFileSync(join(TRACES_DIR, 'norway-hsdpa-3g', 'norway_bus_1'), 'utf8')) : loadTrace(db, values.trace);
const levels = contextLevels(trace, 2);
const problem: SearchProblem = { base: inputs.base, catalog: inputs.catalog, device: phone, cloud: server, accuracy: cached, reward: PAPER_REWARD };
const blocks = balancedBlocks(analyzeModel(inputs.base), 3);
console.log(`device ${phone.name}, cloud ${server.name}; trace ${trace.name}: bandwidth types ${levels.map((w) => w.toFixed(3)).join(' / ')} Mbit/s; blocks ${blocks.map((b) => `[${b.start}, ${b.end})`).join(' ')}; ${episodes} episodes per stage (x3 with the two boosting branches)`);

async function search(controllers: ControllerFactory, seed: number): Promise<{ reward: number; ms: number; evaluations: number; lookups: number }> {
  const pool = new EvaluationPool(problem, blocks);
  const start = performance.now();
  const r = await modelTreeSearch(pool, { levelsMbps: levels, episodes, seed, controllers });
  const s = pool.stats();
  return { reward: r.tree.reward, ms: performance.now() - start, evaluations: s.evaluations, lookups: s.evaluations + s.cacheHits };
}

const rl: ControllerFactory = values.entropy === undefined && values.lr === undefined ? lstmControllers
  : lstmControllersWith({ ...(values.entropy !== undefined && { entropyBonus: Number(values.entropy) }), ...(values.lr !== undefined && { learningRate: Number(values.lr) }) });
if (rl !== lstmControllers) console.log(`LSTM controllers with entropy bonus ${values.entropy ?? 'default'}, learning rate ${values.lr ?? 'default'}`);

// Every method and seed once, so that every accuracy the comparison needs is in the memo.
const methods: [string, ControllerFactory][] = [['rl', rl], ['random', randomControllers], ['egreedy', epsilonGreedyControllers]];
const rewards = new Map<string, number[]>();
const warmStart = performance.now();
for (const [name, f] of methods) for (const seed of seeds) rewards.set(name, [...(rewards.get(name) ?? []), (await search(f, seed)).reward]);
console.log(`first pass (accuracies evaluated or read from the store as met): ${((performance.now() - warmStart) / 1000).toFixed(1)} s, ${memo.size} variant sets`);

// Cached accuracy: the same searches again time the search alone.
const timed = await search(rl, seeds[0]);
console.log(`RL tree search with cached accuracy: ${(timed.ms / 1000).toFixed(2)} s wall, ${timed.lookups} pool evaluations (${(timed.lookups / (timed.ms / 1000)).toFixed(0)} per s), ${3 * episodes} episodes (${(timed.ms / (3 * episodes)).toFixed(1)} ms per episode)`);
const rRandom = await search(randomControllers, seeds[0]);
console.log(`random search with cached accuracy: ${(rRandom.ms / 1000).toFixed(2)} s wall, ${(rRandom.lookups / (rRandom.ms / 1000)).toFixed(0)} pool evaluations per s`);

const med = Object.fromEntries([...rewards].map(([k, v]) => [k, median(v)]));
for (const [k, v] of rewards) console.log(`${k.padEnd(8)} tree rewards over seeds ${seeds.join(', ')}: ${v.map((x) => x.toFixed(2)).join('  ')}  median ${med[k].toFixed(2)}`);
console.log(`median reward ratios at equal budget: RL / random ${(med.rl / med.random).toFixed(4)}, RL / egreedy ${(med.rl / med.egreedy).toFixed(4)}`);
db.close();
