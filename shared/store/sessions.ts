// Sessions: refresh tokens, rotated on every use. Each sign-in starts a session (a token family); every
// refresh token belongs to one. Presenting a token that was already used revokes its whole session, so a
// stolen token is worth one refresh at most, and its use cuts off the thief and the victim alike.
//
// Access patterns (pattern → key/index → operation):
//   refresh token by hash      pk=REFRESH#<sha256>     sk=TOKEN                GetItem; rotation: conditional
//                                                                              Update + Put in one transaction
//   a session                  pk=USER#<userId>        sk=SESSION#<sessionId>  GetItem / Update (revoke)
//   sessions still valid       pk=USER#<userId>        sk=PROFILE              ConditionCheck in the rotation:
//                                                                              sessionsValidAfter (a password
//                                                                              reset) not after the session's start
//
// Used tokens stay until their TTL, so a replay is recognised as such rather than as an unknown token.
// A session id is a ULID minted when the session starts, so its time is the session's start; no refresh
// carries a session past `sessionLifetimeSeconds` from that start, however often it is refreshed.
// Starting a session stamps the profile's `lastSignInAt`, on the condition that the person is active.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeTime } from 'ulid';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { conditionFailed, epochSeconds, type TransactItem, transact, transactionConflict } from './dynamo.js';
import { userKeys } from './users.js';

export const refreshTokenSeconds = 30 * 24 * 60 * 60;
/** How long a session may live from its sign-in, refreshes included (then the person signs in again). */
export const sessionLifetimeSeconds = 30 * 24 * 60 * 60;

export const sessionKeys = {
  refreshToken: (tokenHash: string) => ({ pk: `REFRESH#${tokenHash}`, sk: 'TOKEN' }),
  session: (userId: string, sessionId: string) => ({ pk: `USER#${userId}`, sk: `SESSION#${sessionId}` }),
};

export interface RefreshToken {
  userId: string;
  sessionId: string;
  expiresAt: string;
  usedAt?: string;
}

function refreshTokenItem(tokenHash: string, token: RefreshToken): TransactItem {
  return {
    Put: {
      TableName: config.tableName,
      Item: {
        ...sessionKeys.refreshToken(tokenHash),
        type: 'refreshToken',
        ...token,
        ttl: epochSeconds(new Date(token.expiresAt)),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** A session's next token expires after `refreshTokenSeconds`, and never after the session's own end. */
const expiresAt = (now: Date, sessionId: string) =>
  new Date(Math.min(now.getTime() + refreshTokenSeconds * 1000, sessionEnd(sessionId)));

/** Epoch milliseconds at which the session `sessionId` ends, refreshed or not. */
export const sessionEnd = (sessionId: string): number => decodeTime(sessionId) + sessionLifetimeSeconds * 1000;

/** Index, in startSession's transaction, of the write that fails for a disabled (or vanished) person. */
const activeCheckIndex = 2;

/** Starts a session; false (and nothing written) when the person is disabled or gone. */
export async function startSession(userId: string, sessionId: string, tokenHash: string, now: Date): Promise<boolean> {
  const expiry = expiresAt(now, sessionId);
  try {
    await transact([
      {
        Put: {
          TableName: config.tableName,
          Item: {
            ...sessionKeys.session(userId, sessionId),
            type: 'session',
            sessionId,
            createdAt: now.toISOString(),
            // A session lives as long as its newest token; rotation pushes this forward.
            ttl: epochSeconds(expiry),
          },
        },
      },
      refreshTokenItem(tokenHash, { userId, sessionId, expiresAt: expiry.toISOString() }),
      {
        Update: {
          TableName: config.tableName,
          Key: userKeys.profile(userId),
          UpdateExpression: 'SET lastSignInAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#status) OR #status = :active)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':now': now.toISOString(), ':active': 'active' },
        },
      },
    ]);
  } catch (error) {
    if (conditionFailed(error, activeCheckIndex)) return false;
    throw error;
  }
  return true;
}

export async function getRefreshToken(tokenHash: string): Promise<RefreshToken | undefined> {
  const { Item } = await dynamoClient().send(
    new GetCommand({ TableName: config.tableName, Key: sessionKeys.refreshToken(tokenHash), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    userId: String(Item.userId),
    sessionId: String(Item.sessionId),
    expiresAt: String(Item.expiresAt),
    ...(Item.usedAt ? { usedAt: String(Item.usedAt) } : {}),
  };
}

export type RotationResult = 'rotated' | 'reused' | 'revoked';

/**
 * Spends `tokenHash` and issues `nextHash` in the same session, atomically: the old token must be unused,
 * the session not revoked, and not started before the user's `sessionsValidAfter` (a password reset ends
 * every older session in its own transaction). `reused` means the old token had already been spent.
 */
export async function rotateRefreshToken(
  tokenHash: string,
  token: RefreshToken,
  nextHash: string,
  now: Date,
): Promise<RotationResult> {
  const expiry = expiresAt(now, token.sessionId);
  try {
    await transact([
      {
        Update: {
          TableName: config.tableName,
          Key: sessionKeys.refreshToken(tokenHash),
          UpdateExpression: 'SET usedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        },
      },
      {
        Update: {
          TableName: config.tableName,
          Key: sessionKeys.session(token.userId, token.sessionId),
          UpdateExpression: 'SET #ttl = :ttl',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':ttl': epochSeconds(expiry) },
        },
      },
      {
        ConditionCheck: {
          TableName: config.tableName,
          Key: userKeys.profile(token.userId),
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(sessionsValidAfter) OR sessionsValidAfter <= :started) ' +
            'AND (attribute_not_exists(#status) OR #status = :active)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':started': new Date(decodeTime(token.sessionId)).toISOString(),
            ':active': 'active',
          },
        },
      },
      refreshTokenItem(nextHash, { userId: token.userId, sessionId: token.sessionId, expiresAt: expiry.toISOString() }),
    ]);
    return 'rotated';
  } catch (error) {
    // Two refreshes racing with one token: whichever lost presented a token that is being spent.
    if (conditionFailed(error, 0) || transactionConflict(error)) return 'reused';
    if (conditionFailed(error, 1) || conditionFailed(error, 2)) return 'revoked';
    throw error;
  }
}

export async function revokeSession(userId: string, sessionId: string, now: Date): Promise<void> {
  try {
    await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: sessionKeys.session(userId, sessionId),
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :now)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    );
  } catch (error) {
    // A session whose TTL already removed it is as revoked as can be.
    if (!conditionFailed(error)) throw error;
  }
}
