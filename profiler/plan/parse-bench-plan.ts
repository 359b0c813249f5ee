/**
 * Reads a bench plan from JSON (a file pushed to a device, a browser download) and checks
 * it before anything is timed: a bad plan fails at once with the field that is wrong.
 */
import { BENCH_KINDS as KINDS, type BenchCase, type BenchKind, type BenchPlan } from '../bench-plan.ts';
import { analyzeModel } from '../../dnn/spec/analyze.ts';
import { BenchPlanError } from './bench-plan-error.ts';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function count(where: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new BenchPlanError(`${where}: ${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

/** `source` names where the plan came from (a file path) for the messages. */
export function parseBenchPlan(text: string, source: string): BenchPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BenchPlanError(`${source}: not JSON (${(e as Error).message})`);
  }
  return checkBenchPlan(raw, source);
}

export function checkBenchPlan(raw: unknown, source: string): BenchPlan {
  if (!isRecord(raw)) throw new BenchPlanError(`${source}: a bench plan must be a JSON object`);
  if (raw.formatVersion !== 1) throw new BenchPlanError(`${source}: formatVersion must be 1, got ${JSON.stringify(raw.formatVersion)}`);
  if (raw.suite !== 'quick' && raw.suite !== 'full') throw new BenchPlanError(`${source}: suite must be "quick" or "full", got ${JSON.stringify(raw.suite)}`);
  const warmup = count(source, 'warmup', raw.warmup, 0);
  const repeats = count(source, 'repeats', raw.repeats, 1);
  const warmupMs = raw.warmupMs === undefined ? undefined : count(source, 'warmupMs', raw.warmupMs, 0);
  const timedMs = raw.timedMs === undefined ? undefined : count(source, 'timedMs', raw.timedMs, 0);
  const batchMs = raw.batchMs === undefined ? undefined : count(source, 'batchMs', raw.batchMs, 0);
  const flushBytes = raw.flushBytes === undefined ? undefined : count(source, 'flushBytes', raw.flushBytes, 0);
  const passes = raw.passes === undefined ? undefined : count(source, 'passes', raw.passes, 1);
  if (!Array.isArray(raw.cases) || raw.cases.length === 0) throw new BenchPlanError(`${source}: cases must be a non-empty list`);
  const ids = new Set<string>();
  const cases = raw.cases.map((c: unknown, i: number): BenchCase => {
    const where = `${source}: cases[${i}]`;
    if (!isRecord(c)) throw new BenchPlanError(`${where} is not an object`);
    if (typeof c.id !== 'string' || c.id.length === 0) throw new BenchPlanError(`${where}: id must be a non-empty string`);
    if (c.id.includes('#')) throw new BenchPlanError(`${where}: id "${c.id}" has a '#' (it marks a case's later passes)`);
    if (ids.has(c.id)) throw new BenchPlanError(`${where}: id "${c.id}" appears twice`);
    ids.add(c.id);
    if (!KINDS.includes(c.kind as BenchKind)) throw new BenchPlanError(`${where} ("${c.id}"): kind ${JSON.stringify(c.kind)} is not one of ${KINDS.join(', ')}`);
    if (c.kernel !== null && (typeof c.kernel !== 'number' || !Number.isInteger(c.kernel) || c.kernel < 1)) {
      throw new BenchPlanError(`${where} ("${c.id}"): kernel must be a positive integer or null, got ${JSON.stringify(c.kernel)}`);
    }
    if (!isRecord(c.spec)) throw new BenchPlanError(`${where} ("${c.id}"): spec is missing`);
    let macc: number;
    try {
      macc = analyzeModel(c.spec as unknown as BenchCase['spec']).macc;
    } catch (e) {
      throw new BenchPlanError(`${where} ("${c.id}"): ${(e as Error).message}`);
    }
    if (c.macc !== macc) throw new BenchPlanError(`${where} ("${c.id}"): macc ${JSON.stringify(c.macc)} does not match its layer (${macc})`);
    const out: BenchCase = { id: c.id, kind: c.kind as BenchKind, kernel: c.kernel as number | null, macc, spec: c.spec as unknown as BenchCase['spec'] };
    if (c.flushBytes !== undefined) out.flushBytes = count(`${where} ("${c.id}")`, 'flushBytes', c.flushBytes, 0);
    return out;
  });
  const plan: BenchPlan = { formatVersion: 1, suite: raw.suite, warmup, repeats, cases };
  if (warmupMs !== undefined) plan.warmupMs = warmupMs;
  if (timedMs !== undefined) plan.timedMs = timedMs;
  if (batchMs !== undefined) plan.batchMs = batchMs;
  if (flushBytes !== undefined) plan.flushBytes = flushBytes;
  if (passes !== undefined) plan.passes = passes;
  return plan;
}
