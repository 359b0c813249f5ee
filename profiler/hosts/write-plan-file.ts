/** Writes a plan to a temporary JSON file for pushing to a device. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchPlan } from '../bench-plan.ts';

export async function writePlanFile(plan: BenchPlan): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'edgetree-plan-'));
  const path = join(dir, 'plan.json');
  await writeFile(path, JSON.stringify(plan));
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
