import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { bestOfPasses, caseIdOfKey, passKey, planItems, planPasses } from './case-passes.ts';
import { makeBenchPlan } from './make-bench-plan.ts';
import { checkBenchPlan } from './parse-bench-plan.ts';
import { BenchPlanError } from './bench-plan-error.ts';

describe('passes over a bench plan', () => {
  const full = makeBenchPlan({ suite: 'quick' });
  const plan = { ...full, cases: full.cases.slice(0, 3) };
  const ids = plan.cases.map((c) => c.id);

  test('one pass by default; each later pass under its own key, even passes in reverse', () => {
    assert.equal(planPasses(plan), 1);
    assert.deepEqual(planItems(plan).map((i) => i.key), ids);
    assert.deepEqual(planItems({ ...plan, passes: 3 }).map((i) => i.key), [
      ...ids, ...[...ids].reverse().map((id) => `${id}#2`), ...ids.map((id) => `${id}#3`),
    ]);
    assert.equal(caseIdOfKey(passKey(ids[0], 2)), ids[0]);
    assert.equal(passKey(ids[0], 1), ids[0]);
  });

  test('each case keeps its lowest median, under its own id', () => {
    const m = (caseId: string, medianMs: number) => ({ caseId, medianMs, kind: 'conv' });
    assert.deepEqual(bestOfPasses([m('a', 2), m('b', 1), m('a#2', 1.5), m('b#2', 3)]), [m('a', 1.5), m('b', 1)]);
  });

  test('a plan file says its passes; a case id may not hold the pass mark', () => {
    assert.equal(checkBenchPlan({ ...plan, passes: 2 }, 'p.json').passes, 2);
    assert.throws(() => checkBenchPlan({ ...plan, passes: 0 }, 'p.json'), BenchPlanError);
    assert.throws(() => checkBenchPlan({ ...plan, cases: [{ ...plan.cases[0], id: 'x#2' }] }, 'p.json'), /has a '#'/);
  });
});
