/**
 * Parsers for the timing reports of native benchmark tools, one per tool, each
 * saying whether it recognises a text before parsing it:
 *   - TFLite `benchmark_model`: `count=50 first=... curr=... min=... max=... avg=... std=...`
 *     (microseconds; the last such line is the timed run) and the closing
 *     `Inference timings in us: Init: ..., First inference: ..., Warmup (avg): ..., Inference (avg): ...`;
 *   - TensorRT `trtexec`: the performance summary's `GPU Compute Time: min = X ms, max = X ms,
 *     mean = X ms, median = X ms, percentile(90%) = ...` (older releases omit some '='),
 *     or `Latency: min = ...` when there is no GPU compute line;
 *   - `onnxruntime_perf_test`: `Average inference time cost: X ms`, `Total inference requests: N`
 *     and `P50 Latency: X s` / `P50 Latency is X sec` and the like.
 * The median is the tool's own median (benchmark_model's `median=` when printed, trtexec's
 * `median`, perf_test's P50); a tool that prints none gives its average instead, and
 * `medianFrom` says which. Malformed or truncated text raises ToolOutputError.
 */

export type NativeTool = 'benchmark_model' | 'trtexec' | 'onnxruntime_perf_test';

export interface ToolTimings {
  tool: NativeTool;
  medianMs: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  /** Timed runs the tool reports, or null when it prints no count. */
  count: number | null;
  /** Where medianMs came from: the tool's median or P50, or its average when it prints no median. */
  medianFrom: 'median' | 'average';
}

/** Tool output that is not what the tool prints: names the tool, the source, the line and what was expected. */
export class ToolOutputError extends Error {
  readonly tool: NativeTool;
  readonly line: number;

  constructor(tool: NativeTool, source: string, line: number, expected: string) {
    super(`${tool} output from ${source}, line ${line}: expected ${expected}`);
    this.name = 'ToolOutputError';
    this.tool = tool;
    this.line = line;
  }
}

export interface ToolOutputParser {
  tool: NativeTool;
  recognises(text: string): boolean;
  /** `source` names where the text came from (a device and case, or a file) for errors. */
  parse(text: string, source: string): ToolTimings;
}

const NUM = String.raw`([-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)`;

function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

