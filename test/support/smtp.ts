// A plain SMTP client (RFC 5321, no AUTH, no TLS), the way a mail server hands a message to SES's inbound
// endpoint: the tests talk to the local stack's SMTP listener with it.
import { connect, type Socket } from 'node:net';
import { inject } from 'vitest';

export interface SmtpReply {
  code: number;
  text: string;
}

export interface SmtpMessage {
  /** The envelope sender (MAIL FROM); '' for the null sender `<>` of bounces. */
  from: string;
  to: string[];
  /** The whole message, headers and body; line endings become CRLF. */
  data: string | Buffer;
  port?: number;
}

/** Reads complete replies (a reply's last line is `NNN text`, earlier ones `NNN-text`). */
function replies(socket: Socket): () => Promise<SmtpReply> {
  let buffer = '';
  const waiting: ((reply: SmtpReply) => void)[] = [];
  const ready: SmtpReply[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (line[3] === '-') continue;
      const reply = { code: Number(line.slice(0, 3)), text: line.slice(4) };
      const next = waiting.shift();
      if (next) next(reply);
      else ready.push(reply);
    }
  });
  return () => {
    const reply = ready.shift();
    return reply ? Promise.resolve(reply) : new Promise((resolve) => waiting.push(resolve));
  };
}

/** UTF-8 (8BITMIME), CRLF line endings and dot-stuffing (a line starting with `.` gets another). */
function encode(data: string | Buffer): Buffer {
  // latin1 maps bytes to characters one to one: the edits below keep every other byte as it was.
  const text = (Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8')).toString('latin1');
  return Buffer.from(text.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..'), 'latin1');
}

/** Sends one message; the answer is the reply to its data, or the first refusal before that. */
export async function sendSmtp(message: SmtpMessage): Promise<SmtpReply> {
  const socket = connect({ port: message.port ?? inject('stack').smtpPort, host: '127.0.0.1' });
  const failed = new Promise<never>((_, reject) => socket.once('error', reject));
  const next = replies(socket);
  const say = async (line: string | Buffer) => {
    socket.write(line);
    return Promise.race([next(), failed]);
  };
  try {
    const greeting = await Promise.race([next(), failed]);
    if (greeting.code !== 220) return greeting;
    for (const [command, expected] of [
      ['EHLO client.example.com', 250],
      [`MAIL FROM:<${message.from}>`, 250],
      ...message.to.map((to) => [`RCPT TO:<${to}>`, 250] as const),
      ['DATA', 354],
    ] as const) {
      const reply = await say(`${command}\r\n`);
      if (reply.code !== expected) return reply;
    }
    const body = encode(message.data);
    const ending = body.subarray(-2).toString() === '\r\n' ? '.\r\n' : '\r\n.\r\n';
    const reply = await say(Buffer.concat([body, Buffer.from(ending)]));
    await say('QUIT\r\n').catch(() => undefined);
    return reply;
  } finally {
    socket.destroy();
  }
}

/** A message as a person's mail program writes it. */
export function plainMessage(fields: {
  from: string;
  to: string;
  subject: string;
  headers?: Record<string, string>;
  body?: string;
  messageId?: string;
}): string {
  const extra = Object.entries(fields.headers ?? {}).map(([name, value]) => `${name}: ${value}`);
  return [
    `From: ${fields.from}`,
    `To: ${fields.to}`,
    `Subject: ${fields.subject}`,
    `Message-ID: ${fields.messageId ?? `<${Math.random().toString(36).slice(2)}@client.example.com>`}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...extra,
    '',
    fields.body ?? 'Bom dia, preciso de ajuda com a nota fiscal.',
    '',
  ].join('\r\n');
}
