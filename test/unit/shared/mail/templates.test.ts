import { describe, expect, it } from 'vitest';
import { inviteMail, passwordResetMail, webLink } from '../../../../shared/mail/templates.js';

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
