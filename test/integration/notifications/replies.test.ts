// Reply notifications through the real local parts: the gateway's functions, DynamoDB Local, the scheduled
// job and the SES emulator's store. The batch window is an hour here, and each test ends it itself
// (windowEnds), so what lands in one e-mail never depends on how fast the machine is.

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, type Json, openClient, type RealtimeClient } from '../../../bench/clients.js';
import { dynamoClient } from '../../../shared/aws/dynamo.js';
import { config } from '../../../shared/config.js';
import { transact } from '../../../shared/store/dynamo.js';
import { groupKeys } from '../../../shared/store/groups.js';
import { getBatch } from '../../../shared/store/notifications.js';
import { getOutboxItem } from '../../../shared/store/outbox.js';
import { getUser, userKeys } from '../../../shared/store/users.js';
import { eventually } from '../../support/eventually.js';
import { header, mailTo, type StoredEmail, waitForMail } from '../../support/mailbox.js';
import { timePassesUntilRetry } from '../../support/outbox.js';
import { type Person, world } from '../../support/world.js';
import { useIsolatedGateway } from '../faults/isolated.js';
import { batchOutcome, windowEnds } from './support.js';

const isolated = useIsolatedGateway({ scheduleSeconds: 1, env: { ATENDE_NOTIFY_BATCH_SECONDS: '3600' } });
const http = (method: string, path: string, person: Person, body?: unknown) =>
  call(isolated.urls.httpUrl, method, path, { token: person.token, body });

let agent: Person;
beforeAll(async () => {
  agent = await world.agent({ name: 'Caio Suporte' });
});

