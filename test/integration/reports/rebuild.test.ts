// `npm run reports:rebuild`: a deployment whose tickets predate the aggregates gets the same figures from the
// timelines as the tickets' changes would have written, once, however often or wherever it is interrupted.
// The tickets are dated years back (an injected clock), so this file runs on a table and gateway of its own
// with no scheduled jobs: the SLA job, running on today's clock, would otherwise record breaches on them
// between two of their changes, stamped after the whole back-dated timeline.
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../bench/clients.js';
import { dynamoClient } from '../../../shared/aws/dynamo.js';
import { config } from '../../../shared/config.js';
import { ticketKeys } from '../../../shared/store/tickets.js';
import { updateTicket } from '../../../shared/tickets/changes.js';
import { createTicket } from '../../../shared/tickets/create.js';
import { postMessage } from '../../../shared/tickets/messages.js';
import { rebuildReports } from '../../../shared/tickets/report-rebuild.js';
import { rateTicket } from '../../../shared/tickets/satisfaction.js';
import type { Json } from '../../support/http.js';
import { type Person, world } from '../../support/world.js';
import { useIsolatedGateway } from '../faults/isolated.js';

const isolated = useIsolatedGateway();

const year = 2013;
const summary = async (admin: Person, by: string): Promise<Json[]> => {
  const res = await call(
    isolated.urls.httpUrl,
    'GET',
    `/reports/summary?from=${year}-01-01&to=${year}-12-31&by=${by}`,
    {
      token: admin.token,
    },
  );
  expect(res.status).toBe(200);
  return res.body.rows.filter((r: Json) => by !== 'day' || r.created + r.resolved + r.satisfaction.responses > 0);
};
const figures = async (admin: Person) => ({
  day: await summary(admin, 'day'),
  agent: await summary(admin, 'agent'),
  topic: await summary(admin, 'topic'),
});

/** The deployment as it was before the aggregates: timelines, and neither figures nor tickets marked counted. */
async function forgetTheFigures(ticketIds: readonly string[]): Promise<void> {
  for (const id of ticketIds) {
    await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: ticketKeys.ticket(id),
        UpdateExpression: 'REMOVE reported',
      }),
    );
  }
  const { Items } = await dynamoClient().send(
    new QueryCommand({
      TableName: config.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `REPORT#${year}` },
    }),
  );
  for (const item of Items ?? []) {
    await dynamoClient().send(new DeleteCommand({ TableName: config.tableName, Key: { pk: item.pk, sk: item.sk } }));
  }
}

describe('rebuilding the reports from the timelines', () => {
  let admin: Person;
  let live: Awaited<ReturnType<typeof figures>>;
  const ids: string[] = [];

  beforeAll(async () => {
    admin = await world.admin();
    const ana = await world.customer();
    const [caio, duda] = [await world.agent(), await world.agent()];
    // 30 tickets over two months (more than a page of 25), answered, resolved, reopened, rated and rated again.
    for (let i = 0; i < 30; i++) {
      const opened = Date.parse(`${year}-0${i < 27 ? 4 : 5}-${String(1 + (i % 28)).padStart(2, '0')}T13:00:00.000Z`);
      const at = (minutes: number) => () => new Date(opened + minutes * 60_000);
      const agent = i % 2 ? caio : duda;
      const { ticket } = await createTicket(
        ana.principal,
        { groupId: ana.group.id, topic: i % 3 ? 'billing' : 'usage', subject: `Antigo ${i}`, description: 'Histórico' },
        { clock: at(0) },
      );
      ids.push(ticket.id);
      if (i % 5 === 4) continue;
      await postMessage(agent.principal, ticket.id, { body: 'Olá' }, { clock: at(7 * (i + 1)) });
      await updateTicket(agent.principal, ticket.id, { assigneeId: agent.principal.userId }, { clock: at(300) });
      await updateTicket(agent.principal, ticket.id, { status: 'resolved' }, { clock: at(400 + 90 * i) });
      if (i % 7 === 0) {
        await updateTicket(ana.principal, ticket.id, { status: 'open' }, { clock: at(3000) });
        await updateTicket(agent.principal, ticket.id, { status: 'resolved' }, { clock: at(4000) });
      }
      if (i % 2 === 0) await rateTicket(ana.principal, ticket.id, { score: 1 + (i % 5) }, { clock: at(5000) });
      if (i % 4 === 0) await rateTicket(ana.principal, ticket.id, { score: 5 }, { clock: at(7000) });
    }
    live = await figures(admin);
    expect(live.day.length).toBeGreaterThan(10);
    await forgetTheFigures(ids);
    expect(await summary(admin, 'agent')).toEqual([]);
  });

  it('gives the figures the live changes wrote, counting each ticket once however often it is interrupted or run', async () => {
    const window = { since: `${year}-03`, until: `${year}-06`, restart: true };
    // Stopped after its first page: it has saved where it was.
    await expect(
      rebuildReports({
        ...window,
        progress: () => {
          throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    const pages: string[] = [];
    const done = await rebuildReports({
      ...window,
      restart: false,
      progress: (state) => pages.push(state.month),
    });
    expect(done.counted).toBe(30);
    expect(done.skipped).toEqual([]);
    expect(pages.at(-1)).toBe(`${year}-07`);
    expect(await figures(admin)).toEqual(live);

    // Run again from the start: every ticket is counted already, and nothing changes.
    const again = await rebuildReports({ ...window, progress: () => {} });
    expect([again.counted, again.already]).toEqual([0, 30]);
    expect(await figures(admin)).toEqual(live);
  });

  it("counts a rebuilt ticket's later changes live, once", async () => {
    const [first] = ids;
    const caio = await world.agent();
    await updateTicket(
      caio.principal,
      first as string,
      { status: 'open' },
      { clock: () => new Date(`${year}-04-20T12:00:00Z`) },
    );
    await updateTicket(
      caio.principal,
      first as string,
      { status: 'resolved' },
      {
        clock: () => new Date(`${year}-04-21T12:00:00Z`),
      },
    );
    const day = (await summary(admin, 'day')).find((r) => r.key === `${year}-04-21`);
    const before = live.day.find((r) => r.key === `${year}-04-21`);
    expect(day?.resolved).toBe((before?.resolved ?? 0) + 1);
  });
});
