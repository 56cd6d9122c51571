// SES inbound, locally: an SMTP listener (smtp-server, from the nodemailer project) on SMTP_PORT standing in
// for SES's receiving endpoint. Like SES it takes plain SMTP without AUTH or STARTTLS, accepts only the
// recipients its receipt rule names (the support address), refuses messages over 40 MB, stores each raw
// message in the S3 emulator under the rule's prefix and invokes the inbound function with the receipt
// event SES sends (headers and common headers parsed from the message's header section only).
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { inboundMailPrefix } from '../routes.js';
import { localCredentials, localInboundBucketName, localRegion } from './environment.js';
import { localAccountId } from './lambda.js';
import { type MailFunction, mailInvoker } from './mail-invoke.js';
import type { RunningSes } from './ses.js';
import { simulateMailboxes } from './ses-events.js';

/** SES's limit for a received message, headers and attachments included. */
export const maxMessageBytes = 40 * 1024 * 1024;
/** The most of a message's header section read to build the event (SES also truncates very long headers). */
const maxHeaderBytes = 64 * 1024;

export interface SmtpOptions {
  port: number;
  supportAddress: string;
  s3Url: string;
  bucketName: string;
  invoke(name: MailFunction, event: unknown): void;
}

export interface RunningSmtp {
  port: number;
  stop(): Promise<void>;
}

/** SES message ids are 40 lower-case letters and digits. */
const sesMessageId = () =>
  randomBytes(25)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 40);

/** The header section of a raw message: up to the first empty line, at most maxHeaderBytes. */
export function headerSection(raw: Buffer): { bytes: Buffer; truncated: boolean } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  const end = ends.length ? Math.min(...ends) : raw.length;
  return { bytes: raw.subarray(0, Math.min(end, maxHeaderBytes)), truncated: end > maxHeaderBytes };
}

/** SES's receipt event for one message, with its headers as SES lists them and its common headers decoded. */
export async function receiptEvent(input: {
  raw: Buffer;
  source: string;
  recipients: string[];
  messageId: string;
  now: Date;
}): Promise<unknown> {
  const section = headerSection(input.raw);
  const parsed = await simpleParser(Buffer.concat([section.bytes, Buffer.from('\r\n\r\n')]), {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
  }).catch(() => undefined);
  const headers = (parsed?.headerLines ?? []).map(({ line }) => {
    const colon = line.indexOf(':');
    return {
      name: line.slice(0, colon).trim(),
      value: line
        .slice(colon + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    };
  });
  const addresses = (value: unknown) =>
    (Array.isArray(value) ? value : value ? [value] : []).map((a: { text: string }) => a.text);
  const timestamp = input.now.toISOString();
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp,
            source: input.source,
            messageId: input.messageId,
            destination: input.recipients,
            headersTruncated: section.truncated,
            headers,
            commonHeaders: {
              returnPath: input.source,
              ...(parsed?.from ? { from: addresses(parsed.from) } : {}),
              ...(parsed?.date ? { date: parsed.date.toUTCString() } : {}),
              ...(parsed?.to ? { to: addresses(parsed.to) } : {}),
              ...(parsed?.messageId ? { messageId: parsed.messageId } : {}),
              ...(parsed?.subject !== undefined ? { subject: parsed.subject } : {}),
            },
          },
          receipt: {
            timestamp,
            processingTimeMillis: 0,
            recipients: input.recipients,
            spamVerdict: { status: 'PASS' },
            virusVerdict: { status: 'PASS' },
            spfVerdict: { status: 'GRAY' },
            dkimVerdict: { status: 'GRAY' },
            dmarcVerdict: { status: 'GRAY' },
            action: {
              type: 'Lambda',
              functionArn: `arn:aws:lambda:${localRegion}:${localAccountId}:function:atende-mail-inbound`,
              invocationType: 'Event',
            },
          },
        },
      },
    ],
  };
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startSmtp(options: SmtpOptions): Promise<RunningSmtp> {
  const s3 = new S3Client({
    region: localRegion,
    endpoint: options.s3Url,
    forcePathStyle: true,
    credentials: localCredentials,
  });
  const support = options.supportAddress.toLowerCase();
  const server = new SMTPServer({
    name: support.split('@')[1] ?? 'localhost',
    banner: 'Atende local inbound mail (stands in for SES)',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxMessageBytes,
    // Each message is held in memory until stored: a few senders at a time bound what that can take.
    maxClients: 8,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase() === support) return callback();
      callback(smtpError(550, `5.1.1 no receipt rule for ${address.address}; mail ${options.supportAddress}`));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxMessageBytes) chunks.push(chunk);
      });
      stream.on('error', callback);
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, '5.3.4 message larger than 40 MB'));
        const raw = Buffer.concat(chunks);
        const messageId = sesMessageId();
        const mailFrom = session.envelope.mailFrom;
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        s3.send(
          new PutObjectCommand({
            Bucket: options.bucketName,
            Key: `${inboundMailPrefix}${messageId}`,
            Body: raw,
            ContentType: 'message/rfc822',
          }),
        )
          .then(() =>
            receiptEvent({ raw, source: mailFrom ? mailFrom.address : '', recipients, messageId, now: new Date() }),
          )
          .then((event) => {
            options.invoke('inbound', event);
            callback(null, `Ok ${messageId}`);
          })
          .catch((error: Error) => callback(smtpError(451, `4.3.0 could not store the message: ${error.message}`)));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client that drops its connection mid-dialogue is that client's business, as it is for SES.
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        s3.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * What SES sets off, locally: the SMTP listener for the support address and the mailbox simulator's
 * bounce and complaint events (ses-events.ts), both invoking their functions in the gateway. Returns the stops.
 */
export async function startMailFlows(options: {
  ses: RunningSes;
  gateway: ChildProcess;
  port: number;
  s3Url: string;
  env: Record<string, string>;
}): Promise<(() => Promise<void>)[]> {
  const invoke = mailInvoker(options.gateway);
  const stopSimulator = simulateMailboxes(options.ses.server, invoke);
  const smtp = await startSmtp({
    port: options.port,
    supportAddress: options.env.SUPPORT_ADDRESS as string,
    s3Url: options.s3Url,
    bucketName: localInboundBucketName,
    invoke,
  });
  return [async () => stopSimulator(), smtp.stop];
}
