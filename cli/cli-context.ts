/** What every command gets: where to write, whether --json is on, and the services (opened on first use). */
import type { StudioServices } from '../services/studio-services.ts';

export interface CliContext {
  json: boolean;
  out(text: string): void;
  err(text: string): void;
  /** Opens the store under $EDGETREE_HOME the first time it is asked for. */
  services(): StudioServices;
}

/** Prints the one JSON document of a --json command. */
export function printJson(ctx: CliContext, value: unknown): void {
  ctx.out(JSON.stringify(value, null, 2) + '\n');
}
