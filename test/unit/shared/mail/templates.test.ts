import { describe, expect, it } from 'vitest';
import {
  inviteMail,
  notificationMail,
  passwordResetMail,
  ticketLink,
  webLink,
} from '../../../../shared/mail/templates.js';

const link = webLink('https://portal.example.com/', 'accept-invite', 'tok_en-123');

describe('invitation e-mail', () => {
  it('is in Brazilian Portuguese by default, with the link in both HTML and text', () => {
    const mail = inviteMail({
      groupName: 'Ótica Boa Vista',
      inviterName: 'Carla',
      link,
      expiresAt: '2030-01-08T15:00:00Z',
    });
    expect(link).toBe('https://portal.example.com/accept-invite#token=tok_en-123');
    expect(mail.subject).toContain('Ótica Boa Vista');
    expect(mail.text).toContain('Aceitar o convite');
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain('lang="pt-BR"');
    expect(mail.text).toContain('8 de janeiro de 2030');
  });

  it('is in English when asked', () => {
    const mail = inviteMail({
      locale: 'en',
      groupName: 'Acme',
      inviterName: 'Carla',
      link,
      expiresAt: '2030-01-08T15:00:00Z',
    });
    expect(mail.subject).toBe('Invitation to the Acme support portal');
    expect(mail.text).toContain('Accept the invitation');
    expect(mail.text).toContain('January 8, 2030');
  });

  it('escapes what people typed in the HTML', () => {
    const mail = inviteMail({
      groupName: '<script>alert(1)</script>',
      inviteeName: 'Ana "&" Bia',
      inviterName: "O'Brien",
      link: 'https://x.example/accept-invite?token=a&b=<c>',
      expiresAt: '2030-01-08T15:00:00Z',
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&#60;script&#62;');
    expect(mail.html).toContain('Ana &#34;&#38;&#34; Bia');
    expect(mail.html).toContain('href="https://x.example/accept-invite?token=a&#38;b=&#60;c&#62;"');
    expect(mail.text).toContain('<script>alert(1)</script>');
  });
});

describe('password reset e-mail', () => {
  it('has the reset link in both languages', () => {
    const reset = webLink('https://portal.example.com', 'reset-password', 'abc');
    expect(passwordResetMail({ name: 'Ana', link: reset }).text).toContain(reset);
    expect(passwordResetMail({ name: 'Ana', link: reset }).subject).toContain('senha');
    expect(passwordResetMail({ locale: 'en', name: 'Ana', link: reset }).subject).toBe('Reset your Atende password');
  });
});

describe('reply notification e-mail', () => {
  const input = {
    name: 'Ana',
    ticket: { number: 1042, subject: 'XML <não> baixa' },
    entries: [
      { kind: 'message' as const, author: 'Caio <Suporte>', body: '<script>alert(1)</script>\nSegunda linha & fim' },
      { kind: 'status' as const, author: 'Caio', status: 'resolved' as const },
    ],
    link: ticketLink('https://portal.example.com/', '01TICKET'),
    unsubscribeUrl: 'https://api.example.com/notifications/unsubscribe?token=a.b',
  };

  it('is titled [#number] subject and carries the text, its author and the link, escaped in HTML', () => {
    const mail = notificationMail(input);
    expect(input.link).toBe('https://portal.example.com/tickets/01TICKET');
    expect(mail.subject).toBe('[#1042] XML <não> baixa');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;\nSegunda linha &#38; fim');
    expect(mail.html).toContain('Caio &#60;Suporte&#62;');
    expect(mail.html).toContain(`href="${input.link}"`);
    expect(mail.html).toContain('lang="pt-BR"');
    expect(mail.text).toContain('Caio <Suporte>:\n> <script>alert(1)</script>\n> Segunda linha & fim');
    expect(mail.text).toContain('Caio marcou o chamado como resolvido.');
    expect(mail.text).toContain(input.link);
  });

  it('offers one-click unsubscribe (RFC 8058)', () => {
    expect(notificationMail(input).headers).toEqual([
      { name: 'List-Unsubscribe', value: `<${input.unsubscribeUrl}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
  });

  it('is in English when asked', () => {
    const mail = notificationMail({ ...input, locale: 'en' });
    expect(mail.subject).toBe('[#1042] XML <não> baixa');
    expect(mail.text).toContain('Hello, Ana.');
    expect(mail.text).toContain('There is a new message on ticket #1042');
    expect(mail.text).toContain('Caio marked the ticket as resolved.');
    expect(mail.text).toContain('Open the ticket: https://portal.example.com/tickets/01TICKET');
  });

  it("offers five one-click ratings when given them, labelled in the reader's language, and none otherwise", () => {
    const ratings = [1, 2, 3, 4, 5].map((score) => ({
      score,
      url: `https://portal.example.com/rate#token=t&score=${score}`,
    }));
    const pt = notificationMail({ ...input, ratings });
    expect(pt.text).toContain('Como foi o atendimento?');
    expect(pt.text).toContain('1 · Muito ruim: https://portal.example.com/rate#token=t&score=1');
    expect(pt.html).toContain('href="https://portal.example.com/rate#token=t&#38;score=5"');
    const en = notificationMail({ ...input, locale: 'en', ratings });
    expect(en.text).toContain('5 · Excellent: https://portal.example.com/rate#token=t&score=5');
    expect(notificationMail(input).text).not.toContain('/rate#');
  });
});
