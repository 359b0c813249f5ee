/** Test helper: a throw-away studio home with an open store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openStore } from '../profiles/open-store.ts';

export interface TestHome {
  home: string;
  db: Database;
  dispose(): void;
}

export function createTestHome(): TestHome {
  const home = mkdtempSync(join(tmpdir(), 'edgetree-svc-'));
  const db = openStore(home);
  return {
    home,
    db,
    dispose() {
      if (db.open) db.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
