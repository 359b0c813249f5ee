/**
 * Packages a model tree into a bundle folder (bundle/README.md): manifest.json, one weights
 * file per distinct device block (nodes with the same layers and weights share one), and
 * the runtime's files. Written into a sibling folder and renamed into place, so `outDir`
 * is either absent or a complete bundle.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { analyzeModel } from '../dnn/spec/analyze.ts';
import type { ModelSpec } from '../dnn/spec/layer-spec.ts';
import { encodeWeightSet } from '../dnn/tfjs/weight-codec.ts';
import type { WeightDtype } from '../dnn/tfjs/weight-codec.ts';
import type { ModelTree } from '../search/model-tree.ts';
import type { OffloadGuard } from '../search/offload-guard.ts';
import type { VariantInfo } from '../search/problem.ts';
import { BUNDLE_FORMAT_VERSION, MANIFEST_FILE } from '../api/bundle/bundle-manifest.ts';
import type { BundleCloud, BundleFallback, BundleFile, BundleManifest, BundleNode, BundleOffload } from '../api/bundle/bundle-manifest.ts';
import type { WeightSet } from '../dnn/tfjs/layer-weights.ts';
import { bandwidthThresholds } from '../api/bundle/bandwidth-type.ts';
import { isSafeBundlePath } from '../api/bundle/parse-manifest.ts';
import { BundleBuildError } from './bundle-build-error.ts';
import { fallbackWork, nodeWork } from './node-work.ts';
import type { WeightsOf } from './node-work.ts';
import { sha256File } from './sha256-file.ts';

/** A file of the runtime: copied from `from` on this computer to bundle path `path`. */
export interface RuntimeFile {
  from: string;
  path: string;
}

export interface BundleRuntimeFiles {
  files: RuntimeFile[];
  /** Bundle path of the Node host's entry (one of `files`). */
  nodeEntry?: string;
  /** Bundle path of the browser host's page (one of `files`). */
  browserEntry?: string;
}

export interface BuildBundleInput {
  tree: ModelTree;
  /** The base model the tree was searched on. */
  base: ModelSpec;
  /** Names for the manifest (default: the spec's name; no data set). */
  model?: string;
  dataset?: string;
  /** The variants the tree may choose (at least those it does). */
  catalog: readonly VariantInfo[];
  weightsOf: WeightsOf;
  /** Element type of the weight files (default float16: half the bytes to push; see bundle/README.md). */
  weightsDtype?: WeightDtype;
  cloud?: BundleCloud | null;
  /** Carry the base layers from the earliest offload cut to the end, so the device can finish without the cloud (default true). */
  fallback?: boolean;
  runtime?: BundleRuntimeFiles;
  searchRunId?: string | null;
  /** Offload guard per cutting node id (search/offload-guard.ts); nodes not listed always send. */
  offloadGuards?: ReadonlyMap<number, OffloadGuard>;
  now?: Date;
}

function withGuard(offload: BundleOffload | null, guard: OffloadGuard | undefined): BundleOffload | null {
  return offload === null || guard === undefined ? offload : { ...offload, guardMbps: guard.mbps, guardDeviceMs: guard.deviceMs };
}

export interface BuiltBundle {
  dir: string;
  manifest: BundleManifest;
  /** All files' bytes, the manifest included. */
  bytes: number;
}

