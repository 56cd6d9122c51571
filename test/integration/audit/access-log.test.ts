// What no function hears of: a connection the gateway refuses by itself (a `$connect` without its `ticket`,
// refused before the authorizer runs, as on AWS) leaves no request line, only the line API Gateway's access
// log would hold. Locally that line is in `$ATENDE_DATA_DIR/logs/access.jsonl`.
import { readFile } from 'node:fs/promises';
import { ulid } from 'ulid';
import { describe, expect, inject, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { logText } from '../../support/request-log.js';
import { refusedWs } from '../../support/ws.js';

const accessLog = async () =>
  (await readFile(inject('stack').accessLogFile, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, string>);

describe('the access log of the local stack', () => {
  it('holds the connection refused for want of a ticket, which the request log cannot', async () => {
    const userAgent = `refused-${ulid()}`;
    expect((await refusedWs({}, { headers: { 'user-agent': userAgent } })).status).toBe(401);
    const line = await eventually(
      async () => (await accessLog()).find((l) => l.userAgent === userAgent),
      'the access line of the refused connection',
    );
    expect(line).toMatchObject({
      eventType: 'CONNECT',
      routeKey: '$connect',
      status: '401',
      integrationLatency: '-',
      error: 'Unauthorized',
      sourceIp: expect.stringMatching(/^127\.0\.0\.1$|^::1$/),
    });
    expect((await logText()).some((l) => l.includes(userAgent))).toBe(false);
  });
});
