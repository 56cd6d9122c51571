// A person's data under the LGPD (issue 19): export and erasure, through the real local parts. The file runs
// on a gateway with a table of its own (test/integration/faults/isolated.ts), so that after an erasure it may
// read every item of that table, and every object of the bucket, looking for what identified the person.
// The scheduled jobs are off there; the test runs the erasure job itself (shared/privacy/erasure.ts), as
// EventBridge would, which also lets it stop a run halfway.
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DeleteCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { call, type Json } from '../../../bench/clients.js';
import { dynamoClient } from '../../../shared/aws/dynamo.js';
import { s3Client } from '../../../shared/aws/s3.js';
import { config } from '../../../shared/config.js';
import { erasedName } from '../../../shared/domain/privacy.js';
import { mapLimited } from '../../../shared/pool.js';
import { type BackfillProgress, backfillPrivacyIndexes } from '../../../shared/privacy/backfill.js';
import { runErasures } from '../../../shared/privacy/erasure.js';
import { anonymizeExpiredTickets } from '../../../shared/privacy/retention.js';
import { attachmentKeys } from '../../../shared/store/attachments.js';
import { eventKeys } from '../../../shared/store/events.js';
import { inviteKeys } from '../../../shared/store/invites.js';
import { privacyKeys } from '../../../shared/store/privacy.js';
import { ticketKeys } from '../../../shared/store/tickets.js';
import { postMessage } from '../../../shared/tickets/messages.js';
import { checkHttpAnswer } from '../../support/contract.js';
import { eventually } from '../../support/eventually.js';
import { type Person, world } from '../../support/world.js';
import { connectWs } from '../../support/ws.js';
import { useIsolatedGateway } from '../faults/isolated.js';

const isolated = useIsolatedGateway();

/** A request to the file's own gateway, its answer held to the committed API reference (docs/openapi.json). */
async function http(who: { token: string } | undefined, method: string, path: string, body?: unknown) {
  const answer = await call(isolated.urls.httpUrl, method, path, { token: who?.token, body });
  checkHttpAnswer(method, path, answer.status, Object.fromEntries(answer.headers), answer.body);
  return answer;
}

