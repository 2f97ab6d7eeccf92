/** A proportion with its 95% confidence interval. */
export interface Proportion {
  readonly successes: number;
  readonly trials: number;
  /** successes / trials, or NaN with no trials. */
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Wilson score interval for a binomial proportion at 95% (z = 1.96). Unlike the normal
 * approximation it stays inside [0, 1] and is sensible when the proportion is near 0 or 1, which
 * is where precision estimates usually sit.
 */
export function wilsonInterval(successes: number, trials: number, z = 1.959964): Proportion {
  if (trials === 0) return { successes, trials, value: Number.NaN, low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { successes, trials, value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
