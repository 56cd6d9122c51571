// SES's mailbox simulator, locally: as on AWS, an e-mail sent with the deployment's configuration set to
// bounce@simulator.amazonses.com gets a permanent bounce and one to complaint@simulator.amazonses.com a
// complaint, and the configuration set's event destination (EventBridge) invokes the events function with
// the event SES publishes. The emulator keeps the e-mail (it shows in the mail viewer) and knows nothing of
// this: the tap reads each SendEmail exchange off the emulator's server, the request as the emulator parsed
// it and the MessageId it answered.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { localConfigurationSet, localRegion } from './environment.js';
import { localAccountId } from './lambda.js';
import type { MailFunction } from './mail-invoke.js';

const simulator = /^(bounce|complaint)(\+[^@]*)?@simulator\.amazonses\.com$/i;

interface SendEmailRequest {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  ConfigurationSetName?: string;
  EmailTags?: { Name: string; Value: string }[];
}

const bare = (address: string): string => (/<([^<>]*)>/.exec(address)?.[1] ?? address).trim();

/** The EventBridge events SES would publish for one sent e-mail: one per simulator outcome among its recipients. */
export function simulatorEvents(request: SendEmailRequest, messageId: string, now: Date): unknown[] {
  if (request.ConfigurationSetName !== localConfigurationSet) return [];
  const destination = [
    ...(request.Destination?.ToAddresses ?? []),
    ...(request.Destination?.CcAddresses ?? []),
    ...(request.Destination?.BccAddresses ?? []),
  ].map(bare);
  const hits = destination.filter((a) => simulator.test(a));
  const bounced = hits.filter((a) => a.toLowerCase().startsWith('bounce'));
  const complained = hits.filter((a) => a.toLowerCase().startsWith('complaint'));
  const time = now.toISOString();
  const source = bare(request.FromEmailAddress ?? '');
  const tags: Record<string, string[]> = {
    'ses:configuration-set': [localConfigurationSet],
    'ses:from-domain': [source.split('@')[1] ?? ''],
    'ses:caller-identity': ['atende-local'],
  };
  for (const tag of request.EmailTags ?? []) tags[tag.Name] = [tag.Value];
  const mail = {
    timestamp: time,
    source,
    sendingAccountId: localAccountId,
    messageId,
    destination,
    headersTruncated: false,
    tags,
  };
  const envelope = (detailType: string, detail: Record<string, unknown>) => ({
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.ses',
    account: localAccountId,
    time,
    region: localRegion,
    resources: [`arn:aws:ses:${localRegion}:${localAccountId}:configuration-set/${localConfigurationSet}`],
    detail: { ...detail, mail },
  });
  const events: unknown[] = [];
  if (bounced.length) {
    events.push(
      envelope('Email Bounced', {
        eventType: 'Bounce',
        bounce: {
          feedbackId: `${randomUUID()}-000000`,
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: bounced.map((emailAddress) => ({
            emailAddress,
            action: 'failed',
            status: '5.1.1',
            diagnosticCode: 'smtp; 550 5.1.1 user unknown',
          })),
          timestamp: time,
          reportingMTA: 'dns; simulator.amazonses.com',
        },
      }),
    );
  }
  if (complained.length) {
    events.push(
      envelope('Email Complained', {
        eventType: 'Complaint',
        complaint: {
          feedbackId: `${randomUUID()}-000000`,
          complainedRecipients: complained.map((emailAddress) => ({ emailAddress })),
          timestamp: time,
          userAgent: 'Amazon SES Mailbox Simulator',
          complaintFeedbackType: 'abuse',
          arrivalDate: time,
        },
      }),
    );
  }
  return events;
}

/** Watches the emulator's SendEmail exchanges and invokes the events function for simulator recipients. */
export function simulateMailboxes(server: Server, invoke: (name: MailFunction, event: unknown) => void): () => void {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/v2/email/outbound-emails')) return;
    let answer = '';
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      if (typeof args[0] === 'string' || Buffer.isBuffer(args[0])) answer = String(args[0]);
      return end(...args);
    }) as ServerResponse['end'];
    res.once('finish', () => {
      if (res.statusCode !== 200) return;
      // The emulator's body parser (express) leaves the request it read on `req.body`.
      const request = (req as IncomingMessage & { body?: SendEmailRequest }).body;
      const messageId = (JSON.parse(answer || '{}') as { MessageId?: string }).MessageId;
      if (!request || !messageId) return;
      for (const event of simulatorEvents(request, messageId, new Date())) invoke('events', event);
    });
  };
  server.prependListener('request', listener);
  return () => {
    server.off('request', listener);
  };
}