async function expectCall(who: { token: string }, method: string, path: string, status: number, body?: unknown) {
  const res = await http(who, method, path, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

/** A file uploaded the way the browser does: `POST /attachments`, then the presigned form to S3. */
async function upload(person: Person, fileName: string, content: string): Promise<string> {
  const created = await expectCall(person, 'POST', '/attachments', 201, {
    fileName,
    contentType: 'text/plain',
    size: Buffer.byteLength(content),
  });
  const form = new FormData();
  for (const [name, value] of Object.entries(created.upload.fields as Record<string, string>)) form.append(name, value);
  form.append('file', new Blob([content], { type: 'text/plain' }), fileName);
  const posted = await fetch(created.upload.url, { method: 'POST', body: form });
  expect(posted.status, await posted.clone().text()).toBeLessThan(300);
  return created.attachment.id;
}

/** The document an export answered, inline or behind its link. */
async function exported(answer: Json): Promise<Json> {
  if (answer.export) return answer.export;
  const res = await fetch(answer.downloadUrl);
  expect(res.status).toBe(200);
  return res.json();
}

async function signIn(person: Person): Promise<{ token: string; refreshToken: string }> {
  const res = await http(undefined, 'POST', '/auth/login', { email: person.email, password: person.password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { token: res.body.accessToken, refreshToken: res.body.refreshToken };
}

/** Runs the erasure job until the erasure is done. */
async function eraseFully(erasureId: string, admin: Person): Promise<Json> {
  return eventually(async () => {
    await runErasures();
    const erasure = await expectCall(admin, 'GET', `/erasures/${erasureId}`, 200);
    return erasure.status === 'done' && erasure;
  }, `erasure ${erasureId} done`);
}

/** Every item of the file's own table (a Scan: only a test may). */
async function everyItem(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoClient().send(
      new ScanCommand({ TableName: isolated.tableName, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Every object of the bucket, key and content. */
async function everyObject(): Promise<{ key: string; text: string }[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3Client().send(
      new ListObjectsV2Command({ Bucket: config.bucketName, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((object) => String(object.Key)));
    token = page.NextContinuationToken;
  } while (token);
  return mapLimited(keys, 8, async (key) => {
    const object = await s3Client().send(new GetObjectCommand({ Bucket: config.bucketName, Key: key }));
    return { key, text: (await object.Body?.transformToString('utf8')) ?? '' };
  });
}

const unique = () =>
  ulid()
    .slice(-8)
    .toLowerCase()
    .replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)] as string);

describe("a person's data under the LGPD", () => {
  it('exports all a customer did and nothing they could not see; erasure leaves nothing of them, reports intact, audited', async () => {
    const u = unique();
    const words = {
      subject: `zabumba${u}`,
      description: `xilogravura${u}`,
      message: `quiproquo${u}`,
      chat: `cafundo${u}`,
      rating: `borogodo${u}`,
      followed: `pirilampo${u}`,
      file: `zumbido${u}`,
    };
    const name = `Marina Tavares ${u}`;
    const email = `marina-${u}@example.com`;
    const company = await world.group({ name: `Ótica ${u}` });
    const admin = await world.admin();
    const agent = await world.agent();
    const marina = await world.customer({ name, email, group: company });
    const colleague = await world.customer({ group: company });
    const stranger = await world.customer();
    const session = await signIn(marina);

    // Marina opens a ticket with a file, writes on it, and chats (a chat ticket over the WebSocket API).
    const fileId = await upload(marina, `comprovante-${words.file}.txt`, `conteúdo ${words.file} de ${name}`);
    const { ticket } = await expectCall(marina, 'POST', '/tickets', 201, {
      groupId: company.id,
      topic: 'other',
      subject: `Nota fiscal ${words.subject}`,
      description: `Sou ${name}: ${words.description}`,
      attachmentIds: [fileId],
    });
    const { event: message } = await expectCall(marina, 'POST', `/tickets/${ticket.id}/messages`, 201, {
      body: `Mais detalhes: ${words.message}`,
    });
    const connectionTicket = await expectCall(session, 'POST', '/realtime/ticket', 201);
    const socket = await connectWs({ ticket: connectionTicket.ticket }, { url: isolated.urls.wsUrl });
    socket.send({ action: 'chat.start', requestId: 'start', topic: 'other', message: `Oi, ${words.chat}` });
    const started = await socket.next((f) => f.requestId === 'start');
    expect(started.type, JSON.stringify(started)).toBe('chat.started');
    const chatId = started.ticket.id;

    // Staff answer; a note between staff stays staff's; the ticket is resolved and Marina rates it.
    await expectCall(agent, 'POST', `/tickets/${ticket.id}/messages`, 201, { body: 'Vamos verificar a nota.' });
    const secret = `sigilo${u}`;
    await expectCall(agent, 'POST', `/tickets/${ticket.id}/notes`, 201, { body: `Nota interna ${secret}` });
    await expectCall(agent, 'PATCH', `/tickets/${ticket.id}`, 200, { status: 'resolved' });
    await expectCall(marina, 'POST', `/tickets/${ticket.id}/satisfaction`, 201, {
      score: 4,
      comment: `Ótimo, ${words.rating}`,
    });

    // She follows a colleague's ticket and writes on it, with a file.
    const { ticket: colleagues } = await expectCall(colleague, 'POST', '/tickets', 201, {
      groupId: company.id,
      topic: 'other',
      subject: 'Boleto duplicado',
      description: 'Recebi dois boletos.',
    });
    await expectCall(marina, 'PUT', `/tickets/${colleagues.id}/followers/me`, 204);
    const secondFile = await upload(marina, `print-${words.followed}.txt`, `mais ${words.followed}`);
    await expectCall(marina, 'POST', `/tickets/${colleagues.id}/messages`, 201, {
      body: `Comigo também: ${words.followed}`,
      attachmentIds: [secondFile],
    });
    // Someone else's ticket, which she cannot see.
    const { ticket: elsewhere } = await expectCall(stranger, 'POST', '/tickets', 201, {
      groupId: stranger.group.id,
      topic: 'other',
      subject: `Alheio ${u}`,
      description: 'Nada a ver.',
    });

    // Her export: all of it, and of others only what she could see.
    const own = await exported(await expectCall(session, 'GET', '/me/data-export', 200));
    expect(own.profile).toMatchObject({ id: marina.user.id, name, email, role: 'customer' });
    expect(own.memberships).toEqual([{ id: company.id, name: company.name }]);
    expect(own.sessions).toHaveLength(1);
    expect(own.tickets.map((t: Json) => t.id).sort()).toEqual([ticket.id, chatId, colleagues.id].sort());
    expect(own.messages.map((e: Json) => e.data.body)).toEqual([
      `Mais detalhes: ${words.message}`,
      `Oi, ${words.chat}`,
      `Comigo também: ${words.followed}`,
    ]);
    expect(own.messages[0].id).toBe(message.id);
    expect(own.ratings.map((e: Json) => e.data)).toEqual([{ score: 4, comment: `Ótimo, ${words.rating}` }]);
    expect(own.files.map((f: Json) => f.id).sort()).toEqual([fileId, secondFile].sort());
    const download = await fetch(own.files.find((f: Json) => f.id === fileId).downloadUrl);
    expect(await download.text()).toContain(words.file);
    const chat = own.tickets.find((t: Json) => t.id === chatId);
    expect(chat.events.map((e: Json) => e.type)).toContain('created');
    expect(JSON.stringify(chat)).toContain(words.chat);
    const text = JSON.stringify(own);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(elsewhere.id);
    expect(text).not.toMatch(/passwordHash|tokenHash|refreshToken/);
    // The admin's export of her is her own view.
    const byAdmin = await exported(await expectCall(admin, 'GET', `/users/${marina.user.id}/data-export`, 200));
    const comparable = (document: Json) =>
      JSON.stringify({ ...document, generatedAt: null, files: document.files.map((f: Json) => f.id) });
    expect(comparable(byAdmin)).toBe(comparable(own));

    // Before the erasure: a word only her ticket had finds it; the reports count her company's tickets (the
    // chat belongs to no group).
    const search = (word: string) => http(agent, 'GET', `/tickets?q=${word}`);
    expect((await search(words.subject)).body.items.map((t: Json) => t.id)).toEqual([ticket.id]);
    const today = new Date().toISOString().slice(0, 10);
    const report = async () =>
      (await expectCall(admin, 'GET', `/reports/summary?from=${today}&to=${today}&by=group`, 200)).rows.find(
        (row: Json) => row.key === company.id,
      );
    const before = await report();
    const shape = async () =>
      (await expectCall(agent, 'GET', `/tickets/${ticket.id}/events`, 200)).items.map((e: Json) => [e.id, e.type]);
    const shapeBefore = await shape();
    expect(before).toMatchObject({ created: 2, resolved: 1, satisfaction: { responses: 1 } });

    // The erasure: asked for with a reason, she is signed out at once, and the job does the rest.
    const asked = await expectCall(admin, 'POST', `/users/${marina.user.id}/erase`, 202, {
      reason: 'Pedido do titular (LGPD, art. 18, VI)',
    });
    expect(asked.erasure).toEqual({ id: expect.any(String), status: 'pending' });
    await socket.closed;
    expect((await http(session, 'GET', '/me')).status).toBe(401);
    expect((await http(marina, 'GET', '/me')).status).toBe(401);
    expect((await http(undefined, 'POST', '/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    const done = await eraseFully(asked.erasure.id, admin);
    expect(done).toMatchObject({ id: asked.erasure.id, userId: marina.user.id, status: 'done' });
    expect(done.counts).toMatchObject({ files: 2, memberships: 1, sessions: 1 });

    // Nothing of her is left in any item of the table or any object of the bucket.
    const needles = [name, email, ...Object.values(words)].map((needle) => needle.toLowerCase());
    const leftovers = (await everyItem())
      .map((item) => JSON.stringify(item).toLowerCase())
      .filter((item) => needles.some((needle) => item.includes(needle)));
    expect(leftovers).toEqual([]);
    const objects = (await everyObject()).filter(({ key, text }) =>
      needles.some((needle) => `${key}\n${text}`.toLowerCase().includes(needle)),
    );
    expect(objects.map((o) => o.key)).toEqual([]);

    // Timelines keep their events, by "Pessoa removida"; her ticket still counts; the word finds nothing.
    expect(await shape()).toEqual(shapeBefore);
    const timeline = (await expectCall(agent, 'GET', `/tickets/${ticket.id}/events`, 200)).items;
    expect(timeline.find((e: Json) => e.id === message.id).actor).toMatchObject({
      id: marina.user.id,
      name: erasedName,
    });
    expect((await search(words.subject)).body.items).toEqual([]);
    expect(await report()).toEqual(before);
    const erased = (await expectCall(admin, 'GET', '/staff', 200)).items.find((p: Json) => p.id === marina.user.id);
    expect(erased).toBeUndefined();

    // The audit trail says who asked, and about whom (ids only).
    const lines = isolated.records as ((typeof isolated.records)[number] & { resource?: Json })[];
    for (const action of ['user.erase', 'user.data_export']) {
      expect(lines).toContainEqual(
        expect.objectContaining({
          action,
          status: action === 'user.erase' ? 202 : 200,
          principal: expect.objectContaining({ userId: admin.user.id, role: 'admin' }),
          resource: { type: 'user', id: marina.user.id },
        }),
      );
    }
    expect(lines).toContainEqual(
      expect.objectContaining({
        action: 'me.data_export',
        principal: expect.objectContaining({ userId: marina.user.id }),
      }),
    );
  });

  it('answers an agent on every admin route with 403, and an unknown person with 404', async () => {
    const agent = await world.agent();
    const admin = await world.admin();
    const someone = await world.customer();
    for (const [method, path, body] of [
      ['GET', `/users/${someone.user.id}/data-export`],
      ['POST', `/users/${someone.user.id}/erase`, { reason: 'teste' }],
      ['GET', `/erasures/${ulid()}`],
      ['PUT', '/retention-policy', { closedTicketAnonymizeAfterDays: 30 }],
    ] as const) {
      const res = await http(agent, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await http(agent, 'GET', '/retention-policy')).status).toBe(403);
    expect((await http(admin, 'POST', `/users/${ulid()}/erase`, { reason: 'x' })).status).toBe(404);
    expect((await http(admin, 'GET', `/erasures/${ulid()}`)).status).toBe(404);
    const noReason = await http(admin, 'POST', `/users/${someone.user.id}/erase`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'reason' })]));
    // Nothing was half-written: the person is still there, active.
    expect((await http(someone, 'GET', '/me')).status).toBe(200);
  });

  it('finishes an erasure that stopped halfway, counting nothing twice', async () => {
    const admin = await world.admin();
    const customer = await world.customer({ name: `Rui Interrompido ${unique()}` });
    const opened: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { ticket } = await expectCall(customer, 'POST', '/tickets', 201, {
        groupId: customer.group.id,
        topic: 'other',
        subject: `Pedido ${i}`,
        description: 'Texto',
      });
      opened.push(ticket.id);
      for (let m = 0; m < 12; m++) {
        await postMessage(customer.principal, ticket.id, { body: `mensagem ${m}` });
      }
    }
    // Erasures other tests left pending go first, so that the one page below is this erasure's.
    while ((await runErasures()).pages > 0);
    const asked = await expectCall(admin, 'POST', `/users/${customer.user.id}/erase`, 202, { reason: 'teste' });
    // One page, then the run "crashes" before recording it: the job is put back where it started.
    await runErasures({ maxPages: 1 });
    await dynamoClient().send(
      new UpdateCommand({
        TableName: isolated.tableName,
        Key: privacyKeys.erasure(asked.erasure.id),
        UpdateExpression: 'SET step = :events, #counts = :zero REMOVE #cursor, leaseUntil',
        ExpressionAttributeNames: { '#counts': 'counts', '#cursor': 'cursor' },
        ExpressionAttributeValues: {
          ':events': 'events',
          ':zero': { events: 0, tickets: 0, files: 0, mail: 0, invites: 0, memberships: 0, sessions: 0 },
        },
      }),
    );
    const done = await eraseFully(asked.erasure.id, admin);
    // The first page's 25 events were erased by the stopped run: the rerun counts only what it changed.
    expect(done.counts.events).toBe(3 * 13 - 25);
    for (const ticketId of opened) {
      const events = (await expectCall(admin, 'GET', `/tickets/${ticketId}/events?limit=100`, 200)).items;
      expect(events).toHaveLength(13);
      expect(events.every((e: Json) => e.actor.name === erasedName)).toBe(true);
      expect(
        events.filter((e: Json) => e.type === 'message').every((e: Json) => !e.data.body.includes('mensagem')),
      ).toBe(true);
    }
  });

  it('refuses to erase the last active admin (409), leaving them as they were', async () => {
    const last = await world.admin();
    const staff = (await expectCall(last, 'GET', '/staff', 200)).items;
    for (const other of staff) {
      if (other.role === 'admin' && other.status === 'active' && other.id !== last.user.id) {
        await expectCall(last, 'PATCH', `/users/${other.id}`, 200, { status: 'disabled' });
      }
    }
    const refused = await http(last, 'POST', `/users/${last.user.id}/erase`, { reason: 'sair' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect((await expectCall(last, 'GET', '/me', 200)).user).toMatchObject({ role: 'admin', status: 'active' });
  });

  it('anonymizes closed tickets once the retention policy says so, and no others', async () => {
    const admin = await world.admin();
    const auditor = await world.auditor();
    const agent = await world.agent();
    const customer = await world.customer({ name: `Olga Retida ${unique()}` });
    const word = `retencao${unique()}`;
    const open = async (subject: string) => {
      const fileId = await upload(customer, `anexo-${word}.txt`, `conteúdo ${word}`);
      const { ticket } = await expectCall(customer, 'POST', '/tickets', 201, {
        groupId: customer.group.id,
        topic: 'other',
        subject,
        description: `Escrito por ${customer.user.name}`,
        attachmentIds: [fileId],
      });
      return { ticket, fileId };
    };
    const old = await open(`Antigo ${word}`);
    const kept = await open(`Aberto ${word}`);
    await expectCall(agent, 'POST', `/tickets/${old.ticket.id}/messages`, 201, { body: `Resposta sobre ${word}` });
    await expectCall(agent, 'PATCH', `/tickets/${old.ticket.id}`, 200, { status: 'closed' });

    expect(await expectCall(auditor, 'GET', '/retention-policy', 200)).toEqual({});
    const policy = { closedTicketAnonymizeAfterDays: 30 };
    expect(await expectCall(admin, 'PUT', '/retention-policy', 200, policy)).toEqual(policy);
    expect(await expectCall(auditor, 'GET', '/retention-policy', 200)).toEqual(policy);
    expect((await http(auditor, 'PUT', '/retention-policy', policy)).status).toBe(403);
    const zero = await http(admin, 'PUT', '/retention-policy', { closedTicketAnonymizeAfterDays: 0 });
    expect(zero.status).toBe(400);

    // Today nothing is due; 31 days on, the closed ticket is.
    expect(await anonymizeExpiredTickets()).toEqual({ anonymized: 0 });
    const later = new Date(Date.now() + 31 * 24 * 60 * 60 * 1000);
    expect(await anonymizeExpiredTickets({ now: later })).toEqual({ anonymized: 1 });
    expect(await anonymizeExpiredTickets({ now: later })).toEqual({ anonymized: 0 });

    const anonymous = (await expectCall(agent, 'GET', `/tickets/${old.ticket.id}`, 200)).ticket;
    expect(anonymous).toMatchObject({ number: old.ticket.number, status: 'closed', requesterName: erasedName });
    const timeline = (await expectCall(agent, 'GET', `/tickets/${old.ticket.id}/events`, 200)).items;
    expect(JSON.stringify([anonymous, timeline])).not.toContain(word);
    expect(JSON.stringify([anonymous, timeline])).not.toContain(customer.user.name);
    expect(timeline.find((e: Json) => e.type === 'message').actor.name).toBe(agent.user.name);
    expect((await http(agent, 'GET', `/attachments/${old.fileId}`)).status).toBe(404);
    const found = (await http(agent, 'GET', `/tickets?q=${word}`)).body.items.map((t: Json) => t.id);
    expect(found).toEqual([kept.ticket.id]);
    expect((await expectCall(agent, 'GET', `/tickets/${kept.ticket.id}`, 200)).ticket.subject).toBe(`Aberto ${word}`);

    expect(await expectCall(admin, 'PUT', '/retention-policy', 200, {})).toEqual({});
    expect(await anonymizeExpiredTickets({ now: later })).toEqual({ anonymized: 0 });
  });

  it('finds, after npm run privacy:backfill, what was written before the index keys existed', async () => {
    const admin = await world.admin();
    const agent = await world.agent();
    const customer = await world.customer();
    const fileId = await upload(customer, 'antigo.txt', 'arquivo antigo');
    const { ticket } = await expectCall(customer, 'POST', '/tickets', 201, {
      groupId: customer.group.id,
      topic: 'other',
      subject: 'Chamado antigo',
      description: 'De antes',
      attachmentIds: [fileId],
    });
    await expectCall(customer, 'POST', `/tickets/${ticket.id}/messages`, 201, { body: 'Mensagem antiga' });
    // A second ticket, so that a page of one ticket leaves the month unfinished.
    await expectCall(customer, 'POST', '/tickets', 201, {
      groupId: customer.group.id,
      topic: 'other',
      subject: 'Outro',
      description: 'Mais um',
    });
    await expectCall(agent, 'PATCH', `/tickets/${ticket.id}`, 200, { status: 'closed' });
    const other = await world.group();
    const { invite } = await expectCall(admin, 'POST', `/groups/${other.id}/invites`, 201, { email: customer.email });
    // As an older version wrote them: no index keys on the events, the file, the invitation; no closed entry.
    const events = (await expectCall(agent, 'GET', `/tickets/${ticket.id}/events`, 200)).items;
    const strip = (key: Record<string, string>, attributes: string[]) =>
      dynamoClient().send(
        new UpdateCommand({
          TableName: isolated.tableName,
          Key: key,
          UpdateExpression: `REMOVE ${attributes.join(', ')}`,
        }),
      );
    for (const event of events) await strip(eventKeys.event(ticket.id, event.id), ['gsi1pk', 'gsi1sk']);
    await strip(attachmentKeys.attachment(fileId), ['gsi1pk', 'gsi1sk']);
    await strip(inviteKeys.invite(invite.id), ['gsi2pk', 'gsi2sk']);
    await dynamoClient().send(
      new DeleteCommand({ TableName: isolated.tableName, Key: ticketKeys.closedEntry(ticket.id) }),
    );
    const before = await exported(await expectCall(customer, 'GET', '/me/data-export', 200));
    expect([before.messages, before.files, before.invitations]).toEqual([[], [], []]);

    const reports: BackfillProgress[] = [];
    const done = await backfillPrivacyIndexes({ pageSize: 1, progress: (p) => reports.push(p) });
    expect(done.events).toBeGreaterThanOrEqual(events.length);
    expect(done).toMatchObject({ files: expect.any(Number), invites: expect.any(Number) });
    expect(done.files).toBeGreaterThanOrEqual(1);
    expect(done.invites).toBeGreaterThanOrEqual(1);
    expect(done.closed).toBeGreaterThanOrEqual(1);
    expect(reports.length).toBeGreaterThan(1);
    const after = await exported(await expectCall(customer, 'GET', '/me/data-export', 200));
    expect(after.messages.map((e: Json) => e.data.body)).toEqual(['Mensagem antiga']);
    expect(after.tickets.find((t: Json) => t.id === ticket.id).events).toHaveLength(events.length);
    expect(after.files.map((f: Json) => f.id)).toEqual([fileId]);
    expect(after.invitations.map((i: Json) => i.id)).toEqual([invite.id]);
    // Resumed from a report's place, or run again: nothing is added twice.
    const middle = reports.find((p) => p.after !== undefined) as BackfillProgress;
    const resumed = await backfillPrivacyIndexes({ since: middle.month, after: middle.after, progress: () => {} });
    expect(resumed).toMatchObject({ events: 0, files: 0, closed: 0, invites: 0 });
  });

  it('exports a person with a thousand messages completely, through a link', async () => {
    const writer = await world.customer();
    const { ticket } = await expectCall(writer, 'POST', '/tickets', 201, {
      groupId: writer.group.id,
      topic: 'other',
      subject: 'Muitas mensagens',
      description: 'Uma conversa longa',
    });
    await mapLimited(
      Array.from({ length: 1000 }, (_, i) => i),
      8,
      (i) => postMessage(writer.principal, ticket.id, { body: `mensagem número ${i} ${'x'.repeat(200)}` }),
    );
    const answer = await expectCall(writer, 'GET', '/me/data-export', 200);
    expect(answer).toEqual({ downloadUrl: expect.any(String) });
    const document = await exported(answer);
    expect(document.messages).toHaveLength(1000);
    expect(new Set(document.messages.map((e: Json) => e.data.body.split(' ')[2])).size).toBe(1000);
    expect(document.tickets).toHaveLength(1);
    expect(document.tickets[0].events).toHaveLength(1001);
  }, 120_000);
});
