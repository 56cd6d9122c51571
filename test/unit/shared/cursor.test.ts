import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../../shared/cursor.js';

beforeAll(() => {
  process.env.JWT_SECRET = 'unit-test-jwt-secret-0123456789-abcdef';
});

const Position = z.strictObject({ p: z.string() });

describe('page cursors', () => {
  it('carry a position back to the query that issued them', async () => {
    const cursor = await encodeCursor({ p: '01J00000000000000000000000' }, 'tickets\nU1');
    expect(await decodeCursor(cursor, 'tickets\nU1', Position)).toEqual({ p: '01J00000000000000000000000' });
  });

  it("are refused (400) for another person's or another query's list", async () => {
    const cursor = await encodeCursor({ p: 'X' }, 'tickets\nU1');
    await expect(decodeCursor(cursor, 'tickets\nU2', Position)).rejects.toMatchObject({
      status: 400,
      code: 'validation_failed',
    });
  });

  it('are refused (400) when edited, made up, truncated or garbage', async () => {
    const cursor = await encodeCursor({ p: 'A' }, 'c');
    const [, mac] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ p: 'B' })).toString('base64url')}.${mac}`;
    for (const bad of [forged, cursor.slice(0, -2), `${cursor}.x`, 'garbage', '.', '', '💥.💥', "' OR 1=1 --"]) {
      await expect(decodeCursor(bad, 'c', Position), bad).rejects.toMatchObject({ status: 400 });
    }
  });

  it('are refused (400) when genuine but of another shape', async () => {
    const cursor = await encodeCursor({ q: 1 }, 'c');
    await expect(decodeCursor(cursor, 'c', Position)).rejects.toMatchObject({ status: 400 });
  });
});
