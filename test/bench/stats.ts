/** Order statistics of a bench's per-round figures: the verdict reads the median, the spread is the IQR. */
export interface Spread {
  median: number;
  q1: number;
  q3: number;
  rounds: number;
}

/** The value at quantile `q` (0-1), linearly interpolated between ranks. */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export function spread(xs: readonly number[]): Spread {
  return { median: quantile(xs, 0.5), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75), rounds: xs.length };
}

/** `0.991 (IQR 0.975-1.004, 8 rounds)` */
export function describe(s: Spread, digits = 3): string {
  return `${s.median.toFixed(digits)} (IQR ${s.q1.toFixed(digits)}-${s.q3.toFixed(digits)}, ${s.rounds} rounds)`;
}
