/**
 * Counts of one kind of sample (the names of one symbol kind in one language, the files of one
 * folder, the test files of one language family) by the values they show. A sample may fit
 * several values at once (`user` is camelCase and snake_case alike): it adds to the count of every
 * value it fits, and to the distinctive count of the value it actually shows.
 */
export class Tally {
  total = 0;
  private readonly fits = new Map<string, number>();
  private readonly distinct = new Map<string, number>();

  /** Adds (`sign` 1) or removes (`sign` -1) one sample showing `value` and fitting `fitting`. */
  add(value: string, fitting: readonly string[], sign: 1 | -1): void {
    this.total += sign;
    bump(this.distinct, value, sign);
    for (const fit of fitting) bump(this.fits, fit, sign);
  }

  /** Samples fitting `value`. */
  fitting(value: string): number {
    return this.fits.get(value) ?? 0;
  }

  /** Samples showing exactly `value`. */
  showing(value: string): number {
    return this.distinct.get(value) ?? 0;
  }

  /** The values some sample fits. */
  values(): string[] {
    return [...this.fits.keys()];
  }
}

function bump(counts: Map<string, number>, key: string, sign: number): void {
  const next = (counts.get(key) ?? 0) + sign;
  if (next === 0) counts.delete(key);
  else counts.set(key, next);
}

/** What a rule needs to hold. */
export interface RuleThresholds {
  /** Least share of samples that must fit the expected value. */
  readonly minShare: number;
  /** Least number of samples. */
  readonly minSamples: number;
  /** Least number of samples that show the expected value itself rather than merely fitting it. */
  readonly minDistinct: number;
}

/** The rule a tally supports, if any: the value most samples fit (ties: more samples showing it, then `order`). */
export function strongestRule(
  tally: Tally,
  candidates: readonly string[],
  thresholds: RuleThresholds,
): { expected: string; count: number } | undefined {
  if (tally.total < thresholds.minSamples) return undefined;
  let best: string | undefined;
  for (const value of candidates) {
    if (best === undefined) best = value;
    else {
      const byFit = tally.fitting(value) - tally.fitting(best);
      if (byFit > 0 || (byFit === 0 && tally.showing(value) > tally.showing(best))) best = value;
    }
  }
  if (best === undefined) return undefined;
  const count = tally.fitting(best);
  if (count / tally.total < thresholds.minShare || tally.showing(best) < thresholds.minDistinct) return undefined;
  return { expected: best, count };
}
