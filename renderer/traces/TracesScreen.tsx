/** Traces: import a bandwidth trace, list the stored ones, chart the selected one. */
import { useCallback, useEffect, useState } from 'react';
import type { StudioApi, TraceDetail, TraceSummary } from '../../api/studio-api.ts';
import type { RunFn } from '../use-status.ts';
import { TraceImportForm } from './TraceImportForm.tsx';
import { TraceList } from './TraceList.tsx';
import { TraceChart } from './TraceChart.tsx';

export function TracesScreen({ api, run }: { api: StudioApi; run: RunFn }) {
  const [traces, setTraces] = useState<TraceSummary[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<TraceDetail | null>(null);

  const refresh = useCallback(async () => {
    const list = await run('Loading traces', () => api.listTraces({}));
    if (list) setTraces(list);
  }, [api, run]);

  useEffect(() => { void refresh(); }, [refresh]);

  useEffect(() => {
    if (selected === null) return;
    let stale = false;
    void run('Loading trace', () => api.showTrace({ id: selected })).then((d) => {
      if (!stale) setDetail(d ?? null);
    });
    return () => { stale = true; };
  }, [api, run, selected]);

  return (
    <section className="traces" aria-label="Traces">
      <TraceImportForm api={api} onImported={(t) => { void refresh(); setSelected(t.id); }} />
      <TraceList traces={traces} selected={selected} onSelect={setSelected} />
      {detail && selected === detail.id && <TraceChart trace={detail} />}
    </section>
  );
}
