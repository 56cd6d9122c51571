import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { sesClient } from '../aws/ses.js';
import { config } from '../config.js';
import type { RenderedMail } from './templates.js';

/** The message tag naming the outbox item an e-mail came from: SES's bounce and complaint events carry it back. */
export const outboxTag = 'atende-outbox';

/**
 * One SES SendEmail; the sender is the deployment's configured identity, and the configuration set (when
 * the deployment has one) is what publishes the e-mail's bounces and complaints (shared/mail/suppressions.ts).
 */
export async function sendEmail(message: RenderedMail & { to: string; outboxId: string }): Promise<void> {
  const utf8 = (Data: string) => ({ Data, Charset: 'UTF-8' });
  const configurationSet = config.configurationSet;
  await sesClient().send(
    new SendEmailCommand({
      FromEmailAddress: config.mailFrom,
      Destination: { ToAddresses: [message.to] },
      Content: {
        Simple: {
          Subject: utf8(message.subject),
          Body: { Html: utf8(message.html), Text: utf8(message.text) },
          ...(message.headers?.length
            ? { Headers: message.headers.map(({ name, value }) => ({ Name: name, Value: value })) }
            : {}),
        },
      },
      ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
      EmailTags: [{ Name: outboxTag, Value: message.outboxId }],
    }),
  );
}
