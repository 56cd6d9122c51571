import { UnsubscribeBody, UnsubscribeQuery } from '../../../shared/domain/notifications.js';
import { ValidationFailed } from '../../../shared/errors.js';
import { httpHandler, noContent } from '../../../shared/http/handler.js';
import { unsubscribe } from '../../../shared/mail/unsubscribe.js';

export const handler = httpHandler({
  action: 'notifications.unsubscribe',
  auth: false,
  body: UnsubscribeBody,
  query: UnsubscribeQuery,
  acceptsForm: true,
  async run({ body, query }) {
    const token = body.token ?? query.token;
    if (token === undefined) throw ValidationFailed.of('token', 'required');
    // The same answer whether or not the token was genuine: it tells nobody whose it is.
    await unsubscribe(token);
    return noContent();
  },
});
