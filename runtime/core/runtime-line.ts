/**
 * What the runtime's hosts print (Node: one JSON line per event on stdout) or post (browser):
 * a start line, one timeline per inference, a summary. Pure, so the studio parses the
 * lines it streams back over SSH or ADB with the same types.
 */
import type { InferenceTimeline } from './inference-timeline.ts';

export interface RuntimeStartLine {
  type: 'start';
  model: string;
  backend: string;
  /** Where offloads go ('' when the model has no cloud). */
  cloud: string;
  levelsMbps: number[];
  nodes: number;
  images: number;
  count: number;
}

export interface RuntimeSummaryLine {
  type: 'summary';
  inferences: number;
  fallbacks: number;
  offloads: number;
  meanTotalMs: number;
  /** Mean decision overhead per block reached (probes excluded). */
  meanDecisionMsPerBlock: number;
  probes: number;
  meanProbeMs: number;
}

export type RuntimeLine = RuntimeStartLine | InferenceTimeline | RuntimeSummaryLine;

export function summariseTimelines(ts: readonly InferenceTimeline[]): RuntimeSummaryLine {
  const blocks = ts.flatMap((t) => t.blocks);
  const probed = blocks.filter((b) => b.probeMs > 0);
  const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);
  return {
    type: 'summary',
    inferences: ts.length,
    fallbacks: ts.filter((t) => t.fallback !== undefined).length,
    offloads: ts.filter((t) => t.cut !== null && t.fallback === undefined).length,
    meanTotalMs: mean(ts.map((t) => t.totalMs)),
    meanDecisionMsPerBlock: mean(blocks.map((b) => b.decisionMs)),
    probes: probed.length,
    meanProbeMs: mean(probed.map((b) => b.probeMs)),
  };
}

export class RuntimeLineError extends Error {
  constructor(problem: string) {
    super(`runtime output: ${problem}`);
    this.name = 'RuntimeLineError';
  }
}

/** The JSON lines of a host's stdout; blank lines skipped; a line that is not one of the three types is refused. */
export function parseRuntimeLines(text: string): RuntimeLine[] {
  return text.split('\n').filter((l) => l.trim().length > 0).map((l, i) => {
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch {
      throw new RuntimeLineError(`line ${i + 1} is not JSON: ${l.slice(0, 120)}`);
    }
    const type = (v as { type?: unknown }).type;
    if (type !== 'start' && type !== 'inference' && type !== 'summary') throw new RuntimeLineError(`line ${i + 1} has type ${JSON.stringify(type)}, not start, inference or summary`);
    return v as RuntimeLine;
  });
}
