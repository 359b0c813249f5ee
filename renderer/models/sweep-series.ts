/** A sweep's rows as chart series: one per technique (Table II order), a point per layer in MMACC saved and points of accuracy lost. */
import type { SweepRow } from '../../api/accuracy-api.ts';
import { TECHNIQUE_IDS } from '../../dnn/compress/technique.ts';
import type { TechniqueId } from '../../dnn/compress/technique.ts';

export const TECHNIQUE_NAMES: Record<TechniqueId, string> = {
  F1: 'SVD', F2: 'KSVD', F3: 'global avg. pooling', C1: 'MobileNet', C2: 'MobileNetV2', C3: 'SqueezeNet Fire', W1: 'filter pruning',
};

/** One fixed colour per technique, so a technique keeps its colour whatever the sweep holds. */
export const TECHNIQUE_COLOURS: Record<TechniqueId, string> = {
  F1: '#3b6fd4', F2: '#8e44ad', F3: '#16a085', C1: '#e67e22', C2: '#c0392b', C3: '#d4ac0d', W1: '#1e8449',
};

export interface SweepPoint {
  /** MACC saved, millions. */
  x: number;
  /** Accuracy lost, percentage points. */
  y: number;
  row: SweepRow;
}

export interface SweepSeries {
  technique: TechniqueId;
  name: string;
  colour: string;
  points: SweepPoint[];
}

export function sweepSeries(rows: readonly SweepRow[]): SweepSeries[] {
  return TECHNIQUE_IDS.map((t) => ({
    technique: t,
    name: `${t} ${TECHNIQUE_NAMES[t]}`,
    colour: TECHNIQUE_COLOURS[t],
    points: rows.filter((r) => r.technique === t).sort((a, b) => a.layerIndex - b.layerIndex)
      .map((row) => ({ x: row.maccSaved / 1e6, y: 100 * row.accuracyLost, row })),
  })).filter((s) => s.points.length > 0);
}
