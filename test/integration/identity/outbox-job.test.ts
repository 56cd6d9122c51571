// The outbox job (functions/scheduled/outbox.ts calls deliverDue), run here in the test process on a table
// of this file's own, so the stack's job (which runs every second on the shared table) cannot take the
// e-mails first and hide what one run does.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dynamoClient, ensureTable } from '../../../infra/local/dynamodb.js';
import { deliverDue } from '../../../shared/auth/outbox.js';
import { requestPasswordReset } from '../../../shared/auth/password-reset.js';
import { listDue } from '../../../shared/store/outbox.js';
import { linkToken, waitForMail } from '../../support/mailbox.js';
import { world } from '../../support/world.js';

const tableName = `atende-outbox-job-${ulid().toLowerCase()}`;
let sharedTable: string | undefined;

beforeAll(async () => {
  await ensureTable(inject('stack').dynamoUrl, tableName);
  sharedTable = process.env.TABLE_NAME;
  process.env.TABLE_NAME = tableName;
});

afterAll(async () => {
  process.env.TABLE_NAME = sharedTable;
  const client = dynamoClient(inject('stack').dynamoUrl);
  await client.send(new DeleteTableCommand({ TableName: tableName })).finally(() => client.destroy());
});

describe('the outbox job', () => {
  it('works through every due e-mail in one run, batch after batch, and mails resets only to accounts', async () => {
    const known = await world.customer();
    for (let i = 0; i < 5; i++) await requestPasswordReset(`nobody-${i}-${ulid().toLowerCase()}@example.com`);
    await requestPasswordReset(known.email);
    expect(await listDue(new Date(), 100)).toHaveLength(6);

    const run = await deliverDue(new Date(), 2);

    expect(run).toEqual({ sent: 1, failed: 0 });
    expect(await listDue(new Date(), 100)).toEqual([]);
    const [mail] = await waitForMail(known.email);
    expect(linkToken(mail as NonNullable<typeof mail>, 'reset-password')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
