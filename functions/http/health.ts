import { config } from '../../shared/config.js';
import { httpHandler, ok } from '../../shared/http/handler.js';
import { checkTable } from '../../shared/store/health.js';

export const handler = httpHandler({
  action: 'health.check',
  auth: false,
  async run() {
    await checkTable();
    return ok({ status: 'ok', version: config.version });
  },
});
