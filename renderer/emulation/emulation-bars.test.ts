import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EmulationTable } from '../../api/search-api.ts';
import { emulationBars } from './emulation-bars.ts';

test('one row per trace and overall, a column per method, accuracy in percent', () => {
  const table: EmulationTable = {
    traces: [
      { trace: 'bus', methods: [{ method: 'tree', inferences: 2, reward: 350, latencyMs: 40, accuracy: 0.9 }, { method: 'surgery', inferences: 2, reward: 330, latencyMs: 60, accuracy: 0.91 }] },
      { trace: 'car', methods: [{ method: 'tree', inferences: 2, reward: 360, latencyMs: 30, accuracy: 0.88 }] },
    ],
    overall: [{ method: 'tree', inferences: 4, reward: 355, latencyMs: 35, accuracy: 0.89 }, { method: 'surgery', inferences: 2, reward: 330, latencyMs: 60, accuracy: 0.91 }],
  };
  const lat = emulationBars(table, 'latencyMs');
  assert.deepEqual(lat.methods, ['tree', 'surgery']);
  assert.deepEqual(lat.rows, [{ trace: 'bus', tree: 40, surgery: 60 }, { trace: 'car', tree: 30 }, { trace: 'overall', tree: 35, surgery: 60 }]);
  assert.deepEqual(emulationBars(table, 'accuracy').rows[0], { trace: 'bus', tree: 90, surgery: 91 });
});
