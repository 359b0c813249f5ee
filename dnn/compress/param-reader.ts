import type { TechniqueParamDoc, TechniqueParams } from './technique.ts';
import type { TargetLayer } from './target-layer.ts';

/** Reads a technique's named parameters, failing with the technique and layer named for unknown names and bad values. */
export class ParamReader {
  private readonly target: TargetLayer;
  private readonly params: TechniqueParams;

  constructor(target: TargetLayer, params: TechniqueParams, docs: readonly TechniqueParamDoc[]) {
    this.target = target;
    this.params = params;
    const known = docs.map((d) => d.name);
    for (const name of Object.keys(params)) {
      if (!known.includes(name)) target.fail(`unknown parameter "${name}" (known: ${known.join(', ') || 'none'})`);
    }
  }

  has(name: string): boolean {
    return this.params[name] !== undefined;
  }

  /** An integer in [min, max], or the fallback when not given. */
  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.params[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.target.fail(`parameter ${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
    }
    return value as number;
  }

  /** A number in the interval (low, high] or [low, high] as `lowOpen` says. */
  number(name: string, fallback: number, low: number, high: number, lowOpen: boolean, highOpen = false): number {
    const value = this.params[name] ?? fallback;
    const ok = typeof value === 'number' && Number.isFinite(value) && (lowOpen ? value > low : value >= low) && (highOpen ? value < high : value <= high);
    if (!ok) this.target.fail(`parameter ${name} must be in ${lowOpen ? '(' : '['}${low}, ${high}${highOpen ? ')' : ']'}, got ${String(value)}`);
    return value as number;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.params[name] ?? fallback;
    if (typeof value !== 'boolean') this.target.fail(`parameter ${name} must be true or false, got ${String(value)}`);
    return value as boolean;
  }
}
