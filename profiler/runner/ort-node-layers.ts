/**
 * ONNX Runtime's per-node profile, put back on the studio's layers. The exporter names each
 * node `<layer id>/<op>_<i>` (profiler/native/onnx-export.ts); ORT's graph optimiser then
 * fuses layers (a conv with its batch norm, activation and residual add) into nodes named
 * after a tensor, `t_<layer id>_...`, or after the model's `output`, and adds layout nodes
 * (ReorderInput/Output) of no layer; a node fused with its activation is named `fused <name>`.
 * A fused node's time goes to the heaviest conv, depthwise or fc layer of the chain it
 * replaced (else to its own layer), and the fused layers read 0 ms: that is what they cost in
 * this runtime, and the in-model correction of the anchors learns it per layer type. Pure.
 */
import type { ModelAnalysis } from '../../dnn/spec/analyze.ts';

const KERNEL_TIME_SUFFIX = '_kernel_time';
/** The layers a runtime fuses others into. */
const COMPUTE_TYPES = new Set(['conv', 'depthwise', 'fc']);

/** The layer a profiled node belongs to, by its name; null for nodes of no layer (layout changes). */
export function layerOfNode(layerIds: readonly string[], nodeName: string): number | null {
  const name = nodeName.endsWith(KERNEL_TIME_SUFFIX) ? nodeName.slice(0, -KERNEL_TIME_SUFFIX.length) : nodeName;
  const slash = name.lastIndexOf('/');
  if (slash > 0) {
    const prefix = name.slice(0, slash);
    // A node fused with its activation keeps its name after a word: "fused fc1/Gemm_7".
    const i = layerIds.indexOf(prefix);
    const j = i >= 0 ? i : layerIds.indexOf(prefix.slice(prefix.indexOf(' ') + 1));
    if (j >= 0) return j;
  }
  if (name.startsWith('t_')) {
    let best = -1;
    for (const [i, id] of layerIds.entries()) {
      const rest = name.slice(2);
      if (rest.startsWith(id) && (rest.length === id.length || rest[id.length] === '_') && (best < 0 || id.length > layerIds[best].length)) best = i;
    }
    if (best >= 0) return best;
  }
  if (name === 'output' || name.startsWith('output_')) return layerIds.length - 1;
  return null;
}

/**
 * Per-layer ms of one run from its node timings: each node's time on its layer, then a layer
 * that has nodes takes the time of the layers before it that have none and feed it one to
 * one, all on the chain's heaviest conv, depthwise or fc layer (by MACC, the first of
 * equals), or on its own layer when the chain has none.
 */
export function layerTimesOfRun(analysis: ModelAnalysis, nodes: readonly { name: string; ms: number }[]): number[] {
  const ids = analysis.layers.map((l) => l.layer.id);
  const own = ids.map(() => 0);
  const hasNode = ids.map(() => false);
  for (const n of nodes) {
    const i = layerOfNode(ids, n.name);
    if (i === null) continue;
    own[i] += n.ms;
    hasNode[i] = true;
  }
  const out = ids.map(() => 0);
  for (let i = 0; i < ids.length; i++) {
    if (!hasNode[i]) continue;
    let start = i;
    while (start > 0 && !hasNode[start - 1] && feedsOnly(analysis, start - 1, start)) start -= 1;
    let target = i;
    for (let k = start; k <= i; k++) {
      const l = analysis.layers[k];
      if (COMPUTE_TYPES.has(l.layer.type) && (!COMPUTE_TYPES.has(analysis.layers[target].layer.type) || l.macc > analysis.layers[target].macc)) target = k;
    }
    out[target] += own[i];
  }
  return out;
}

/** Layer `to` takes layer `from`'s output as its one input. */
function feedsOnly(analysis: ModelAnalysis, from: number, to: number): boolean {
  const inputs = analysis.layers[to].inputIds;
  return inputs.length === 1 && inputs[0] === analysis.layers[from].layer.id;
}
