import { UserParams } from '../../../shared/domain/users.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { exportPersonData } from '../../../shared/privacy/export.js';

// The request log line names the admin (principal) and whom the export concerned (resource).
export const handler = httpHandler({
  action: 'user.data_export',
  roles: ['admin'],
  params: UserParams,
  resource: { type: 'user', param: 'userId' },
  async run({ params }) {
    return ok(await exportPersonData(params.userId));
  },
});
