// Optimistic concurrency: a write conditioned on what it read loses a race when another write got there
// first (another change to the ticket, or to the ticket counter); then it reads again and tries again.

/**
 * A burst of people writing on one ticket at once must not cost anyone a message: each lost race waits a
 * random time up to a ceiling that doubles (to `maxPauseMs`), so racers spread out instead of colliding
 * again — together at most a few seconds, well within a request's time.
 */
const maxAttempts = 16;
const firstPauseMs = 8;
const maxPauseMs = 250;

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(maxPauseMs, firstPauseMs * 2 ** attempt)));

/**
 * Runs `attempt` (0, 1, …) until it returns, pausing after each error `lostRace` recognizes; any other
 * error ends it. After `maxAttempts` lost races, throws what `exhausted` gives (a 503).
 */
export async function retryLostRaces<T>(
  options: { lostRace: (error: unknown) => boolean; exhausted: () => Error },
  attempt: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let n = 0; n < maxAttempts; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!options.lostRace(error)) throw error;
      await pause(n);
    }
  }
  throw options.exhausted();
}
