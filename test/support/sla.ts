// The SLA clock as tests drive it: rather than wait hours of office time, a test moves a ticket's stored due
// time (and its place in the due-time index) into the past, as if that time had passed; the SLA job then
// finds it on its next run, like test/support/outbox.ts does for e-mail retries.
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../../shared/aws/dynamo.js';
import { config } from '../../shared/config.js';
import { slaKeys } from '../../shared/store/sla.js';
import { getTicketRecord, ticketKeys } from '../../shared/store/tickets.js';

export async function timePassesUntilDue(ticketId: string, target: 'firstResponseDueAt' | 'resolutionDueAt') {
  const ticket = await getTicketRecord(ticketId);
  if (!ticket?.sla?.[target]) throw new Error(`no ${target} on ticket ${ticketId}: ${JSON.stringify(ticket?.sla)}`);
  const past = new Date(Date.now() - 1000).toISOString();
  const sortKey = slaKeys.sortKey(past, ticketId);
  await dynamoClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: config.tableName,
            Key: ticketKeys.ticket(ticketId),
            UpdateExpression: 'SET sla.#target = :past',
            ConditionExpression: 'version = :version',
            ExpressionAttributeNames: { '#target': target },
            ExpressionAttributeValues: { ':past': past, ':version': ticket.version },
          },
        },
        {
          Update: {
            TableName: config.tableName,
            Key: slaKeys.dueItem(ticketId),
            UpdateExpression: 'SET gsi2pk = :check, gsi2sk = :at, gsi3pk = :byDue, gsi3sk = :at',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':check': slaKeys.check.pk, ':byDue': slaKeys.byDue.pk, ':at': sortKey },
          },
        },
      ],
    }),
  );
}
