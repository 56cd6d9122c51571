// The retired support mailbox, from the outside: a mail server hands messages to the local stack's SMTP
// listener (SES inbound's stand-in) and the sender reads the mail viewer. Each message leaves one
// request-log line (its requestId is the id SES gave the message, which the listener's 250 reply names),
// so a test that expects no reply waits for that line, then looks at the mailbox.
import { ulid } from 'ulid';
import { describe, expect, inject, it } from 'vitest';
import { mailTo, type StoredEmail, waitForMail } from '../../support/mailbox.js';
import { waitForLine } from '../../support/request-log.js';
import { plainMessage, sendSmtp } from '../../support/smtp.js';
import { world } from '../../support/world.js';

const support = () => inject('stack').supportAddress;
const sender = (name = 'cliente') => `${name}-${ulid().toLowerCase()}@empresa.example.com`;

/** Sends a message to the support address and waits until the function has dealt with it. */
async function deliverToSupport(from: string, data: string | Buffer, envelopeFrom = from) {
  const reply = await sendSmtp({ from: envelopeFrom, to: [support()], data });
  expect(reply.code, reply.text).toBe(250);
  const messageId = /Ok ([a-z0-9]+)/.exec(reply.text)?.[1];
  const line = await waitForLine(`the inbound message ${messageId}`, (l) => l.requestId === messageId);
  return line;
}

const header = (mail: StoredEmail, name: string) =>
  mail.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

