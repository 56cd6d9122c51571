// Summaries of repeated measurements. Every figure the bench prints is a median and a 95th percentile
// over repeated runs: one run on a shared laptop says little, the median of many says what is typical
// and the p95 what a user meets on a bad day.

export interface Summary {
  runs: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile (no interpolation): always a value that was actually measured. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

/** `ours / baseline` of the medians, e.g. 1.18 (× the baseline). */
export function ratio(ours: Summary, baseline: Summary): number {
  return ours.median / baseline.median;
}

/** Runs `task` `runs` times one after the other and returns each duration in milliseconds. */
export async function timeRuns(runs: number, task: (run: number) => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await task(run);
    durations.push(performance.now() - started);
  }
  return durations;
}