async function openTicket(customer: Person & { group: { id: string } }, subject = 'Não consigo baixar o XML') {
  const res = await http('POST', '/tickets', customer, {
    groupId: customer.group.id,
    topic: 'fiscal_document',
    subject,
    description: 'O botão de download não responde.',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.ticket as Json;
}

async function answer(person: Person, ticketId: string, body: string): Promise<Json> {
  const res = await http('POST', `/tickets/${ticketId}/messages`, person, { body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.event;
}

/** A connection of `person` subscribed to the ticket (the ticket page open in a browser). */
async function watching(person: Person, ticketId: string): Promise<RealtimeClient> {
  const client = await openClient(isolated.urls, person.token);
  const reply = await client.request({ action: 'ticket.subscribe', ticketId });
  expect(reply.type, JSON.stringify(reply)).toBe('ticket.subscribed');
  return client;
}

/**
 * Ends the window of the ticket's batches and waits for the job to close `person`'s: their e-mails then,
 * and `closed(other)` for what became of someone else's batch in the same window.
 */
async function afterTheWindow(ticketId: string, person: Person) {
  const since = isolated.output.length;
  expect(await windowEnds(ticketId)).toBeGreaterThan(0);
  const outcome = await batchOutcome(isolated.output, since, ticketId, person.user.id);
  return {
    outcome,
    mails: await mailTo(person.email),
    closed: (other: Person) => batchOutcome(isolated.output, since, ticketId, other.user.id),
  };
}

const jsonLine = (line: string): Json => {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
};

const unsubscribeUrlOf = (mail: StoredEmail): string => {
  const value = header(mail, 'List-Unsubscribe') ?? '';
  const match = /^<(https?:\/\/[^>]+)>$/.exec(value);
  if (!match?.[1]) throw new Error(`no List-Unsubscribe URL in ${JSON.stringify(mail.headers)}`);
  return match[1];
};

describe('reply notifications', () => {
  it("e-mails an agent's answer to the offline requester once, and nothing to a follower who watched it live", async () => {
    const requester = await world.customer({ name: 'Ana Cliente' });
    const colleague = await world.customer({ group: requester.group, name: 'Bia Colega' });
    const away = await world.customer({ group: requester.group, name: 'Caco Ausente' });
    const ticket = await openTicket(requester);
    expect((await http('PUT', `/tickets/${ticket.id}/followers/me`, colleague)).status).toBe(204);
    expect((await http('PUT', `/tickets/${ticket.id}/followers/me`, away)).status).toBe(204);
    const live = await watching(colleague, ticket.id);

    const event = await answer(
      agent,
      ticket.id,
      'O XML está em Documentos > Baixar XML.\nQualquer dúvida, estamos aqui.',
    );
    await eventually(
      () => live.pushes.some((frame) => frame.type === 'event' && frame.event.id === event.id),
      'the answer pushed to the follower watching live',
    );

    const window = await afterTheWindow(ticket.id, requester);
    expect(window.outcome).toBe('queued');
    const [mail, ...more] = window.mails;
    expect(more).toEqual([]);
    expect(mail?.subject).toBe(`[#${ticket.number}] Não consigo baixar o XML`);
    expect(mail?.body.text).toContain('O XML está em Documentos > Baixar XML.');
    expect(mail?.body.text).toContain('Caio Suporte');
    expect(mail?.body.text).toContain(`${isolated.urls.httpUrl}/tickets/${ticket.id}`);
    expect(mail?.body.html).toContain(`${isolated.urls.httpUrl}/tickets/${ticket.id}`);
    expect(mail?.body.html).toContain('O XML está em Documentos &#62; Baixar XML.');
    expect(mail?.body.text).toContain('Olá, Ana Cliente.');
    expect(header(mail as StoredEmail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(unsubscribeUrlOf(mail as StoredEmail)).toMatch(
      new RegExp(`^${isolated.urls.httpUrl}/notifications/unsubscribe\\?token=`),
    );
    // The follower saw the answer live: their batch closes with nothing owed.
    expect(await window.closed(colleague)).toBe('dropped');
    expect(await mailTo(colleague.email)).toEqual([]);
    expect(await mailTo(agent.email)).toEqual([]);
    // A follower who was not watching is told, as the requester is.
    expect(await window.closed(away)).toBe('queued');
    const [toFollower] = await mailTo(away.email);
    expect(toFollower?.body.text).toContain('Olá, Caco Ausente.');
    expect(toFollower?.body.text).toContain('O XML está em Documentos > Baixar XML.');
    await live.close();
  });

  it('makes one e-mail of three quick agent messages, in their order', async () => {
    const requester = await world.customer();
    const ticket = await openTicket(requester);

    await answer(agent, ticket.id, 'Primeira: recebemos o chamado.');
    await answer(agent, ticket.id, 'Segunda: estamos olhando o XML.');
    await answer(agent, ticket.id, 'Terceira: pode tentar de novo?');

    const { mails } = await afterTheWindow(ticket.id, requester);
    expect(mails).toHaveLength(1);
    const text = mails[0]?.body.text ?? '';
    const positions = ['Primeira', 'Segunda', 'Terceira'].map((word) => text.indexOf(word));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('escapes HTML and scripts a message carries', async () => {
    const requester = await world.customer();
    const ticket = await openTicket(requester);

    await answer(
      agent,
      ticket.id,
      '<script>alert("x")</script><b>Negrito</b> & <a href="http://evil.example">clique</a>',
    );

    const [mail] = (await afterTheWindow(ticket.id, requester)).mails;
    const html = mail?.body.html ?? '';
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<b>Negrito');
    expect(html).not.toContain('href="http://evil.example"');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#60;b&#62;Negrito&#60;/b&#62; &#38;');
    // The text part carries what was written, as written.
    expect(mail?.body.text).toContain('<script>alert("x")</script><b>Negrito</b>');
  });

  it("tells the assignee of a customer's message, and tells a requester of resolution, never the author", async () => {
    const requester = await world.customer();
    const assignee = await world.agent({ name: 'Dora Atendente' });
    const ticket = await openTicket(requester);
    const assigned = await http('PATCH', `/tickets/${ticket.id}`, agent, { assigneeId: assignee.user.id });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);

    await answer(requester, ticket.id, 'Alguma novidade sobre o XML?');
    const toAssignee = await afterTheWindow(ticket.id, assignee);
    expect(toAssignee.mails).toHaveLength(1);
    expect(toAssignee.mails[0]?.body.text).toContain('Alguma novidade sobre o XML?');
    // The requester wrote it: no batch was ever opened for them.
    expect(await getBatch(ticket.id, requester.user.id)).toBeUndefined();
    expect(await mailTo(requester.email)).toEqual([]);

    const resolved = await http('PATCH', `/tickets/${ticket.id}`, assignee, { status: 'resolved' });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    const [toRequester] = (await afterTheWindow(ticket.id, requester)).mails;
    expect(toRequester?.body.text).toContain('Dora Atendente marcou o chamado como resolvido.');
    expect(await mailTo(assignee.email)).toHaveLength(1);
  });

  it("gives the requester's resolution e-mail five one-click ratings that rate without sign-in; a follower's has none", async () => {
    const requester = await world.customer();
    const colleague = await world.customer({ group: requester.group });
    const ticket = await openTicket(requester);
    expect((await http('PUT', `/tickets/${ticket.id}/followers/me`, colleague)).status).toBe(204);
    expect((await http('PATCH', `/tickets/${ticket.id}`, agent, { status: 'resolved' })).status).toBe(200);

    const window = await afterTheWindow(ticket.id, requester);
    expect(await window.closed(colleague)).toBe('queued');
    const [mail] = window.mails;
    const ratingLinks = (text: string) =>
      [...text.matchAll(/https?:\/\/[^\s"<]+\/rate#[^\s"<]+/g)].map(([url]) => new URL(url));
    const links = ratingLinks(mail?.body.text ?? '');
    expect(links.map((url) => new URLSearchParams(url.hash.slice(1)).get('score'))).toEqual(['1', '2', '3', '4', '5']);
    expect(mail?.body.text).toContain('5 · Ótimo');
    // The HTML part carries the same five links, and the token only ever travels in the fragment.
    expect(ratingLinks(mail?.body.html?.replaceAll('&#38;', '&') ?? '').map(String)).toEqual(
      expect.arrayContaining(links.map(String)),
    );
    expect(links.every((url) => url.search === '')).toBe(true);
    const [followerMail] = await mailTo(colleague.email);
    expect(followerMail?.body.text).toContain('marcou o chamado como resolvido');
    expect(followerMail?.body.text).not.toContain('/rate#');

    const token = new URLSearchParams(links[4]?.hash.slice(1)).get('token');
    const clicked = await call(isolated.urls.httpUrl, 'POST', '/satisfaction', { body: { token, score: 5 } });
    expect(clicked.status, JSON.stringify(clicked.body)).toBe(201);
    const events = (await http('GET', `/tickets/${ticket.id}/events`, agent)).body.items as Json[];
    expect(events.filter((e) => e.type === 'satisfaction').map((e) => [e.actor.id, e.data])).toEqual([
      [requester.user.id, { score: 5 }],
    ]);
  });

  it('sends nothing to a disabled person', async () => {
    const requester = await world.customer();
    const ticket = await openTicket(requester);
    // PATCH /users/{userId} (admin) disables people on branch people; the stored status is what counts here.
    await dynamoClient().send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: userKeys.profile(requester.user.id),
        UpdateExpression: 'SET #status = :disabled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':disabled': 'disabled' },
      }),
    );

    await answer(agent, ticket.id, 'Resposta para uma conta desativada.');

    const window = await afterTheWindow(ticket.id, requester);
    expect(window.outcome).toBe('dropped');
    expect(window.mails).toEqual([]);
  });

  it('sends nothing to a follower who left the company and so no longer sees the ticket', async () => {
    const requester = await world.customer();
    const colleague = await world.customer({ group: requester.group });
    const ticket = await openTicket(requester);
    expect((await http('PUT', `/tickets/${ticket.id}/followers/me`, colleague)).status).toBe(204);
    await answer(agent, ticket.id, 'Resposta que só quem ainda vê o chamado recebe.');
    // Removing a member is on branch people (offboarding); both sides of the membership go here.
    await transact([
      { Delete: { TableName: config.tableName, Key: groupKeys.member(requester.group.id, colleague.user.id) } },
      { Delete: { TableName: config.tableName, Key: userKeys.groupOfUser(colleague.user.id, requester.group.id) } },
    ]);

    const window = await afterTheWindow(ticket.id, requester);
    expect(window.mails).toHaveLength(1);
    expect(await window.closed(colleague)).toBe('dropped');
    expect(await mailTo(colleague.email)).toEqual([]);
  });

  it('sends nothing to a follower who stopped following before the window ended', async () => {
    const requester = await world.customer();
    const colleague = await world.customer({ group: requester.group });
    const ticket = await openTicket(requester);
    expect((await http('PUT', `/tickets/${ticket.id}/followers/me`, colleague)).status).toBe(204);

    await answer(agent, ticket.id, 'Resposta para a Ana e quem acompanha.');
    expect((await http('DELETE', `/tickets/${ticket.id}/followers/me`, colleague)).status).toBe(204);

    const window = await afterTheWindow(ticket.id, requester);
    expect(window.mails).toHaveLength(1);
    expect(await window.closed(colleague)).toBe('dropped');
    expect(await mailTo(colleague.email)).toEqual([]);
  });
});

describe('one-click unsubscribe', () => {
  it("turns notifications off with the e-mail's own link (RFC 8058 POST), and nothing more is sent", async () => {
    const requester = await world.customer();
    const ticket = await openTicket(requester);
    await answer(agent, ticket.id, 'Primeira resposta.');
    const [mail] = (await afterTheWindow(ticket.id, requester)).mails;

    // What a mail client does with List-Unsubscribe-Post: a form POST to the List-Unsubscribe URL.
    const unsubscribed = await fetch(unsubscribeUrlOf(mail as StoredEmail), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.status).toBe(204);
    expect((await getUser(requester.user.id))?.notifications).toEqual({ email: false });

    await answer(agent, ticket.id, 'Segunda resposta, que não vai por e-mail.');
    const second = await afterTheWindow(ticket.id, requester);
    expect(second.outcome).toBe('dropped');
    expect(second.mails).toHaveLength(1);
  });

  it('answers a forged token, or one moved to another person, the same 204 and changes nobody', async () => {
    const requester = await world.customer();
    const other = await world.customer();
    const ticket = await openTicket(requester);
    await answer(agent, ticket.id, 'Uma resposta com link de descadastro.');
    const [mail] = (await afterTheWindow(ticket.id, requester)).mails;
    const token = new URL(unsubscribeUrlOf(mail as StoredEmail)).searchParams.get('token') ?? '';
    const [, signature] = token.split('.');
    const moved = `${Buffer.from(other.user.id).toString('base64url')}.${signature}`;
    const forged = `${Buffer.from(other.user.id).toString('base64url')}.${Buffer.alloc(32, 7).toString('base64url')}`;

    for (const attempt of [moved, forged, 'not-a-token', `${token}x`]) {
      const res = await call(isolated.urls.httpUrl, 'POST', '/notifications/unsubscribe', { body: { token: attempt } });
      expect(res.status, attempt).toBe(204);
      expect(res.body).toBeUndefined();
    }
    expect((await getUser(other.user.id))?.notifications).toBeUndefined();
    expect((await getUser(requester.user.id))?.notifications).toBeUndefined();

    const genuine = await call(isolated.urls.httpUrl, 'POST', '/notifications/unsubscribe', { body: { token } });
    expect(genuine.status).toBe(204);
    expect((await getUser(requester.user.id))?.notifications).toEqual({ email: false });
    expect((await getUser(other.user.id))?.notifications).toBeUndefined();
  });

  it('refuses a request without a token with 400, and changes nothing', async () => {
    const res = await call(isolated.urls.httpUrl, 'POST', '/notifications/unsubscribe', { body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});

describe('when SES fails while a batch is due', () => {
  it('keeps the notification in the outbox and sends it once when SES is back', async () => {
    const requester = await world.customer();
    const ticket = await openTicket(requester);
    await answer(agent, ticket.id, 'Resposta enviada durante a queda do SES.');
    isolated.ses.inject({ fault: 'unavailable' });
    let outboxId: string;
    try {
      expect((await afterTheWindow(ticket.id, requester)).outcome).toBe('queued');
      const failure = await eventually(
        () =>
          isolated.output
            .map(jsonLine)
            .find((line) => line?.message === 'mail send failed' && line.kind === 'notification'),
        'the notification send failure logged',
      );
      outboxId = failure.outboxId;
      expect(await mailTo(requester.email)).toEqual([]);
      expect((await getOutboxItem(outboxId))?.status).toBe('failed');
    } finally {
      isolated.ses.clearFaults();
    }
    await timePassesUntilRetry(outboxId);
    const [mail, ...more] = await waitForMail(requester.email);
    expect(more).toEqual([]);
    expect(mail?.body.text).toContain('Resposta enviada durante a queda do SES.');
    await eventually(async () => (await getOutboxItem(outboxId))?.status === 'sent', 'the outbox item sent');
    expect(await mailTo(requester.email)).toHaveLength(1);
  });
});
