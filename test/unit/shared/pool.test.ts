import { describe, expect, it } from 'vitest';
import { mapLimited } from '../../../shared/pool.js';

describe('mapLimited', () => {
  it('gives each result in the place of its item, whatever order the calls finish in, with at most `limit` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimited([5, 1, 4, 2, 3, 0], 3, async (delay, index) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      // Later items finish first: a pool that kept finishing order would scramble the results.
      for (let tick = 0; tick < delay; tick++) await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return `${index}:${delay}`;
    });

    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0']);
    expect(most).toBe(3);
  });

  it('makes no call for no items', async () => {
    expect(await mapLimited([], 4, async () => 'never')).toEqual([]);
  });
});
