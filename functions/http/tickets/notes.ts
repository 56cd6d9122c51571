import { agents } from '../../../shared/domain/roles.js';
import { PostNoteBody, TicketParams } from '../../../shared/domain/tickets.js';
import { created, httpHandler } from '../../../shared/http/handler.js';
import { postNote } from '../../../shared/tickets/notes.js';

export const handler = httpHandler({
  action: 'ticket.note',
  roles: agents,
  params: TicketParams,
  body: PostNoteBody,
  resource: { type: 'ticket', param: 'id' },
  async run({ principal, params, body }) {
    return created({ event: await postNote(principal, params.id, body) });
  },
});
