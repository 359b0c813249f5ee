/**
 * The anchor models' timings over a calibration's passes, one per model: the mean of its
 * passes, total and per layer. The anchors set the level of every estimate and a validation
 * times each model once, so keeping the lower of two passes made the estimates low (−10% in
 * two calibrations under a 0.5 CPU quota, where passes differ most). A pass caught in a slow
 * stretch is timed again before it is stored (slow-stretch.ts). Pure.
 */

export interface StoredAnchorTiming {
  /** The model and pass, e.g. "vgg8#2". */
  key: string;
  model: string;
  totalMs: number;
  layerMs: number[];
}

const mean = (v: readonly number[]): number => v.reduce((x, y) => x + y, 0) / v.length;

export function anchorMeans(timings: readonly StoredAnchorTiming[]): { model: string; totalMs: number; layerMs: number[] }[] {
  const byModel = new Map<string, StoredAnchorTiming[]>();
  for (const t of timings) byModel.set(t.model, [...(byModel.get(t.model) ?? []), t]);
  return [...byModel.entries()].map(([model, passes]) => ({
    model,
    totalMs: mean(passes.map((t) => t.totalMs)),
    layerMs: passes[0].layerMs.map((_, i) => mean(passes.map((t) => t.layerMs[i] ?? 0))),
  }));
}
