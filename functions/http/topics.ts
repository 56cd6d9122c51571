import { topics } from '../../shared/domain/topics.js';
import { httpHandler, ok } from '../../shared/http/handler.js';

export const handler = httpHandler({
  action: 'topic.list',
  async run() {
    return ok({ items: topics });
  },
});
