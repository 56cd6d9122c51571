// Attack: one ticket with a 10,000-character description of distinct words, meant to write thousands of
// search-word items (each projected into three indexes) with one request.
// Figure: the ticket writes at most 200 word items (its first 200 distinct words, subject first), counted
// in DynamoDB Local by Query; the subject and the 200th word find it, a word beyond them does not.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoClient } from '../../../shared/aws/dynamo.js';
import { config } from '../../../shared/config.js';
import { maxTicketWords } from '../../../shared/domain/search.js';
import { ticketKeys } from '../../../shared/store/tickets.js';
import { api } from '../../support/http.js';
import { world } from '../../support/world.js';

async function wordItemsOf(ticketId: string): Promise<number> {
  const { pk } = ticketKeys.ticket(ticketId);
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamoClient().send(
      new QueryCommand({
        TableName: config.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :word)',
        ExpressionAttributeValues: { ':pk': pk, ':word': 'WORD#' },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

describe('search words per ticket', () => {
  it('a 10,000-character description of distinct words writes at most 200 word items, subject words first', async () => {
    const group = await world.group();
    const customer = await world.customer({ groups: [group] });
    const tag = Date.now().toString(36);
    const words = Array.from({ length: 2000 }, (_, i) => `w${tag}x${i}`);
    let description = '';
    for (const word of words) {
      if (description.length + word.length + 1 > 10_000) break;
      description += `${word} `;
    }
    description = description.trimEnd();
    expect(description.length).toBeGreaterThan(9_900);
    const subject = `Enxurrada ${tag}`;
    const res = await api.post('/tickets', {
      headers: customer.headers,
      body: { groupId: group.id, topic: 'other', subject, description },
    });
    expect(res.status).toBe(201);
    expect(await wordItemsOf(res.body.ticket.id)).toBe(maxTicketWords);
    expect(maxTicketWords).toBe(200);

    const search = async (q: string) =>
      (await api.get(`/tickets?q=${encodeURIComponent(q)}`, { headers: customer.headers })).body.items.map(
        (t: { id: string }) => t.id,
      );
    // The subject's two words come first, so the description's 198th word is the last one indexed.
    expect(await search('enxurrada')).toEqual([res.body.ticket.id]);
    expect(await search(words[197] as string)).toEqual([res.body.ticket.id]);
    expect(await search(words[198] as string)).toEqual([]);
    expect(await search(words[1500] as string)).toEqual([]);
  });
});
