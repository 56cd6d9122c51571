import { NotFound } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http/handler.js';

/** The `$default` route: what no other route matches gets the contract's 404, here as deployed. */
export const handler = httpHandler({
  action: 'route.unknown',
  auth: false,
  async run() {
    throw new NotFound('route');
  },
});
