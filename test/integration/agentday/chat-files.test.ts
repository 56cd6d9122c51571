// Files in chat: chat.start and message.send take the files uploaded with POST /attachments, checked as
// for portal messages, and both sides see them on the message.
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { api } from '../../support/http.js';
import { timeline } from '../../support/pages.js';
import { world } from '../../support/world.js';
import { connectAs, expectError, expectReply, startChat } from '../chat/support.js';
import { uploadFile } from '../tickets/support.js';

const screenshot = { fileName: 'tela.png', contentType: 'image/png', content: Buffer.from('\x89PNG fake pixels') };

describe('files in chat', () => {
  it('start a chat with a screenshot and send an XML later; the agent sees and downloads both', async () => {
    const person = await world.platformUser();
    const chatter = await connectAs(person);
    const shot = await uploadFile(person, screenshot);

    const { ticket, events } = await startChat(chatter, { message: 'Veja a tela de erro', attachmentIds: [shot.id] });

    expect(ticket.attachments).toEqual([expect.objectContaining({ id: shot.id, fileName: 'tela.png' })]);
    const first = events.find((e) => e.type === 'message');
    expect(first.data).toMatchObject({
      body: 'Veja a tela de erro',
      attachments: [expect.objectContaining({ id: shot.id })],
    });

    const agent = await world.agent();
    const staff = await connectAs(agent);
    await expectReply(staff, 'ticket.subscribed', 'ticket.subscribe', { ticketId: ticket.id });
    const xml = await uploadFile(person, { fileName: 'nota.xml', contentType: 'application/xml', content: '<nfe/>' });
    const ack = await expectReply(chatter, 'message.ack', 'message.send', {
      ticketId: ticket.id,
      body: 'E o XML',
      clientMessageId: `cm-${ulid()}`,
      attachmentIds: [xml.id],
    });
    expect(ack.event.data.attachments).toEqual([expect.objectContaining({ id: xml.id, fileName: 'nota.xml' })]);
    const pushed = await staff.next((f) => f.type === 'event' && f.event.id === ack.event.id);
    expect(pushed.event.data.attachments).toEqual(ack.event.data.attachments);

    for (const id of [shot.id, xml.id]) {
      expect((await api.get(`/attachments/${id}`, { token: agent.token })).status).toBe(200);
      expect((await api.get(`/attachments/${id}`, { token: (await world.platformUser()).token })).status).toBe(404);
    }
    expect(
      (await timeline(person, ticket.id)).filter((e) => e.type === 'message').map((e) => e.data.attachments.length),
    ).toEqual([1, 1]);
  });

  it("refuses someone else's upload with the frame's requestId, storing nothing", async () => {
    const person = await world.platformUser();
    const chatter = await connectAs(person);
    const { ticket } = await startChat(chatter);
    const theirs = await uploadFile(await world.customer(), screenshot);

    const error = await expectError(chatter, 'validation_failed', 'message.send', {
      ticketId: ticket.id,
      body: 'com arquivo alheio',
      clientMessageId: `cm-${ulid()}`,
      attachmentIds: [theirs.id],
    });
    expect(error.error.details).toEqual([expect.objectContaining({ path: 'attachmentIds.0' })]);
    expect((await timeline(person, ticket.id)).filter((e) => e.type === 'message')).toHaveLength(1);
    await expectError(chatter, 'validation_failed', 'chat.start', {
      topic: 'other',
      message: 'oi',
      attachmentIds: ['not-an-id'],
    });
  });
});