export async function buildBundle(input: BuildBundleInput, outDir: string): Promise<BuiltBundle> {
  const { tree, base } = input;
  const dtype = input.weightsDtype ?? 'float16';
  const model = input.model ?? base.name;
  const baseAnalysis = analyzeModel(base);
  const L = baseAnalysis.layers.length;
  if (tree.blocks.length === 0 || tree.blocks[0].start !== 0 || tree.blocks[tree.blocks.length - 1].end !== L) {
    throw new BundleBuildError(`the tree's blocks [${tree.blocks.map((b) => `${b.start}-${b.end}`).join(', ')}] do not tile model "${base.name}" of ${L} layers`);
  }
  await refuseNonEmpty(outDir);
  const staging = `${outDir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(join(staging, 'weights'), { recursive: true });
  try {
    const catalog = new Map(input.catalog.map((v) => [v.id, v]));
    const files: BundleFile[] = [];
    const weightFiles = new Set<string>();
    const nodes: BundleNode[] = [];
    /** Writes a weight set once per distinct content; its bundle path, or null when empty. */
    const writeWeights = async (set: WeightSet): Promise<string | null> => {
      if (set.size === 0) return null;
      const bytes = encodeWeightSet(model, set, dtype);
      const path = `weights/${contentName(bytes)}.etw`;
      if (!weightFiles.has(path)) {
        await writeFile(join(staging, path), bytes);
        weightFiles.add(path);
        files.push(await describe(staging, path));
      }
      return path;
    };
    for (const n of tree.nodes) {
      const common = {
        id: n.id, block: n.block, level: n.level, parent: n.parent, cut: n.cloud ? null : n.cut,
        variants: n.variantIds.map((id) => {
          const v = catalog.get(id) as VariantInfo | undefined;
          if (!v) throw new BundleBuildError(`node ${n.id} chooses variant "${id}", which the catalogue given to the bundle does not hold`);
          return { id, technique: v.technique, firstLayer: v.firstLayer, lastLayer: v.lastLayer };
        }),
        children: [...n.children], reward: n.reward,
      };
      if (n.cloud) {
        nodes.push({ ...common, placement: 'cloud', device: null, offload: null });
        continue;
      }
      const work = await nodeWork(base, baseAnalysis, tree, n, catalog, input.weightsOf);
      if (n.parent !== null) {
        const parentOut = new Set(nodes[n.parent].device?.outputs.map((t) => t.id));
        const missing = work.inputs.filter((t) => !parentOut.has(t.id));
        if (missing.length > 0) throw new BundleBuildError(`node ${n.id} reads ${missing.map((t) => t.id).join(', ')}, which its parent node ${n.parent} does not pass on`);
      }
      const weights = await writeWeights(work.weights);
      nodes.push({ ...common, placement: 'device', device: { layers: work.layers, inputs: work.inputs, outputs: work.outputs, weights }, offload: withGuard(work.offload, input.offloadGuards?.get(n.id)) });
    }
    const offloadCuts = nodes.flatMap((n) => (n.offload ? [n.offload.cut] : []));
    let fallback: BundleFallback | null = null;
    if (input.fallback !== false && offloadCuts.length > 0) {
      const work = fallbackWork(baseAnalysis, Math.min(...offloadCuts), await input.weightsOf('base'));
      fallback = { ...work, weights: await writeWeights(work.weights) };
    }
    const runtime = input.runtime ?? { files: [] };
    for (const f of runtime.files) {
      if (!isSafeBundlePath(f.path) || f.path === MANIFEST_FILE || f.path.startsWith('weights/')) throw new BundleBuildError(`runtime file path "${f.path}" must be a relative path outside weights/ and other than ${MANIFEST_FILE}`);
      if (files.some((x) => x.path === f.path)) throw new BundleBuildError(`runtime file path "${f.path}" is given twice`);
      await mkdir(dirname(join(staging, f.path)), { recursive: true });
      await copyFile(f.from, join(staging, f.path));
      files.push(await describe(staging, f.path));
    }
    for (const entry of [runtime.nodeEntry, runtime.browserEntry]) {
      if (entry !== undefined && !runtime.files.some((f) => f.path === entry)) throw new BundleBuildError(`runtime entry "${entry}" is not one of the runtime files`);
    }
    const manifest: BundleManifest = {
      formatVersion: BUNDLE_FORMAT_VERSION,
      createdAt: (input.now ?? new Date()).toISOString(),
      model,
      dataset: input.dataset ?? '',
      inputShape: [base.inputShape[0], base.inputShape[1], base.inputShape[2]],
      layerCount: L,
      blocks: tree.blocks.map((b) => ({ index: b.index, start: b.start, end: b.end })),
      bandwidth: { levelsMbps: [...tree.levelsMbps], thresholdsMbps: bandwidthThresholds(tree.levelsMbps) },
      roots: [...tree.roots],
      nodes,
      branches: tree.branches.map((br) => ({
        levels: [...br.levels], nodeIds: [...br.nodeIds], cut: br.composition.cut, variantIds: [...br.composition.variantIds],
        bandwidthMbps: br.bandwidthMbps, edgeMs: br.latency.edgeMs, transferMs: br.latency.transferMs, cloudMs: br.latency.cloudMs,
        totalMs: br.latency.totalMs, accuracy: br.accuracy, reward: br.reward,
      })),
      reward: tree.reward,
      weightsDtype: dtype,
      cloud: input.cloud ?? null,
      fallback,
      runtime: { nodeEntry: runtime.nodeEntry ?? null, browserEntry: runtime.browserEntry ?? null },
      searchRunId: input.searchRunId ?? null,
      files,
    };
    const text = `${JSON.stringify(manifest, null, 1)}\n`;
    await writeFile(join(staging, MANIFEST_FILE), text);
    await rmdir(outDir).catch(() => undefined);
    await rename(staging, outDir);
    return { dir: outDir, manifest, bytes: files.reduce((s, f) => s + f.bytes, 0) + Buffer.byteLength(text) };
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}

async function refuseNonEmpty(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  if (entries.length > 0) throw new BundleBuildError(`output folder ${dir} exists and is not empty; give a new folder`);
}

function contentName(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

async function describe(root: string, path: string): Promise<BundleFile> {
  const { sha256, bytes } = await sha256File(join(root, path));
  return { path, bytes, sha256 };
}
