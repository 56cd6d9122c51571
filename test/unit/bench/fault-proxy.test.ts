import { describe, expect, it } from 'vitest';
import { itemSize, writeUnitsOf } from '../../../bench/fault-proxy.js';

describe('write units of the requests DynamoDB Local under-reports', () => {
  it('sizes an item as DynamoDB does: names and values in bytes, numbers by their digits', () => {
    expect(itemSize({ pk: { S: 'TICKET#1' } })).toBe(2 + 8);
    expect(itemSize({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemSize({ ok: { BOOL: true }, tags: { L: [{ S: 'ab' }] } })).toBe(2 + 1 + 4 + 3 + 1 + 2);
    expect(itemSize({ s: { S: 'ação' } })).toBe(1 + 6);
  });

  it('counts a transactional Put twice, and again for each index it is in, per started kilobyte', () => {
    const ticket = {
      pk: { S: 'TICKET#1' },
      sk: { S: 'TICKET' },
      gsi1pk: { S: 'A' },
      gsi1sk: { S: '1' },
      gsi2pk: { S: 'B' },
      gsi2sk: { S: '1' },
      body: { S: 'x'.repeat(1500) },
    };
    const counter = {
      Update: { Key: { pk: { S: 'COUNTER' }, sk: { S: 'N' } }, ExpressionAttributeValues: { ':one': { N: '1' } } },
    };
    const body = JSON.stringify({ TransactItems: [{ Put: { Item: ticket } }, counter] });
    // The ticket: 2 KB × (table + 2 indexes) × 2; the counter: 1 KB × 2.
    expect(writeUnitsOf('TransactWriteItems', body)).toBe(2 * 3 * 2 + 2);
  });

  it('counts a batch Put once per kilobyte and index, not doubled', () => {
    const word = { pk: { S: 'TICKET#1' }, sk: { S: 'WORD#nota' }, gsi1pk: { S: 'WORDS#nota' }, gsi1sk: { S: '1' } };
    const body = JSON.stringify({
      RequestItems: { atende: [{ PutRequest: { Item: word } }, { PutRequest: { Item: word } }] },
    });
    expect(writeUnitsOf('BatchWriteItem', body)).toBe(2 * 2);
  });
});
