import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { sesClient } from '../aws/ses.js';
import { config } from '../config.js';
import type { RenderedMail } from './templates.js';

/** One SES SendEmail; the sender is the deployment's configured identity. */
export async function sendEmail(message: RenderedMail & { to: string }): Promise<void> {
  const utf8 = (Data: string) => ({ Data, Charset: 'UTF-8' });
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
    }),
  );
}
