import { ErasureParams } from '../../../shared/domain/privacy.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { getErasureView } from '../../../shared/privacy/erasure.js';

export const handler = httpHandler({
  action: 'erasure.get',
  roles: ['admin'],
  params: ErasureParams,
  resource: { type: 'erasure', param: 'id' },
  async run({ params }) {
    return ok(await getErasureView(params.id));
  },
});
