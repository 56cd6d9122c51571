// Who gets the retired mailbox's automatic reply (RFC 3834's rules), and what it says.
import { describe, expect, it } from 'vitest';
import { bareAddress, type ReceivedMail, silenceOf } from '../../../../shared/mail/inbound.js';
import { autoReplyMail } from '../../../../shared/mail/templates.js';

const own = ['support@atende.local', 'atendimento@atende.local'];

function mail(fields: { source?: string; from?: string[]; headers?: Record<string, string> } = {}): ReceivedMail {
  return {
    messageId: 'abc',
    source: fields.source ?? 'ana@empresa.example.com',
    headers: Object.entries(fields.headers ?? {}).map(([name, value]) => ({ name, value })),
    commonHeaders: { from: fields.from ?? ['Ana <ana@empresa.example.com>'], subject: 'Oi' },
  };
}

describe('silenceOf', () => {
  it('answers a person', () => {
    expect(silenceOf(mail(), own)).toBeUndefined();
    expect(silenceOf(mail({ headers: { 'Auto-Submitted': 'no' } }), own)).toBeUndefined();
    expect(silenceOf(mail({ headers: { Precedence: 'first-class' } }), own)).toBeUndefined();
  });

  it.each([
    ['an empty sender', mail({ source: '' })],
    ['the null sender', mail({ source: '<>' })],
    ['MAILER-DAEMON', mail({ source: 'MAILER-DAEMON@mx.example.com' })],
    ['postmaster', mail({ source: 'postmaster@example.com' })],
    ['something that is not an address', mail({ source: 'not an address' })],
  ])('does not answer %s', (_, received) => {
    expect(silenceOf(received, own)).toBe('no_sender');
  });

  it.each([
    ['Auto-Submitted: auto-replied', { 'Auto-Submitted': 'auto-replied' }],
    ['Auto-Submitted with parameters', { 'auto-submitted': 'auto-generated; owner-email="x@y.z"' }],
    ['Precedence: bulk', { Precedence: 'bulk' }],
    ['Precedence: LIST', { Precedence: 'LIST' }],
    ['Precedence: junk', { Precedence: 'junk' }],
    ['List-Id', { 'List-Id': '<news.example.com>' }],
    ['X-Auto-Response-Suppress: All', { 'X-Auto-Response-Suppress': 'All' }],
  ])('does not answer automatic mail: %s', (_, headers) => {
    expect(silenceOf(mail({ headers }), own)).toBe('automatic');
  });

  it("does not answer the deployment's own addresses, as envelope sender or in From", () => {
    expect(silenceOf(mail({ source: 'Support@Atende.local' }), own)).toBe('own_address');
    expect(silenceOf(mail({ from: ['Atende <atendimento@atende.local>'] }), own)).toBe('own_address');
  });
});

describe('bareAddress', () => {
  it('takes the address out of a display form, lower-cased', () => {
    expect(bareAddress('"Ana, Silva" <Ana@Example.com>')).toBe('ana@example.com');
    expect(bareAddress(' ana@example.com ')).toBe('ana@example.com');
  });
});

describe('autoReplyMail', () => {
  const base = { supportAddress: 'atendimento@atende.local', webUrl: 'https://portal.example.com/' };

  it('points a stranger to the portal and the chat, in pt-BR', () => {
    const reply = autoReplyMail({ ...base, subject: 'Nota fiscal' });
    expect(reply.subject).toBe('Resposta automática: Nota fiscal');
    expect(reply.text).toContain('https://portal.example.com/tickets');
    expect(reply.text).toContain('Atendimento Online (chat): https://portal.example.com/');
    expect(reply.text).not.toContain('/tickets/new');
  });

  it('gives an account holder a new ticket with the subject filled in, escaped in the HTML', () => {
    const reply = autoReplyMail({ ...base, subject: '<script>alert(1)</script> & mais', accountName: 'Ana <b>' });
    expect(reply.text).toContain(
      `https://portal.example.com/tickets/new?subject=${encodeURIComponent('<script>alert(1)</script> & mais')}`,
    );
    expect(reply.html).not.toContain('<script>');
    expect(reply.html).not.toContain('Ana <b>');
    expect(reply.html).toContain('Ana &#60;b&#62;');
  });

  it('keeps the proposed subject within a ticket subject and on one line', () => {
    const reply = autoReplyMail({ ...base, subject: `linha\r\n${'x'.repeat(500)}`, accountName: 'Ana' });
    const subject = decodeURIComponent(/subject=([^\s"]+)/.exec(reply.text)?.[1] ?? '');
    expect(subject.length).toBe(200);
    expect(reply.subject).not.toMatch(/[\r\n]/);
  });

  it('has a subject when the message had none', () => {
    expect(autoReplyMail({ ...base, subject: '' }).subject).toBe('Resposta automática do atendimento');
  });
});
