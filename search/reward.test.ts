import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PAPER_REWARD, RewardOptionsError, reward } from './reward.ts';

const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

describe('reward (Eq. 7)', () => {
  test('the paper\'s corners: 400 at A = 100%, T = 0; 0 at A = 50%, T = 500 ms', () => {
    close(reward(1, 0), 400);
    close(reward(0.5, 500), 0);
    close(reward(1, 500), 100);
    close(reward(0.5, 0), 300);
  });

  test('a middle point: A = 90%, T = 200 ms', () => {
    // 100 * (0.9 - 0.5) / 0.5 + 300 * (500 - 200) / 500 = 80 + 180 = 260.
    close(reward(0.9, 200), 260);
  });

  test('unclamped like the paper below the bounds; clamped on request', () => {
    // A = 40%, T = 600 ms: 100 * (-0.1 / 0.5) + 300 * (-100 / 500) = -20 - 60 = -80.
    close(reward(0.4, 600), -80);
    close(reward(0.4, 600, { ...PAPER_REWARD, clamp: true }), 0);
    // Clamping changes nothing inside the bounds.
    close(reward(0.9, 200, { ...PAPER_REWARD, clamp: true }), 260);
  });

  test('configurable bounds and weights', () => {
    const o = { accuracyMin: 0.8, accuracyMax: 0.95, accuracyWeight: 50, latencyMinMs: 20, latencyMaxMs: 120, latencyWeight: 50, clamp: false };
    // 50 * (0.92 - 0.8) / 0.15 + 50 * (120 - 45) / 100 = 50 * 0.8 + 50 * 0.75 = 40 + 37.5 = 77.5.
    close(reward(0.92, 45, o), 77.5);
  });

  test('bad options and inputs are refused with what is wrong', () => {
    assert.throws(() => reward(0.9, 100, { ...PAPER_REWARD, accuracyMin: 1 }), RewardOptionsError);
    assert.throws(() => reward(0.9, 100, { ...PAPER_REWARD, latencyMaxMs: 0 }), /latencyMinMs 0 must be below latencyMaxMs 0/);
    assert.throws(() => reward(0.9, 100, { ...PAPER_REWARD, latencyWeight: -1 }), /latencyWeight must be >= 0, got -1/);
    assert.throws(() => reward(90, 100), /accuracy must be a fraction within \[0, 1\], got 90/);
    assert.throws(() => reward(0.9, Number.NaN), /latency must be a finite number/);
  });
});
