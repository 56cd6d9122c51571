// Sign-in attempts per e-mail address (known or not, so the lockout itself tells nothing about accounts)
// and source IP: a lockout closes that e-mail to that address only, so nobody can lock the owner out from
// elsewhere (api.md, "Limits against abuse").
//
// Access patterns (pattern → key/index → operation):
//   attempts of an e-mail from an IP   pk=LOGIN#<email>   sk=IP#<sourceIp>   conditional UpdateItem (claim, lock);
//                                                                           GetItem only to tell a refused
//                                                                           claim's wait; DeleteItem (a
//                                                                           sign-in succeeded from there)
//
// Every attempt claims a slot before its password is hashed: the item counts the attempts of the current
// window (`count`, since `windowStart`), and a claim is a conditional increment, so parallel guesses cannot
// all read "not locked yet" and all get hashed. A successful sign-in deletes the item; an attempt that
// failed keeps its slot. Times are epoch milliseconds.
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../aws/dynamo.js';
import { config } from '../config.js';
import { Unavailable } from '../errors.js';
import { conditionFailed, epochSeconds } from './dynamo.js';

export const loginAttemptKeys = {
  attempts: (email: string, sourceIp: string) => ({ pk: `LOGIN#${email}`, sk: `IP#${sourceIp}` }),
};

export interface AttemptRules {
  /** Attempts a window allows. */
  max: number;
  windowMs: number;
}

/** A claimed attempt (`slot` 1 … max within its window), or how long until one may be claimed again. */
export type Claim = { slot: number; windowStart: number } | { retryAfterMs: number };

const notLocked = '(attribute_not_exists(lockedUntil) OR lockedUntil <= :now)';

async function update(input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>) {
  try {
    return await dynamoClient().send(new UpdateCommand({ TableName: config.tableName, ...input }));
  } catch (error) {
    if (conditionFailed(error)) return undefined;
    throw error;
  }
}

/** Takes the next attempt of `email` from `sourceIp` at `now`, if the window has one left and no lockout runs. */
export async function claimAttempt(email: string, sourceIp: string, now: number, rules: AttemptRules): Promise<Claim> {
  const Key = loginAttemptKeys.attempts(email, sourceIp);
  const windowFloor = now - rules.windowMs;
  // Bounded: each pass either claims, or finds the lock, or lost a race that changed the item meanwhile.
  for (let pass = 0; pass < 5; pass++) {
    // A first attempt, or the first since the last window ran out: a fresh window.
    const fresh = await update({
      Key,
      UpdateExpression: 'SET #count = :one, windowStart = :now, #ttl = :ttl REMOVE lockedUntil',
      ConditionExpression: `attribute_not_exists(pk) OR (windowStart <= :floor AND ${notLocked})`,
      ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':now': now,
        ':floor': windowFloor,
        ':ttl': epochSeconds(new Date(now + rules.windowMs)),
      },
    });
    if (fresh) return { slot: 1, windowStart: now };
    const next = await update({
      Key,
      UpdateExpression: 'SET #count = #count + :one',
      ConditionExpression: `windowStart > :floor AND #count < :max AND ${notLocked}`,
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':one': 1, ':now': now, ':floor': windowFloor, ':max': rules.max },
      ReturnValues: 'ALL_NEW',
    });
    if (next?.Attributes)
      return { slot: Number(next.Attributes.count), windowStart: Number(next.Attributes.windowStart) };
    const { Item } = await dynamoClient().send(
      new GetCommand({ TableName: config.tableName, Key, ConsistentRead: true }),
    );
    if (!Item) continue;
    const lockedUntil = typeof Item.lockedUntil === 'number' ? Item.lockedUntil : 0;
    if (lockedUntil > now) return { retryAfterMs: lockedUntil - now };
    // Every slot of the window is taken by attempts still being checked (or that failed without locking):
    // the window's end frees them.
    const windowEnd = Number(Item.windowStart) + rules.windowMs;
    if (Number(Item.count) >= rules.max && windowEnd > now) return { retryAfterMs: windowEnd - now };
  }
  // The item kept changing under us (signed in and out of lockouts at that very moment): try later.
  throw new Unavailable('DynamoDB');
}

/**
 * Locks `email` until `until`, as long as the window the locking attempt belonged to is still the item's;
 * false when it is not (a sign-in succeeded meanwhile and cleared it).
 */
export async function lockOut(email: string, sourceIp: string, windowStart: number, until: number): Promise<boolean> {
  const locked = await update({
    Key: loginAttemptKeys.attempts(email, sourceIp),
    UpdateExpression: 'SET lockedUntil = :until, #ttl = :ttl',
    ConditionExpression: 'windowStart = :windowStart',
    ExpressionAttributeNames: { '#ttl': 'ttl' },
    ExpressionAttributeValues: {
      ':until': until,
      ':windowStart': windowStart,
      ':ttl': epochSeconds(new Date(until)),
    },
  });
  return locked !== undefined;
}

export async function clearAttempts(email: string, sourceIp: string): Promise<void> {
  await dynamoClient().send(
    new DeleteCommand({ TableName: config.tableName, Key: loginAttemptKeys.attempts(email, sourceIp) }),
  );
}
