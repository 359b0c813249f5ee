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
 * The fitted line over the group's MACC range, in MMACC and ms. A negative intercept
 * would cross zero: the line starts where it reaches 0 ms, as estimates never go below.
 */
export function fittedSegment(g: FitGroupDto): [{ x: number; y: number }, { x: number; y: number }] | null {
  if (g.residuals.length === 0) return null;
  const maccs = g.residuals.map((r) => r.macc);
  let lo = Math.min(...maccs);
  const hi = Math.max(...maccs);
  if (g.interceptMs < 0 && g.slopeMsPerMacc > 0) lo = Math.max(lo, -g.interceptMs / g.slopeMsPerMacc);
  if (lo >= hi) return null;
  const at = (macc: number) => ({ x: macc / 1e6, y: g.interceptMs + g.slopeMsPerMacc * macc });
  return [at(lo), at(hi)];
}
