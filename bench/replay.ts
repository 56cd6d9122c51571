// The "direct" side of the HTTP comparison: the very DynamoDB operations a request made (as the proxy
// recorded them), issued again straight from this process with the SDK. The difference between the two is
// what the gateway, the authorizer, middy, validation, logging and our own code add to a request.
//
// A write cannot be sent twice as it was: its new ids already exist and its conditions (a ticket's version,
// the ticket counter) were true only once. So a replay gives every id the request minted (a ULID whose time
// falls inside the request) a fresh ULID, and swaps each condition for one that always holds but is still
// evaluated. Operations that overlapped in time in the request overlap in the replay too.
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { decodeTime, ulid } from 'ulid';
import type { Operation } from './fault-proxy.js';

// biome-ignore lint/suspicious/noExplicitAny: DynamoDB JSON, rewritten generically.
type Json = any;

const ulidPattern = /[0-9A-HJKMNP-TV-Z]{26}/g;

/** Fresh ULIDs for the ids minted between `from` and `to` (epoch ms), the same id always getting the same one. */
export function refreshMintedIds(text: string, from: number, to: number, fresh: Map<string, string>): string {
  return text.replace(ulidPattern, (id) => {
    let time: number;
    try {
      time = decodeTime(id);
    } catch {
      return id;
    }
    if (time < from || time > to) return id;
    let replacement = fresh.get(id);
    if (!replacement) {
      replacement = ulid();
      fresh.set(id, replacement);
    }
    return replacement;
  });
}

const alwaysTrue = 'attribute_not_exists(#benchNeverSet)';

/** Replaces the condition of a write (and of each item of a transaction) with one that always holds. */
export function neutralizeConditions(input: Json): Json {
  if (Array.isArray(input.TransactItems)) {
    // The SDK fills ClientRequestToken in; the same token with other items is refused as a mismatch.
    const { ClientRequestToken: _token, ...rest } = input;
    return {
      ...rest,
      TransactItems: input.TransactItems.map((entry: Json) =>
        Object.fromEntries(Object.entries(entry as object).map(([kind, item]) => [kind, neutralizeConditions(item)])),
      ),
    };
  }
  if (typeof input.ConditionExpression !== 'string') return input;
  const { ReturnValuesOnConditionCheckFailure: _dropped, ...rest } = input;
  return prunePlaceholders({
    ...rest,
    ConditionExpression: alwaysTrue,
    ExpressionAttributeNames: { ...rest.ExpressionAttributeNames, '#benchNeverSet': 'benchNeverSet' },
  });
}

const expressionFields = [
  'ConditionExpression',
  'UpdateExpression',
  'KeyConditionExpression',
  'FilterExpression',
  'ProjectionExpression',
];

/** DynamoDB refuses names and values an expression does not use. */
function prunePlaceholders(input: Json): Json {
  const used = expressionFields.map((field) => input[field] ?? '').join(' ');
  const keep = (map: Record<string, unknown> | undefined) => {
    if (!map) return undefined;
    const kept = Object.fromEntries(
      Object.entries(map).filter(([placeholder]) =>
        new RegExp(`${placeholder.replace(/[$]/g, '\\$')}(?![A-Za-z0-9_])`).test(used),
      ),
    );
    return Object.keys(kept).length > 0 ? kept : undefined;
  };
  const out = { ...input };
  const names = keep(input.ExpressionAttributeNames);
  const values = keep(input.ExpressionAttributeValues);
  if (names) out.ExpressionAttributeNames = names;
  else delete out.ExpressionAttributeNames;
  if (values) out.ExpressionAttributeValues = values;
  else delete out.ExpressionAttributeValues;
  return out;
}

/** Groups operations that overlapped in time: each wave starts after every operation of the previous one ended. */
export function waves(operations: readonly Operation[]): Operation[][] {
  const result: Operation[][] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const operation of [...operations].sort((a, b) => a.start - b.start)) {
    const current = result[result.length - 1];
    if (current && operation.start < end) current.push(operation);
    else result.push([operation]);
    end = Math.max(end, operation.end);
  }
  return result;
}

export interface ReplayPlan {
  waves: { name: string; input: Json }[][];
}

/** What to send to replay a request's operations that ran between `from` and `to` (epoch ms). */
export function planReplay(operations: readonly Operation[], from: number, to: number): ReplayPlan {
  const fresh = new Map<string, string>();
  return {
    waves: waves(operations).map((wave) =>
      wave.map((operation) => ({
        name: operation.name,
        input: neutralizeConditions(JSON.parse(refreshMintedIds(operation.body, from, to, fresh))),
      })),
    ),
  };
}

type CommandClass = new (input: Json) => dynamodb.DynamoDBClient extends { send(c: infer C): unknown } ? C : never;

function commandFor(name: string): CommandClass {
  const command = (dynamodb as unknown as Record<string, unknown>)[`${name}Command`];
  if (typeof command !== 'function') throw new Error(`no SDK command for DynamoDB operation ${name}`);
  return command as CommandClass;
}

/** Sends a plan with the low-level client: DynamoDB JSON on the wire is exactly the low-level input. */
export async function replay(client: dynamodb.DynamoDBClient, plan: ReplayPlan): Promise<void> {
  for (const wave of plan.waves) {
    await Promise.all(wave.map(({ name, input }) => client.send(new (commandFor(name))(input))));
  }
}
