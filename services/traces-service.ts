/** Traces: parse a file with the trace domain, store it with its statistics, serve it for charts. */
import type { Database } from 'better-sqlite3';
import type { TraceDetail, TraceFormat, TraceImportRequest, TraceSummary } from '../api/studio-api.ts';
import { parseTraceFile, type TraceParseOptions } from '../traces/formats/registry.ts';
import { traceStats } from '../traces/stats.ts';
import { downsampleTrace } from '../traces/downsample.ts';
import { getTrace, insertTrace, listTraces, type StoredTraceRow } from '../profiles/trace-repository.ts';

/** Most points a chart series carries. */
export const MAX_SERIES_POINTS = 2000;

export interface TracesService {
  importTrace(req: TraceImportRequest): TraceSummary;
  listTraces(): TraceSummary[];
  showTrace(id: string): TraceDetail;
}

export function createTracesService(db: Database): TracesService {
  return {
    importTrace(req) {
      const options: TraceParseOptions = {};
      if (req.format !== undefined) options.format = req.format;
      if (req.timeColumn !== undefined) options.timeColumn = req.timeColumn;
      if (req.rateColumn !== undefined) options.rateColumn = req.rateColumn;
      if (req.rateUnit !== undefined) options.rateUnit = req.rateUnit;
      // Parse and compute everything first; the one insert is the only write.
      const trace = parseTraceFile(req.fileName, req.content, options);
      const stats = traceStats(trace);
      const row = db.transaction(() => insertTrace(db, {
        name: trace.name, format: trace.format, sourceFile: req.fileName, stats, tS: trace.tS, mbps: trace.mbps,
        ...(trace.endS === undefined ? {} : { endS: trace.endS }),
      }))();
      return toSummary(row);
    },
    listTraces() {
      return listTraces(db).map(toSummary);
    },
    showTrace(id) {
      const stored = getTrace(db, id);
      const series = downsampleTrace(stored, MAX_SERIES_POINTS);
      return { ...toSummary(stored), series: { tS: series.tS, mbps: series.mbps } };
    },
  };
}

function toSummary(r: StoredTraceRow): TraceSummary {
  return {
    id: r.id, name: r.name, format: r.format as TraceFormat, samples: r.samples, durationS: r.durationS,
    meanMbps: r.meanMbps, p25Mbps: r.p25Mbps, p50Mbps: r.p50Mbps, p75Mbps: r.p75Mbps, importedAt: r.importedAt,
  };
}