describe('the retired mailbox', () => {
  it('answers a message by SMTP once, in pt-BR, with the portal and the chat, and not again the same day', async () => {
    const from = sender();
    const messageId = `<${ulid()}@client.example.com>`;
    const first = await deliverToSupport(
      from,
      plainMessage({ from: `Ana <${from}>`, to: support(), subject: 'Nota fiscal rejeitada', messageId }),
    );
    expect(first).toMatchObject({ route: 'ses inbound', action: 'mail.inbound', status: 202, outcome: 'success' });
    // Nothing of the sender but the domain, and nothing of the message.
    expect(first.resource).toEqual({ type: 'sender_domain', id: 'empresa.example.com' });
    expect(JSON.stringify(first)).not.toContain(from.split('@')[0]);
    expect(JSON.stringify(first)).not.toContain('Nota fiscal');

    const [reply] = await waitForMail(from);
    expect(reply?.subject).toBe('Resposta automática: Nota fiscal rejeitada');
    expect(header(reply as StoredEmail, 'Auto-Submitted')).toBe('auto-replied');
    expect(header(reply as StoredEmail, 'In-Reply-To')).toBe(messageId);
    const web = inject('stack').env.WEB_URL;
    expect(reply?.body.text).toContain(`${web}/tickets`);
    expect(reply?.body.text).toContain('Atendimento Online');
    expect(reply?.body.text).toContain(support());
    // A stranger gets no shortcut into a portal they cannot enter.
    expect(reply?.body.text).not.toContain('/tickets/new');

    const second = await deliverToSupport(
      from,
      plainMessage({ from, to: support(), subject: 'Re: Nota fiscal rejeitada' }),
    );
    expect(second.status).toBe(204);
    expect(await mailTo(from)).toHaveLength(1);
  });

  it('gives a sender with an account a link to a new ticket with the subject filled in', async () => {
    const customer = await world.customer();
    await deliverToSupport(
      customer.email,
      plainMessage({ from: customer.email, to: support(), subject: 'Erro & acentuação na integração' }),
    );
    const [reply] = await waitForMail(customer.email);
    const subject = encodeURIComponent('Erro & acentuação na integração');
    expect(reply?.body.text).toContain(`${inject('stack').env.WEB_URL}/tickets/new?subject=${subject}`);
    expect(reply?.body.text).toContain(customer.user.name);
    expect(reply?.body.html).toContain(`/tickets/new?subject=${subject.replace('&', '&amp;')}`);
  });

  it('answers the same sender once for ten messages in a day', async () => {
    const from = sender('insistente');
    const lines = [];
    for (let i = 0; i < 10; i++) {
      lines.push(await deliverToSupport(from, plainMessage({ from, to: support(), subject: `Tentativa ${i}` })));
    }
    expect(lines.map((l) => l.status)).toEqual([202, 204, 204, 204, 204, 204, 204, 204, 204, 204]);
    expect(await waitForMail(from)).toHaveLength(1);
  });

  it.each([
    ['MAILER-DAEMON', 'MAILER-DAEMON@mx.empresa.example.com', {}],
    ['Auto-Submitted: auto-replied', undefined, { 'Auto-Submitted': 'auto-replied' }],
    ['Auto-Submitted: auto-generated', undefined, { 'Auto-Submitted': 'auto-generated' }],
    ['Precedence: bulk', undefined, { Precedence: 'bulk' }],
    ['Precedence: list', undefined, { Precedence: 'list' }],
    ['List-Id', undefined, { 'List-Id': '<novidades.empresa.example.com>' }],
  ] as const)('does not answer automatic mail: %s', async (_, envelope, headers) => {
    const from = envelope ?? sender('robo');
    const line = await deliverToSupport(from, plainMessage({ from, to: support(), subject: 'Aviso', headers }));
    expect(line.status).toBe(204);
    expect(await mailTo(from)).toEqual([]);
  });

  it('does not answer a bounce (the null sender)', async () => {
    const line = await deliverToSupport(
      '',
      plainMessage({
        from: 'Mail Delivery System <MAILER-DAEMON@mx.example.com>',
        to: support(),
        subject: 'Undelivered',
      }),
    );
    expect(line.status).toBe(204);
  });

  it('does not answer mail from the deployment’s own addresses', async () => {
    const own = support();
    const line = await deliverToSupport(own, plainMessage({ from: own, to: own, subject: 'Loop?' }));
    expect(line.status).toBe(204);
    const sender = 'support@atende.local';
    const fromSender = await deliverToSupport(sender, plainMessage({ from: sender, to: own, subject: 'Loop?' }));
    expect(fromSender.status).toBe(204);
    expect((await mailTo(own)).filter((m) => m.subject.startsWith('Resposta automática'))).toEqual([]);
  });

  it('answers a person whose message is malformed MIME', async () => {
    const from = sender('quebrado');
    const broken = [
      `From: ${from}`,
      `To: ${support()}`,
      'Subject: =?UTF-8?B?not base64 at all',
      'Content-Type: multipart/mixed; boundary="never-closed"',
      'Header-Without-Colon',
      '',
      '--never-closed',
      'Content-Type: text/plain; charset=bogus',
      'Content-Transfer-Encoding: base64',
      '',
      '%%% not base64 %%%',
      '',
    ].join('\r\n');
    const line = await deliverToSupport(from, broken);
    expect(line.status).toBe(202);
    expect(await waitForMail(from)).toHaveLength(1);
  });

  it('takes 25 MB of attachments and answers from the headers alone', async () => {
    const from = sender('anexos');
    const attachment = Buffer.alloc(18 * 1024 * 1024, 7)
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n');
    const message = [
      `From: ${from}`,
      `To: ${support()}`,
      'Subject: Planilhas',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Seguem as planilhas.',
      '--b1',
      'Content-Type: application/octet-stream; name="dados.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      attachment,
      '--b1--',
      '',
    ].join('\r\n');
    expect(message.length).toBeGreaterThan(24 * 1024 * 1024);
    const line = await deliverToSupport(from, message);
    expect(line.status).toBe(202);
    expect(await waitForMail(from)).toHaveLength(1);
  });

  it('refuses mail for any other address, as a receipt rule without it would', async () => {
    const reply = await sendSmtp({
      from: sender(),
      to: [`outro-${ulid().toLowerCase()}@atende.local`],
      data: plainMessage({ from: 'x@example.com', to: 'outro@atende.local', subject: 'Oi' }),
    });
    expect(reply.code).toBe(550);
  });
});
