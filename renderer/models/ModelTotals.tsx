/** The model's totals: MACC, parameters, layers, input, input bytes. */
import type { ModelDetail } from '../../api/studio-api.ts';
import { formatBytes, formatInt, formatMacc } from '../format.ts';

export function ModelTotals({ detail }: { detail: ModelDetail }) {
  return (
    <dl className="totals" data-testid="model-totals">
      <div><dt>Total MACC</dt><dd data-testid="total-macc" data-value={detail.macc}>{formatInt(detail.macc)}<small> ({formatMacc(detail.macc)})</small></dd></div>
      <div><dt>Parameters</dt><dd data-testid="total-params">{formatInt(detail.params)}</dd></div>
      <div><dt>Layers</dt><dd data-testid="layer-count">{detail.layers.length}</dd></div>
      <div><dt>Input</dt><dd>{detail.inputShape.join('×')} · {formatBytes(detail.cutBytes[0] ?? 0)}</dd></div>
    </dl>
  );
}
