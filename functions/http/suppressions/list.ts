import { ListSuppressionsQuery } from '../../../shared/domain/suppressions.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { listSuppressions } from '../../../shared/mail/suppressions.js';

export const handler = httpHandler({
  action: 'suppression.list',
  roles: ['admin'],
  query: ListSuppressionsQuery,
  async run({ query }) {
    return ok(await listSuppressions(query));
  },
});
