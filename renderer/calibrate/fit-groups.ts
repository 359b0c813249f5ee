/** Labels, colours and drawable line ends for the fit groups of a profile. */
import type { FitGroupDto } from '../../api/calibration-api.ts';

export const GROUP_COLOURS = ['#3b6fd4', '#e67e22', '#1e8449', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d', '#d4ac0d'];

export function groupLabel(g: Pick<FitGroupDto, 'layerType' | 'kernel'>): string {
  return g.kernel === null ? g.layerType : `${g.layerType} k${g.kernel}`;
}

export function groupColour(index: number): string {
  return GROUP_COLOURS[index % GROUP_COLOURS.length];
}

/**
 * Points of the fitted line over the group's MACC range, in MMACC and ms: its ends for
 * linear axes, `steps` log-spaced ones for log axes (where the line curves). A negative
 * intercept would cross zero: the line starts at 0 ms there, as estimates never go below.
 * A line with weight or patch terms is drawn at its points' median of each per MACC: points
 * with more (small maps and many channels; few output channels) lie above it, as their estimates do.
 */
export function fittedLine(g: FitGroupDto, log: boolean, steps = 24): { x: number; y: number }[] {
  const maccs = g.residuals.map((r) => r.macc).filter((m) => m > 0);
  if (maccs.length === 0) return [];
  let lo = Math.min(...maccs);
  const hi = Math.max(...maccs);
  const slope = g.slopeMsPerMacc + (g.slopeMsPerWeight ?? 0) * medianPerMacc(g, 'weights') + (g.slopeMsPerPatch ?? 0) * medianPerMacc(g, 'patches');
  if (g.interceptMs < 0 && slope > 0) lo = Math.max(lo, -g.interceptMs / slope);
  if (lo >= hi) return [];
  const xs = log ? Array.from({ length: steps }, (_, i) => lo * (hi / lo) ** (i / (steps - 1))) : [lo, hi];
  // On log axes the line dives toward 0 ms near a zero crossing: keep it near the points.
  const floor = log ? 0.5 * Math.min(...g.residuals.filter((r) => r.measuredMs > 0).map((r) => r.measuredMs)) : 0;
  return xs
    .map((macc) => ({ x: macc / 1e6, y: Math.max(0, g.interceptMs + slope * macc) }))
    .filter((p) => !log || p.y >= floor);
}

function medianPerMacc(g: FitGroupDto, term: 'weights' | 'patches'): number {
  const ratios = g.residuals.filter((r) => r.macc > 0 && r[term] !== undefined).map((r) => (r[term] ?? 0) / r.macc).sort((a, b) => a - b);
  if (ratios.length === 0) return 0;
  const m = ratios.length >> 1;
  return ratios.length % 2 === 1 ? ratios[m] : (ratios[m - 1] + ratios[m]) / 2;
}

/**
 * Ticks at 1, 2 and 5 times the powers of ten for a log axis over [min, max]: those inside,
 * plus the nearest one below min and above max so that the axis ends on a labelled tick.
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max >= min)) return [];
  const all: number[] = [];
  for (let e = Math.floor(Math.log10(min)) - 1; e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) all.push(Number((m * 10 ** e).toPrecision(1)));
  }
  const lo = all.filter((t) => t <= min).at(-1) ?? all[0];
  const hi = all.find((t) => t >= max) ?? all[all.length - 1];
  return all.filter((t) => t >= lo && t <= hi);
}
