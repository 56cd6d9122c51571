// The SLA policy and the due-time index of tickets' SLA clocks.
//
// Access patterns (pattern → key/index → operation):
//   the SLA policy                   a setting (store/settings.ts)
//   clocks owing a check by now      gsi2pk=TICKETS#SLA_CHECK  gsi2sk=<nextCheck>#<ticketId>  Query gsi2 asc,
//                                    gsi2sk <= now (the SLA job) on the ticket's due item
//   open tickets by due time         gsi3pk=TICKETS#BY_DUE     gsi3sk=<dueAt>#<ticketId>      Query gsi3 asc,
//                                    paged by the last sort key (GET /tickets?sort=due) → BatchGet the tickets
//
// Each ticket whose clock runs has one due item (pk=TICKET#<id> sk=SLA_DUE), written or deleted in the same
// transaction as the change that moved its clock (store/tickets.ts membershipItems); it leaves the check
// index once nothing is left to miss and both indexes while the clock stands still. Both are single
// partitions, like the chat queue: a help desk's open tickets are far fewer than one partition serves.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { SlaPolicy } from '../domain/sla/policy.js';
import { dueAt, nextCheck, type TicketSla } from '../domain/sla/ticket-sla.js';
import type { TransactItem } from './dynamo.js';
import { getSetting, putSetting } from './settings.js';

export const slaKeys = {
  dueItem: (ticketId: string) => ({ pk: `TICKET#${ticketId}`, sk: 'SLA_DUE' }),
  check: { index: 'gsi2', pk: 'TICKETS#SLA_CHECK' },
  byDue: { index: 'gsi3', pk: 'TICKETS#BY_DUE' },
  sortKey: (at: string, ticketId: string) => `${at}#${ticketId}`,
} as const;

export const getStoredSlaPolicy = () => getSetting<SlaPolicy>('SLA_POLICY');

export const putSlaPolicy = (policy: SlaPolicy, updatedBy: string, now: Date) =>
  putSetting('SLA_POLICY', policy, updatedBy, now);

/** Keeps a ticket's due item in step with its clock going from `before` to `after`. */
export function slaDueItems(
  ticketId: string,
  before: TicketSla | undefined,
  after: TicketSla | undefined,
): TransactItem[] {
  const [checkBefore, checkAfter] = [nextCheck(before), nextCheck(after)];
  const [dueBefore, dueAfter] = [dueAt(before), dueAt(after)];
  if (checkBefore === checkAfter && dueBefore === dueAfter) return [];
  if (checkAfter === undefined && dueAfter === undefined) {
    return [{ Delete: { TableName: config.tableName, Key: slaKeys.dueItem(ticketId) } }];
  }
  return [
    {
      Put: {
        TableName: config.tableName,
        Item: {
          ...slaKeys.dueItem(ticketId),
          type: 'ticket_sla_due',
          ticketId,
          ...(checkAfter === undefined
            ? {}
            : { gsi2pk: slaKeys.check.pk, gsi2sk: slaKeys.sortKey(checkAfter, ticketId) }),
          ...(dueAfter === undefined ? {} : { gsi3pk: slaKeys.byDue.pk, gsi3sk: slaKeys.sortKey(dueAfter, ticketId) }),
        },
      },
    },
  ];
}

/** Ids of tickets whose clock owes a check at `now`, earliest first. */
export async function listSlaChecksDue(now: Date, limit: number): Promise<string[]> {
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: slaKeys.check.index,
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :now',
      ExpressionAttributeValues: { ':pk': slaKeys.check.pk, ':now': `${now.toISOString()}#~` },
      ScanIndexForward: true,
      Limit: limit,
    }),
  );
  return (page.Items ?? []).map((item) => String(item.ticketId));
}

/** Ids of tickets by due time, earliest first, after the sort key `after`; `next` when more follow. */
export async function pageByDue(after: string | undefined, limit: number): Promise<{ ids: string[]; next?: string }> {
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: slaKeys.byDue.index,
      KeyConditionExpression: after === undefined ? 'gsi3pk = :pk' : 'gsi3pk = :pk AND gsi3sk > :after',
      ExpressionAttributeValues: { ':pk': slaKeys.byDue.pk, ...(after === undefined ? {} : { ':after': after }) },
      ScanIndexForward: true,
      Limit: limit,
    }),
  );
  const items = page.Items ?? [];
  const last = items[items.length - 1];
  return {
    ids: items.map((item) => String(item.ticketId)),
    ...(page.LastEvaluatedKey && last ? { next: String(last.gsi3sk) } : {}),
  };
}
