// A customer's ticket list reads their own partition only when they have asked for a ticket outside any group
// (the OWN#UNGROUPED marker, store/users.ts). A groupless chat writes the marker with itself; one opened before
// markers existed gets it from `npm run tickets:backfill` (shared/tickets/ungrouped-backfill.ts).
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { encodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { dynamoClient } from '../../../shared/aws/dynamo.js';
import { config } from '../../../shared/config.js';
import { userKeys } from '../../../shared/store/users.js';
import { type BackfillProgress, backfillUngroupedMarkers } from '../../../shared/tickets/ungrouped-backfill.js';
import { api } from '../../support/http.js';
import { world } from '../../support/world.js';
import { connectAs, startChat } from '../chat/support.js';

const listed = async (token: string) =>
  ((await api.get('/tickets?limit=100', { token })).body.items as { id: string }[]).map((t) => t.id);
const marker = (userId: string) => ({ TableName: config.tableName, Key: userKeys.ungroupedTickets(userId) });

describe('tickets outside any group in a customer’s list', () => {
  it('are listed from the chat that opens one on, and again after the backfill marks a requester from before', async () => {
    const bound = `${encodeTime(Date.now() - 1000, 10)}${'0'.repeat(16)}`;
    const group = await world.group();
    const customer = await world.customer({ group });
    const inGroup = await api.post('/tickets', {
      token: customer.token,
      body: { groupId: group.id, topic: 'billing', subject: 'Boleto', description: 'Venceu ontem' },
    });
    expect(inGroup.status).toBe(201);
    const { ticket: chat } = await startChat(await connectAs(customer));
    expect(chat.groupId).toBeUndefined();
    expect(await listed(customer.token)).toEqual([chat.id, inGroup.body.ticket.id]);

    // As it was before the marker: the groupless chat is missing from the list.
    await dynamoClient().send(new DeleteCommand(marker(customer.user.id)));
    expect(await listed(customer.token)).toEqual([inGroup.body.ticket.id]);

    const pages: BackfillProgress[] = [];
    const done = await backfillUngroupedMarkers({ after: bound, pageSize: 5, progress: (p) => pages.push(p) });
    expect(done.read).toBeGreaterThanOrEqual(2);
    expect(pages.at(-1)).toEqual(done);
    // Each page names where to go on from, in order.
    const lasts = pages.flatMap((p) => (p.last ? [p.last] : []));
    expect(lasts).toEqual([...lasts].sort());
    expect((await dynamoClient().send(new GetCommand(marker(customer.user.id)))).Item).toBeDefined();
    expect(await listed(customer.token)).toEqual([chat.id, inGroup.body.ticket.id]);

    // Rerun from a page it reported: nothing changes.
    await backfillUngroupedMarkers({ after: lasts[0], progress: () => {} });
    expect(await listed(customer.token)).toEqual([chat.id, inGroup.body.ticket.id]);
  });
});
