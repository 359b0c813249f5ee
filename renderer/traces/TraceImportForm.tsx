/** Import a trace file: format (auto-detected or given) and, for CSV, the columns and unit. */
import { useState } from 'react';
import type { RateUnit, StudioApi, TraceFormat, TraceImportRequest, TraceSummary } from '../../api/studio-api.ts';
import { describeError } from '../use-status.ts';

type FormatChoice = 'auto' | TraceFormat;

export function TraceImportForm({ api, onImported }: { api: StudioApi; onImported: (t: TraceSummary) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<FormatChoice>('auto');
  const [timeColumn, setTimeColumn] = useState('');
  const [rateColumn, setRateColumn] = useState('');
  const [rateUnit, setRateUnit] = useState<RateUnit>('Mbps');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async () => {
    if (file === null) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const req: TraceImportRequest = { fileName: file.name, content: await file.text() };
      if (format !== 'auto') req.format = format;
      if (format === 'csv' || format === 'auto') {
        if (timeColumn.trim() !== '') req.timeColumn = timeColumn.trim();
        if (rateColumn.trim() !== '') req.rateColumn = rateColumn.trim();
        if (format === 'csv') req.rateUnit = rateUnit;
      }
      const t = await api.importTrace(req);
      setDone(`Imported ${t.name}: ${t.samples} samples`);
      onImported(t);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="trace-import" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h2>Import a trace</h2>
      <div className="row">
        <label>File <input type="file" data-testid="trace-file" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setError(null); setDone(null); }} /></label>
        <label>
          Format
          <select data-testid="trace-format" value={format} onChange={(e) => setFormat(e.target.value as FormatChoice)}>
            <option value="auto">auto-detect</option>
            <option value="mahimahi">mahimahi (packet timestamps)</option>
            <option value="time-mbps">time_s Mbit/s</option>
            <option value="csv">CSV / TSV</option>
          </select>
        </label>
        {format === 'csv' && (
          <>
            <label>Time column <input type="text" placeholder="name or number" value={timeColumn} onChange={(e) => setTimeColumn(e.target.value)} /></label>
            <label>Rate column <input type="text" placeholder="name or number" value={rateColumn} onChange={(e) => setRateColumn(e.target.value)} /></label>
            <label>
              Unit
              <select value={rateUnit} onChange={(e) => setRateUnit(e.target.value as RateUnit)}>
                <option value="bps">bit/s</option><option value="Bps">byte/s</option><option value="kbps">kbit/s</option><option value="Mbps">Mbit/s</option>
              </select>
            </label>
          </>
        )}
        <button type="submit" data-testid="trace-import" disabled={file === null || busy}>{busy ? 'Importing…' : 'Import'}</button>
      </div>
      {busy && <div className="progress active" role="progressbar" aria-label="import progress" />}
      {error !== null && <p className="form-error" role="alert" data-testid="trace-error">{error}</p>}
      {done !== null && <p className="form-ok" data-testid="trace-ok">{done}</p>}
    </form>
  );
}
