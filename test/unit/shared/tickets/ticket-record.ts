import type { TicketRecord } from '../../../../shared/domain/tickets.js';

/** A stored portal ticket for unit tests, with what a test is about given in `fields`. */
export const ticketRecord = (fields: Partial<TicketRecord> = {}): TicketRecord => ({
  id: '01J0000000000000000000TCKT',
  number: 1,
  requesterId: 'U1',
  requesterName: 'Ana',
  requesterEmail: 'ana@example.com',
  followerIds: [],
  subject: 's',
  description: 'd',
  topic: 'other',
  priority: 'normal',
  status: 'open',
  channel: 'portal',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  version: 1,
  attachments: [],
  words: [],
  lastEventId: '01J0000000000000000000EVN1',
  ...fields,
});
