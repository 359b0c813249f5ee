import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { FitGroupDto } from '../../api/calibration-api.ts';
import { fittedLine, groupLabel, logTicks } from './fit-groups.ts';

// conv k3: 0.1 ms per MMACC, -0.05 ms at 0 MACC, so the line reaches 0 ms at 0.5 MMACC.
const group: FitGroupDto = {
  layerType: 'conv', kernel: 3, points: 2, r2: 0.99, mapePct: 3, rmseMs: 0.01, slopeMsPerMacc: 1e-7, interceptMs: -0.05,
  residuals: [
    { caseId: 'a', macc: 1e5, measuredMs: 0.01, fittedMs: -0.04 },
    { caseId: 'b', macc: 2e6, measuredMs: 0.16, fittedMs: 0.15 },
  ],
};

describe('fit groups for the calibration chart', () => {
  test('labels name the type and the kernel, FC has none', () => {
    assert.equal(groupLabel(group), 'conv k3');
    assert.equal(groupLabel({ layerType: 'fc', kernel: null }), 'fc');
  });

  test('linear axes: the line starts where it reaches 0 ms and ends at the largest case', () => {
    const line = fittedLine(group, false);
    assert.equal(line.length, 2);
    assert.ok(Math.abs(line[0].x - 0.5) < 1e-12 && Math.abs(line[0].y) < 1e-12, JSON.stringify(line[0]));
    assert.ok(Math.abs(line[1].x - 2) < 1e-12 && Math.abs(line[1].y - 0.15) < 1e-12, JSON.stringify(line[1]));
  });

  test('log axes: log-spaced points, none at 0 ms', () => {
    // 0.5, 1 and 2 MMACC: 0, 0.05 and 0.15 ms; 0 ms cannot be drawn on a log axis.
    const line = fittedLine(group, true, 3);
    assert.equal(line.length, 2);
    assert.ok(Math.abs(line[0].x - 1) < 1e-9 && Math.abs(line[0].y - 0.05) < 1e-9, JSON.stringify(line[0]));
    assert.ok(Math.abs(line[1].x - 2) < 1e-9 && Math.abs(line[1].y - 0.15) < 1e-9, JSON.stringify(line[1]));
  });

  test('a group measured at one size has no line', () => {
    assert.deepEqual(fittedLine({ ...group, residuals: [group.residuals[1], group.residuals[1]] }, false), []);
  });

  test('log ticks at 1-2-5 steps, ending on a tick at both sides', () => {
    assert.deepEqual(logTicks(0.028, 0.17), [0.02, 0.05, 0.1, 0.2]);
    assert.deepEqual(logTicks(0.001, 1), [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    assert.deepEqual(logTicks(0, 1), []);
  });
});
