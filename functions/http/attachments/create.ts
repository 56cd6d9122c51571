import { CreateAttachmentBody } from '../../../shared/domain/attachments.js';
import { writers } from '../../../shared/domain/roles.js';
import { created, httpHandler } from '../../../shared/http/handler.js';
import { createUpload } from '../../../shared/tickets/attachments.js';

export const handler = httpHandler({
  action: 'attachment.create',
  roles: writers,
  body: CreateAttachmentBody,
  resource: { type: 'attachment' },
  async run({ principal, body, setResource }) {
    const upload = await createUpload(principal, body);
    setResource('attachment', upload.attachment.id);
    return created(upload);
  },
});
