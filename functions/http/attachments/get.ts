import { AttachmentParams } from '../../../shared/domain/attachments.js';
import { httpHandler, ok } from '../../../shared/http/handler.js';
import { downloadAttachment } from '../../../shared/tickets/attachments.js';

export const handler = httpHandler({
  action: 'attachment.download',
  params: AttachmentParams,
  resource: { type: 'attachment', param: 'id' },
  async run({ principal, params }) {
    return ok(await downloadAttachment(principal, params.id));
  },
});
