import { describe, expect, it } from 'vitest';
import type { Attachment } from '../../../../shared/domain/attachments.js';
import type { EventDraft } from '../../../../shared/domain/events.js';
import {
  anonymizeClosedBefore,
  anonymizedTicket,
  erasedEmail,
  erasedEventData,
  erasedFileName,
  erasedName,
  erasedSubject,
  erasedText,
  erasedTicket,
  RetentionPolicyBody,
} from '../../../../shared/domain/privacy.js';
import type { TicketRecord } from '../../../../shared/domain/tickets.js';

const file = (id: string, uploadedBy: string): Attachment => ({
  id,
  fileName: `nota-${id}.pdf`,
  contentType: 'application/pdf',
  size: 10,
  uploadedBy,
  createdAt: '2026-01-01T00:00:00.000Z',
});

const record = (overrides: Partial<TicketRecord> = {}): TicketRecord => ({
  id: 'T1',
  number: 7,
  groupId: 'G1',
  requesterId: 'ANA',
  requesterName: 'Ana Souza',
  requesterEmail: 'ana@example.com',
  subject: 'Nota de Ana',
  description: 'Sou a Ana',
  topic: 'other',
  priority: 'normal',
  status: 'closed',
  channel: 'portal',
  documentRef: { type: 'nfe', id: '123', title: 'NF de Ana' },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  version: 3,
  attachments: [file('A', 'ANA'), file('B', 'BIA')],
  followerIds: ['BIA', 'ANA'],
  words: ['nota', 'ana'],
  lastEventId: 'E9',
  ...overrides,
});

describe('erasing what identifies someone', () => {
  it("takes the words and files' names out of an event's data, keeping what counts", () => {
    const message: EventDraft = { type: 'message', data: { body: 'Sou a Ana', attachments: [file('A', 'ANA')] } };
    expect(erasedEventData(message)).toEqual({
      body: erasedText,
      attachments: [{ ...file('A', 'ANA'), fileName: erasedFileName }],
    });
    const rating: EventDraft = { type: 'satisfaction', data: { score: 4, comment: 'Ana adorou' } };
    expect(erasedEventData(rating)).toEqual({ score: 4 });
    const status: EventDraft = { type: 'status_changed', data: { from: 'open', to: 'resolved' } };
    expect(erasedEventData(status)).toEqual(status.data);
    const created: EventDraft = {
      type: 'created',
      data: {
        subject: 'Nota de Ana',
        description: 'Sou a Ana',
        topic: 'other',
        priority: 'normal',
        status: 'new',
        channel: 'portal',
        documentRef: { type: 'nfe', id: '123' },
        attachments: [],
      },
    };
    expect(JSON.stringify(erasedEventData(created))).not.toMatch(/Ana|123/);
    expect(erasedEventData(created)).toMatchObject({ subject: erasedSubject, topic: 'other', priority: 'normal' });
  });

  it("erases a requester's ticket: name, address, texts, words, their files' names and their follow", () => {
    const erased = erasedTicket(record(), 'ANA', false);
    expect(JSON.stringify(erased)).not.toMatch(/Ana|ana@example/);
    expect(erased).toMatchObject({
      requesterId: 'ANA',
      requesterName: erasedName,
      requesterEmail: erasedEmail('ANA'),
      subject: erasedSubject,
      description: erasedText,
      words: [],
      followerIds: ['BIA'],
      number: 7,
      status: 'closed',
    });
    expect(erased.attachments.map((a) => a.fileName)).toEqual([erasedFileName, 'nota-B.pdf']);
    expect(erasedTicket(erased, 'ANA', false)).toEqual(erased);
  });

  it("leaves a colleague's ticket its texts, taking out only the follower's follow and files' names", () => {
    const erased = erasedTicket(record(), 'BIA', false);
    expect(erased).toMatchObject({ subject: 'Nota de Ana', requesterName: 'Ana Souza', followerIds: ['ANA'] });
    expect(erased.attachments.map((a) => a.fileName)).toEqual(['nota-A.pdf', erasedFileName]);
    expect(erasedTicket(record(), 'BIA', true)).toMatchObject({ subject: erasedSubject, words: [] });
  });

  it("anonymizes a ticket for retention: everyone's files and the requester", () => {
    const anonymous = anonymizedTicket(record());
    expect(anonymous.attachments.every((a) => a.fileName === erasedFileName)).toBe(true);
    expect(JSON.stringify(anonymous)).not.toMatch(/Ana|NF de/);
  });

  it('gives an erased profile an address that is no one and is never delivered', () => {
    expect(erasedEmail('01ABC')).toBe('removida-01abc@atende.invalid');
  });
});

describe('the retention policy', () => {
  it('dates the closing before which tickets are anonymized, or none without days', () => {
    const now = new Date('2026-03-31T12:00:00.000Z');
    expect(anonymizeClosedBefore({ closedTicketAnonymizeAfterDays: 30 }, now)).toBe('2026-03-01T12:00:00.000Z');
    expect(anonymizeClosedBefore({}, now)).toBeUndefined();
  });

  it('takes whole days from 1 to 3650, or nothing', () => {
    for (const ok of [{}, { closedTicketAnonymizeAfterDays: 1 }, { closedTicketAnonymizeAfterDays: 3650 }]) {
      expect(RetentionPolicyBody.safeParse(ok).success).toBe(true);
    }
    for (const bad of [{ closedTicketAnonymizeAfterDays: 0 }, { closedTicketAnonymizeAfterDays: 1.5 }, { days: 3 }]) {
      expect(RetentionPolicyBody.safeParse(bad).success).toBe(false);
    }
  });
});
