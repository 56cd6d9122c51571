import { httpHandler, ok } from '../../shared/http/handler.js';
import { exportOwnData } from '../../shared/privacy/export.js';

export const handler = httpHandler({
  action: 'me.data_export',
  async run({ principal, setResource }) {
    setResource('user', principal.userId);
    return ok(await exportOwnData(principal));
  },
});
