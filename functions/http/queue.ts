import { agents } from '../../shared/domain/roles.js';
import { httpHandler, ok } from '../../shared/http/handler.js';
import { listQueue } from '../../shared/tickets/reads.js';

export const handler = httpHandler({
  action: 'queue.list',
  roles: agents,
  async run({ principal }) {
    return ok({ items: await listQueue(principal) });
  },
});
