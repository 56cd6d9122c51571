// The assignment policy, each agent's count of open tickets, and the presence an agent chose.
//
// Access patterns (pattern → key/index → operation):
//   the assignment policy          a setting (store/settings.ts)
//   an agent's open tickets        pk=AGENT#<userId> sk=OPEN_TICKETS        BatchGet (round-robin's candidates);
//                                  Update in the transaction of the ticket change that gives or takes one
//   an agent's chosen presence     pk=USER#<userId>  sk=PROFILE             Update of the profile's `presence`
//                                  (read with the profile: store/users.ts)
//
// The count is `open` on the agent's item, moved only in the transaction that changes which agent a ticket
// counts against (the ticket's `heldBy`, domain/assignment.ts holderOf), so it is exact; round-robin's
// increment also carries the condition `open < cap`, so two tickets racing for an agent's last place cannot
// both commit.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import type { AssignmentPolicy, PresenceChoice } from '../domain/assignment.js';
import { batchGet, conditionFailed, type TransactItem } from './dynamo.js';
import { getSetting, putSetting } from './settings.js';
import { userKeys } from './users.js';

export const assignmentKeys = {
  workload: (userId: string) => ({ pk: `AGENT#${userId}`, sk: 'OPEN_TICKETS' }),
};

export const getStoredAssignmentPolicy = () => getSetting<AssignmentPolicy>('ASSIGNMENT_POLICY');

export const putAssignmentPolicy = (policy: AssignmentPolicy, updatedBy: string, now: Date) =>
  putSetting('ASSIGNMENT_POLICY', policy, updatedBy, now);

export interface Workload {
  open: number;
  /** When the agent was last given a ticket. */
  lastAssignedAt?: string;
}

/** The workloads of `userIds` (consistent: round-robin decides on them), an agent never counted having none. */
export async function getWorkloads(userIds: readonly string[]): Promise<Map<string, Workload>> {
  const items = await batchGet(userIds.map(assignmentKeys.workload), true);
  return new Map(
    items.map((item) => [
      String(item.userId),
      {
        open: typeof item.open === 'number' ? item.open : 0,
        ...(typeof item.lastAssignedAt === 'string' ? { lastAssignedAt: item.lastAssignedAt } : {}),
      },
    ]),
  );
}

/** The write that counts one more open ticket for `userId`; with `cap`, only while they hold fewer. */
export function holdItem(userId: string, now: Date, cap?: number): TransactItem {
  return {
    Update: {
      TableName: config.tableName,
      Key: assignmentKeys.workload(userId),
      UpdateExpression:
        'SET #open = if_not_exists(#open, :zero) + :one, lastAssignedAt = :now, userId = :userId, #type = :type',
      ...(cap === undefined ? {} : { ConditionExpression: 'attribute_not_exists(#open) OR #open < :cap' }),
      ExpressionAttributeNames: { '#open': 'open', '#type': 'type' },
      ExpressionAttributeValues: {
        ':zero': 0,
        ':one': 1,
        ':now': now.toISOString(),
        ':userId': userId,
        ':type': 'agent_workload',
        ...(cap === undefined ? {} : { ':cap': cap }),
      },
    },
  };
}

/** The write that counts one open ticket fewer for `userId`. */
export function releaseItem(userId: string): TransactItem {
  return {
    Update: {
      TableName: config.tableName,
      Key: assignmentKeys.workload(userId),
      UpdateExpression: 'SET #open = if_not_exists(#open, :one) - :one',
      ExpressionAttributeNames: { '#open': 'open' },
      ExpressionAttributeValues: { ':one': 1 },
    },
  };
}

/** Records the presence `userId` chose; false when there is no such person. */
export async function setPresenceChoice(userId: string, presence: PresenceChoice): Promise<boolean> {
  try {
    await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: userKeys.profile(userId),
        UpdateExpression: 'SET presence = :presence',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':presence': presence },
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}
