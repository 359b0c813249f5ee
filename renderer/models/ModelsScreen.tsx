/** Models: pick a model and a data set; layer table, totals, MACC and cut-size charts; for a trained model its accuracy and compression sweep. */
import { useCallback, useEffect, useState } from 'react';
import type { DatasetName, ModelDetail, ModelSummary, StudioApi } from '../../api/studio-api.ts';
import type { RunFn } from '../use-status.ts';
import { ModelPicker } from './ModelPicker.tsx';
import { ModelImportButton } from './ModelImportButton.tsx';
import { ModelTotals } from './ModelTotals.tsx';
import { MaccChart } from './MaccChart.tsx';
import { CutBytesChart } from './CutBytesChart.tsx';
import { LayerTable } from './LayerTable.tsx';
import { AccuracyPanel } from './AccuracyPanel.tsx';
import { SEARCH_MODELS } from '../../api/search-api.ts';
import type { SearchModelName } from '../../api/search-api.ts';

/** The models that can have trained weights (the accuracy view is theirs). */
const trainable = (name: string | null): name is SearchModelName => (SEARCH_MODELS as readonly (string | null)[]).includes(name);

export function ModelsScreen({ api, run }: { api: StudioApi; run: RunFn }) {
  const [models, setModels] = useState<ModelSummary[]>([]);
  const [name, setName] = useState<string | null>(null);
  const [dataset, setDataset] = useState<DatasetName>('cifar10');
  const [detail, setDetail] = useState<ModelDetail | null>(null);

  const refresh = useCallback(async (select?: string) => {
    const list = await run('Loading models', () => api.listModels({}));
    if (!list) return;
    setModels(list);
    setName((current) => select ?? current ?? list.find((m) => m.name === 'vgg11')?.name ?? list[0]?.name ?? null);
  }, [api, run]);

  useEffect(() => { void refresh(); }, [refresh]);

  useEffect(() => {
    if (name === null) return;
    let stale = false;
    void run(`Analysing ${name} on ${dataset}`, () => api.showModel({ name, dataset })).then((d) => {
      if (!stale) setDetail(d ?? null);
    });
    return () => { stale = true; };
  }, [api, run, name, dataset]);

  return (
    <section className="models" aria-label="Models">
      <div className="toolbar">
        <ModelPicker models={models} name={name} dataset={dataset} onName={setName} onDataset={setDataset} />
        <ModelImportButton api={api} run={run} onImported={(m) => void refresh(m.name)} />
      </div>
      {detail && (
        <>
          <ModelTotals detail={detail} />
          <div className="charts">
            <MaccChart layers={detail.layers} />
            <CutBytesChart cutBytes={detail.cutBytes} layers={detail.layers} />
          </div>
          <LayerTable layers={detail.layers} />
          {trainable(name) && detail.name === name && detail.dataset === dataset && (
            <AccuracyPanel api={api} run={run} model={name} dataset={dataset} layers={detail.layers} />
          )}
        </>
      )}
    </section>
  );
}