function finitePositive(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

export const benchmarkModelParser: ToolOutputParser = {
  tool: 'benchmark_model',
  recognises: (text) => /Inference timings in us:|^\s*count=\d+ first=/m.test(text),
  parse(text, source) {
    const all = lines(text);
    const fail = (line: number, expected: string): never => {
      throw new ToolOutputError('benchmark_model', source, line, expected);
    };
    const summaryAt = all.findIndex((l) => l.includes('Inference timings in us:'));
    if (summaryAt < 0) {
      fail(all.length, "a closing line 'Inference timings in us: Init: N, First inference: N, Warmup (avg): N, Inference (avg): N' (the run stopped early?)");
    }
    const avgMatch = new RegExp(`Inference \\(avg\\): ${NUM}`).exec(all[summaryAt]);
    if (avgMatch === null) fail(summaryAt + 1, `'Inference (avg): N' in '${all[summaryAt].trim()}'`);
    const inferenceAvgUs = Number(avgMatch![1]);
    // The timed run's statistics: the last count= line before the summary.
    let statsAt = -1;
    for (let i = summaryAt - 1; i >= 0; i--) {
      if (/^\s*count=/.test(all[i])) {
        statsAt = i;
        break;
      }
    }
    if (statsAt < 0) fail(summaryAt + 1, "a 'count=N first=N curr=N min=N max=N avg=N std=N' line before the summary");
    const fields = new Map<string, number>();
    for (const m of all[statsAt].matchAll(new RegExp(`(\\w+)=${NUM}`, 'g'))) fields.set(m[1], Number(m[2]));
    for (const key of ['count', 'min', 'max', 'avg']) {
      if (!fields.has(key) || !finitePositive(fields.get(key)!)) fail(statsAt + 1, `a non-negative '${key}=N' in '${all[statsAt].trim()}'`);
    }
    const median = fields.get('median');
    const avg = fields.get('avg')!;
    if (Math.abs(avg - inferenceAvgUs) > Math.max(1, 1e-3 * avg)) {
      fail(summaryAt + 1, `'Inference (avg): ${inferenceAvgUs}' to equal the timed run's avg=${avg} on line ${statsAt + 1}`);
    }
    return {
      tool: 'benchmark_model',
      medianMs: (median ?? avg) / 1000,
      meanMs: avg / 1000,
      minMs: fields.get('min')! / 1000,
      maxMs: fields.get('max')! / 1000,
      count: fields.get('count')!,
      medianFrom: median === undefined ? 'average' : 'median',
    };
  },
};

/** `min = 1.2 ms`, `max 1.3 ms` (no '=' in older trtexec), `percentile(99%) 1.4 ms`. */
function trtexecStat(line: string, name: string): number | undefined {
  const m = new RegExp(`\\b${name}\\s*=?\\s*${NUM}\\s*ms`).exec(line);
  return m === null ? undefined : Number(m[1]);
}

export const trtexecParser: ToolOutputParser = {
  tool: 'trtexec',
  recognises: (text) => /(GPU Compute Time|Latency): min\s*=/.test(text) || /=== Performance summary ===/.test(text),
  parse(text, source) {
    const all = lines(text);
    const fail = (line: number, expected: string): never => {
      throw new ToolOutputError('trtexec', source, line, expected);
    };
    let at = all.findIndex((l) => /GPU Compute Time: min/.test(l));
    if (at < 0) at = all.findIndex((l) => /\bLatency: min/.test(l) && !/H2D|D2H/.test(l));
    if (at < 0) return fail(all.length, "a performance summary line 'GPU Compute Time: min = X ms, max = X ms, mean = X ms, median = X ms, ...' or 'Latency: min = ...' (the run stopped early?)");
    const line = all[at];
    const stats: Record<string, number> = {};
    for (const name of ['min', 'max', 'mean', 'median']) {
      const v = trtexecStat(line, name);
      if (v === undefined || !finitePositive(v)) return fail(at + 1, `'${name} = X ms' in '${line.trim()}'`);
      stats[name] = v;
    }
    // trtexec prints no run count; the total compute time over the mean gives it.
    const total = all.map((l) => new RegExp(`Total GPU Compute Time: ${NUM} s`).exec(l)).find((m) => m !== null);
    const count = total != null && stats.mean > 0 ? Math.round((Number(total[1]) * 1000) / stats.mean) : null;
    return { tool: 'trtexec', medianMs: stats.median, meanMs: stats.mean, minMs: stats.min, maxMs: stats.max, count, medianFrom: 'median' };
  },
};

/** `P50 Latency: 0.0012 s`, `P50 Latency is 0.0012 sec`: in seconds. */
function ortLatency(all: string[], name: string): { value: number; line: number } | undefined {
  const re = new RegExp(`^\\s*${name} Latency(?: is|:)\\s*${NUM}\\s*(s|sec)\\b`);
  for (let i = 0; i < all.length; i++) {
    const m = re.exec(all[i]);
    if (m !== null) return { value: Number(m[1]) * 1000, line: i + 1 };
  }
  return undefined;
}

export const ortPerfTestParser: ToolOutputParser = {
  tool: 'onnxruntime_perf_test',
  recognises: (text) => /Average inference time cost|Total inference requests|P50 Latency/.test(text),
  parse(text, source) {
    const all = lines(text);
    const fail = (line: number, expected: string): never => {
      throw new ToolOutputError('onnxruntime_perf_test', source, line, expected);
    };
    const avgAt = all.findIndex((l) => /Average (inference )?time cost/.test(l));
    if (avgAt < 0) return fail(all.length, "a line 'Average inference time cost: X ms' (the run stopped early?)");
    const avg = new RegExp(`time cost:\\s*${NUM}\\s*ms`).exec(all[avgAt]);
    if (avg === null || !finitePositive(Number(avg[1]))) return fail(avgAt + 1, `'Average inference time cost: X ms' with a non-negative X, got '${all[avgAt].trim()}'`);
    const meanMs = Number(avg[1]);
    const requests = all.map((l) => /Total (?:inference requests|iterations):\s*(\d+)/.exec(l)).find((m) => m !== null);
    const p50 = ortLatency(all, 'P50');
    const min = ortLatency(all, 'Min');
    const max = ortLatency(all, 'Max');
    // Percentile lines come as a block: one without the others means a cut-off report.
    if ((p50 !== undefined || min !== undefined || max !== undefined) && (p50 === undefined || min === undefined || max === undefined)) {
      return fail(Math.max(p50?.line ?? 0, min?.line ?? 0, max?.line ?? 0) + 1, "all of 'Min Latency', 'Max Latency' and 'P50 Latency' in seconds (the report is cut off?)");
    }
    return {
      tool: 'onnxruntime_perf_test',
      medianMs: p50?.value ?? meanMs,
      meanMs,
      minMs: min?.value ?? meanMs,
      maxMs: max?.value ?? meanMs,
      count: requests != null ? Number(requests[1]) : null,
      medianFrom: p50 === undefined ? 'average' : 'median',
    };
  },
};

export const TOOL_OUTPUT_PARSERS: readonly ToolOutputParser[] = [benchmarkModelParser, trtexecParser, ortPerfTestParser];

/** The parser that recognises the text, or undefined. */
export function recogniseToolOutput(text: string): ToolOutputParser | undefined {
  return TOOL_OUTPUT_PARSERS.find((p) => p.recognises(text));
}

export function parserFor(tool: NativeTool): ToolOutputParser {
  return TOOL_OUTPUT_PARSERS.find((p) => p.tool === tool)!;
}
