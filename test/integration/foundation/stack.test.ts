// The running local stack as a whole: the SDK reaches each emulator through the standard endpoint
// variables alone, the gateway serves `/`, requests land in the request log, and the real WebSocket
// authorizer's identity source is enforced.
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ulid } from 'ulid';
import { describe, expect, inject, it } from 'vitest';
import { dynamoOperationsFile, readDynamoOperations } from '../../../infra/local/dynamo-recorder.js';
import { api } from '../../support/http.js';
import { waitForLine } from '../../support/request-log.js';
import { world } from '../../support/world.js';
import { connectWs, refusedWs } from '../../support/ws.js';

const stack = inject('stack');

describe('the local stack', () => {
  it('reaches DynamoDB Local, S3 and SES through AWS_ENDPOINT_URL_* alone (clients built with no endpoint)', async () => {
    const tables = await new DynamoDBClient({}).send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain(stack.tableName);

    await new S3Client({ forcePathStyle: true }).send(new HeadBucketCommand({ Bucket: stack.bucketName }));

    const to = `endpoint-${ulid().toLowerCase()}@example.com`;
    await new SESv2Client({}).send(
      new SendEmailCommand({
        FromEmailAddress: stack.env.MAIL_FROM,
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: { Data: 'endpoint check' }, Body: { Text: { Data: 'hello' } } } },
      }),
    );
    const store = (await (await fetch(`${stack.sesUrl}/store`)).json()) as {
      emails: { destination: { to: string[] } }[];
    };
    expect(store.emails.some((e) => e.destination.to.includes(to))).toBe(true);
  });

  it('serves a page at / (the web app once built, else the list of endpoints)', async () => {
    const res = await fetch(stack.httpUrl, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('appends every request log line to $ATENDE_DATA_DIR/logs/requests.jsonl', async () => {
    const marker = `foundation-${ulid()}`;
    const res = await api.get('/health', { headers: { 'x-request-id': marker } });
    expect(res.headers['x-request-id']).toBe(marker);
    const line = await waitForLine(marker, (record) => record.clientRequestId === marker);
    expect(line).toMatchObject({ kind: 'request', route: 'GET /health', status: 200, outcome: 'success' });
  });

  it('records the DynamoDB operations the functions make (and not the tests’ own)', async () => {
    const before = readDynamoOperations(dynamoOperationsFile(stack.dataDir)).length;
    await new DynamoDBClient({}).send(new ListTablesCommand({}));
    await api.get('/health');
    const after = readDynamoOperations(dynamoOperationsFile(stack.dataDir)).slice(before);
    expect(after).toContainEqual(expect.objectContaining({ operation: 'GetItem', table: stack.tableName }));
    expect(after.map((o) => o.operation)).not.toContain('ListTables');
  });

  it('answers the WebSocket ping action end to end for a signed-in connection', async () => {
    const agent = await world.agent();
    const { body } = await api.post('/realtime/ticket', { token: agent.token });
    const ws = await connectWs({ ticket: body.ticket });
    ws.send({ action: 'ping', requestId: 'foundation-ping' });
    expect(await ws.next((f) => f.requestId === 'foundation-ping')).toEqual({
      type: 'pong',
      requestId: 'foundation-ping',
    });
    await ws.close();
  });

  it('refuses a WebSocket $connect without a ticket with 401', async () => {
    expect((await refusedWs()).status).toBe(401);
  });

  it('answers an unknown route with the contract not_found body', async () => {
    const res = await api.get('/no/such/route', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
