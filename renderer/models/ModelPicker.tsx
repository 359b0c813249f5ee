/** Model and data set selectors. */
import type { DatasetName, ModelSummary } from '../../api/studio-api.ts';

const DATASET_LABELS: Record<DatasetName, string> = { cifar10: 'CIFAR-10 (32×32×3)', 'fashion-mnist': 'Fashion-MNIST (32×32×1)' };

export function ModelPicker(props: {
  models: ModelSummary[];
  name: string | null;
  dataset: DatasetName;
  onName: (name: string) => void;
  onDataset: (dataset: DatasetName) => void;
}) {
  return (
    <div className="picker">
      <label>
        Model
        <select data-testid="model-select" value={props.name ?? ''} onChange={(e) => props.onName(e.target.value)}>
          {props.models.map((m) => (
            <option key={m.name} value={m.name}>{m.name}{m.source === 'imported' ? ` (imported${m.format ? `, ${m.format}` : ''})` : ''}</option>
          ))}
        </select>
      </label>
      <label>
        Data set
        <select data-testid="dataset-select" value={props.dataset} onChange={(e) => props.onDataset(e.target.value as DatasetName)}>
          {(Object.keys(DATASET_LABELS) as DatasetName[]).map((d) => <option key={d} value={d}>{DATASET_LABELS[d]}</option>)}
        </select>
      </label>
    </div>
  );
}
