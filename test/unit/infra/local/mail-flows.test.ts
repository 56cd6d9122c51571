// The local stand-ins for SES's mail events: the mailbox simulator's bounce and complaint events, and the
// receipt event the SMTP listener builds, checked against the shapes SES documents.
import { describe, expect, it } from 'vitest';
import { localConfigurationSet } from '../../../../infra/local/environment.js';
import { simulatorEvents } from '../../../../infra/local/ses-events.js';
import { headerSection, receiptEvent } from '../../../../infra/local/smtp.js';

const now = new Date('2026-03-01T12:00:00Z');

describe('the mailbox simulator', () => {
  const send = (to: string[], configurationSet = localConfigurationSet) => ({
    FromEmailAddress: 'Atende <support@atende.local>',
    Destination: { ToAddresses: to },
    ConfigurationSetName: configurationSet,
    EmailTags: [{ Name: 'atende-outbox', Value: '01OUTBOX' }],
  });

  it('bounces mail to bounce@ permanently, with the message tags, as EventBridge delivers it', () => {
    const [event, ...rest] = simulatorEvents(send(['bounce+x@simulator.amazonses.com']), 'msg-1', now) as Record<
      string,
      // biome-ignore lint/suspicious/noExplicitAny: an event walked by hand.
      any
    >[];
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      source: 'aws.ses',
      'detail-type': 'Email Bounced',
      time: now.toISOString(),
      detail: {
        eventType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bouncedRecipients: [{ emailAddress: 'bounce+x@simulator.amazonses.com' }],
        },
        mail: {
          messageId: 'msg-1',
          source: 'support@atende.local',
          tags: { 'ses:configuration-set': [localConfigurationSet], 'atende-outbox': ['01OUTBOX'] },
        },
      },
    });
  });

  it('complains about mail to complaint@', () => {
    const [event] = simulatorEvents(send(['"C" <complaint@simulator.amazonses.com>']), 'msg-2', now) as {
      detail: { eventType: string; complaint: { complainedRecipients: { emailAddress: string }[] } };
    }[];
    expect(event?.detail.eventType).toBe('Complaint');
    expect(event?.detail.complaint.complainedRecipients).toEqual([
      { emailAddress: 'complaint@simulator.amazonses.com' },
    ]);
  });

  it('publishes nothing for other addresses, or without the configuration set', () => {
    expect(simulatorEvents(send(['ana@example.com', 'success@simulator.amazonses.com']), 'm', now)).toEqual([]);
    expect(simulatorEvents(send(['bounce@simulator.amazonses.com'], 'another-set'), 'm', now)).toEqual([]);
    const { ConfigurationSetName, ...withoutSet } = send(['bounce@simulator.amazonses.com']);
    expect(simulatorEvents(withoutSet, 'm', now)).toEqual([]);
  });
});

describe('the receipt event', () => {
  it('lists the headers and decodes the common ones, reading the header section only', async () => {
    const raw = Buffer.from(
      [
        'From: =?UTF-8?Q?Jo=C3=A3o?= <joao@example.com>',
        'To: atendimento@atende.local',
        'Subject: =?UTF-8?B?Q29icmFuw6dh?=',
        'Message-ID: <abc@example.com>',
        'Auto-Submitted: auto-replied',
        'X-Long: one',
        ' two',
        '',
        'Subject: not a header, the body',
      ].join('\r\n'),
    );
    const event = (await receiptEvent({
      raw,
      source: 'joao@example.com',
      recipients: ['atendimento@atende.local'],
      messageId: 'ses-id',
      now,
    })) as {
      // biome-ignore lint/suspicious/noExplicitAny: an event walked by hand.
      Records: { eventSource: string; ses: { mail: any; receipt: any } }[];
    };
    const [record] = event.Records;
    expect(record?.eventSource).toBe('aws:ses');
    expect(record?.ses.mail).toMatchObject({
      source: 'joao@example.com',
      messageId: 'ses-id',
      destination: ['atendimento@atende.local'],
      headersTruncated: false,
      commonHeaders: { subject: 'Cobrança', messageId: '<abc@example.com>', from: ['"João" <joao@example.com>'] },
    });
    expect(record?.ses.mail.headers).toContainEqual({ name: 'Auto-Submitted', value: 'auto-replied' });
    expect(record?.ses.mail.headers).toContainEqual({ name: 'X-Long', value: 'one two' });
    expect(record?.ses.receipt.action).toMatchObject({ type: 'Lambda', invocationType: 'Event' });
  });

  it('bounds the header section it reads', () => {
    const huge = Buffer.concat([Buffer.from('X-Big: '), Buffer.alloc(200 * 1024, 'a'), Buffer.from('\r\n\r\nbody')]);
    const section = headerSection(huge);
    expect(section.truncated).toBe(true);
    expect(section.bytes.length).toBe(64 * 1024);
    expect(headerSection(Buffer.from('A: b\n\nbody')).bytes.toString()).toBe('A: b');
  });
});
