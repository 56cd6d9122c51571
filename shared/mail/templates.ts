// The e-mails Atende sends, in Brazilian Portuguese (default) and English, each as HTML and plain text.
// Everything a person typed (names, group names) is HTML-escaped; links are built by the caller.
import { maxSubjectLength } from '../domain/tickets.js';
import { defaultLocale, type Locale } from '../domain/users.js';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
  /** Extra header fields (an automatic reply's `Auto-Submitted`, `In-Reply-To`). */
  headers?: { name: string; value: string }[];
}

export interface InviteMailInput {
  locale?: Locale;
  groupName: string;
  inviteeName?: string;
  inviterName: string;
  link: string;
  expiresAt: string;
}

export interface StaffInviteMailInput {
  locale?: Locale;
  role: 'agent' | 'admin' | 'auditor';
  inviteeName?: string;
  inviterName: string;
  link: string;
  expiresAt: string;
}

export interface PasswordResetMailInput {
  locale?: Locale;
  name: string;
  link: string;
}

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Brazilian readers get São Paulo time; English readers UTC, with the zone named either way. */
function formatDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: locale === 'pt-BR' ? 'America/Sao_Paulo' : 'UTC',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

interface Layout {
  locale: Locale;
  subject: string;
  /** Paragraphs before and after the button, as plain text (escaped here). */
  before: string[];
  button: string;
  link: string;
  /** More links, listed under the button. */
  links?: { label: string; url: string }[];
  after: string[];
}

function render(layout: Layout): RenderedMail {
  const paragraph = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  const href = escapeHtml(layout.link);
  const html = `<!doctype html>
<html lang="${layout.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(layout.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
${layout.before.map(paragraph).join('\n')}
<p style="margin:24px 0"><a href="${href}" style="background:#0b5cad;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;display:inline-block">${escapeHtml(layout.button)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#52606d;word-break:break-all">${href}</p>
${(layout.links ?? []).map((l) => `<p style="margin:0 0 16px">${escapeHtml(l.label)}: <a href="${escapeHtml(l.url)}">${escapeHtml(l.url)}</a></p>`).join('\n')}
${layout.after.map(paragraph).join('\n')}
</div>
</body>
</html>
`;
  const links = (layout.links ?? []).map((l) => `${l.label}: ${l.url}`);
  const text = `${[...layout.before, `${layout.button}: ${layout.link}`, ...links, ...layout.after].join('\n\n')}\n`;
  return { subject: layout.subject, html, text };
}

export function inviteMail(input: InviteMailInput): RenderedMail {
  const locale = input.locale ?? defaultLocale;
  const expires = formatDate(input.expiresAt, locale);
  if (locale === 'en') {
    return render({
      locale,
      subject: `Invitation to the ${input.groupName} support portal`,
      before: [
        input.inviteeName ? `Hello, ${input.inviteeName}.` : 'Hello.',
        `${input.inviterName} invited you to join ${input.groupName} on the Atende support portal, where you can open and follow your company's support tickets.`,
        'To accept, choose your password at the link below.',
      ],
      button: 'Accept the invitation',
      link: input.link,
      after: [
        `The invitation is valid until ${expires} and works only once.`,
        'If you were not expecting it, ignore this message: nothing happens without the link.',
      ],
    });
  }
  return render({
    locale,
    subject: `Convite para o portal de atendimento de ${input.groupName}`,
    before: [
      input.inviteeName ? `Olá, ${input.inviteeName}.` : 'Olá.',
      `${input.inviterName} convidou você para o grupo ${input.groupName} no portal de atendimento Atende, onde você abre e acompanha os chamados da sua empresa.`,
      'Para aceitar, crie sua senha no link abaixo.',
    ],
    button: 'Aceitar o convite',
    link: input.link,
    after: [
      `O convite vale até ${expires} e só pode ser usado uma vez.`,
      'Se você não esperava este convite, ignore esta mensagem: nada acontece sem o link.',
    ],
  });
}

const staffRoleNames = {
  'pt-BR': { agent: 'agente', admin: 'administrador(a)', auditor: 'auditor(a)' },
  en: { agent: 'an agent', admin: 'an administrator', auditor: 'an auditor' },
} as const;

/** An invitation to the support team (agents, admins, auditors): the same link flow as a group's. */
export function staffInviteMail(input: StaffInviteMailInput): RenderedMail {
  const locale = input.locale ?? defaultLocale;
  const expires = formatDate(input.expiresAt, locale);
  const role = staffRoleNames[locale][input.role];
  if (locale === 'en') {
    return render({
      locale,
      subject: 'Invitation to the Atende support team',
      before: [
        input.inviteeName ? `Hello, ${input.inviteeName}.` : 'Hello.',
        `${input.inviterName} invited you to join the support team on Atende as ${role}.`,
        'To accept, choose your password at the link below (or confirm the one you already have).',
      ],
      button: 'Accept the invitation',
      link: input.link,
      after: [
        `The invitation is valid until ${expires} and works only once.`,
        'If you were not expecting it, ignore this message: nothing happens without the link.',
      ],
    });
  }
  return render({
    locale,
    subject: 'Convite para a equipe de atendimento do Atende',
    before: [
      input.inviteeName ? `Olá, ${input.inviteeName}.` : 'Olá.',
      `${input.inviterName} convidou você para a equipe de atendimento do Atende como ${role}.`,
      'Para aceitar, crie sua senha no link abaixo (ou confirme a que você já tem).',
    ],
    button: 'Aceitar o convite',
    link: input.link,
    after: [
      `O convite vale até ${expires} e só pode ser usado uma vez.`,
      'Se você não esperava este convite, ignore esta mensagem: nada acontece sem o link.',
    ],
  });
}

export function passwordResetMail(input: PasswordResetMailInput): RenderedMail {
  const locale = input.locale ?? defaultLocale;
  if (locale === 'en') {
    return render({
      locale,
      subject: 'Reset your Atende password',
      before: [`Hello, ${input.name}.`, 'Someone asked to reset the password of your Atende account.'],
      button: 'Choose a new password',
      link: input.link,
      after: [
        'The link is valid for 1 hour and works only once. Choosing a new password signs you out everywhere.',
        'If it was not you, ignore this message: your password stays as it is.',
      ],
    });
  }
  return render({
    locale,
    subject: 'Redefinição de senha do Atende',
    before: [`Olá, ${input.name}.`, 'Recebemos um pedido para redefinir a senha da sua conta no Atende.'],
    button: 'Criar uma nova senha',
    link: input.link,
    after: [
      'O link vale por 1 hora e só pode ser usado uma vez. Ao criar a nova senha, você sai de todas as sessões abertas.',
      'Se não foi você, ignore esta mensagem: sua senha continua a mesma.',
    ],
  });
}

export interface AdminWelcomeMailInput {
  locale?: Locale;
  name: string;
  link: string;
  expiresAt: string;
}

/** The first admin of a deployment: no password yet, a link to choose one. */
export function adminWelcomeMail(input: AdminWelcomeMailInput): RenderedMail {
  const locale = input.locale ?? defaultLocale;
  const expires = formatDate(input.expiresAt, locale);
  if (locale === 'en') {
    return render({
      locale,
      subject: 'You administer Atende: choose your password',
      before: [
        `Hello, ${input.name}.`,
        'An Atende support portal was set up with you as its administrator. Choose your password to sign in.',
      ],
      button: 'Choose my password',
      link: input.link,
      after: [`The link is valid until ${expires} and works only once.`],
    });
  }
  return render({
    locale,
    subject: 'Você administra o Atende: crie sua senha',
    before: [
      `Olá, ${input.name}.`,
      'Um portal de atendimento Atende foi instalado com você como administrador. Crie sua senha para entrar.',
    ],
    button: 'Criar minha senha',
    link: input.link,
    after: [`O link vale até ${expires} e só pode ser usado uma vez.`],
  });
}

export interface AutoReplyMailInput {
  /** The subject of the e-mail answered (as the sender wrote it; escaped here). */
  subject: string;
  supportAddress: string;
  /** The web app's base URL. */
  webUrl: string;
  /** For a sender who has an account: their name; the reply then links to a new ticket with the subject filled in. */
  accountName?: string;
}

/**
 * The retired mailbox's automatic reply (api.md, "Notifications and the retired mailbox"): always pt-BR,
 * since nothing tells us the language of someone who wrote to a Brazilian support address.
 */
export function autoReplyMail(input: AutoReplyMailInput): RenderedMail {
  const base = input.webUrl.replace(/\/+$/, '');
  const subject = input.subject.replace(/\s+/g, ' ').trim().slice(0, maxSubjectLength);
  const portal = `${base}/tickets`;
  const newTicket = `${base}/tickets/new${subject ? `?subject=${encodeURIComponent(subject)}` : ''}`;
  return render({
    locale: 'pt-BR',
    subject: subject ? `Resposta automática: ${subject}` : 'Resposta automática do atendimento',
    before: [
      input.accountName ? `Olá, ${input.accountName}.` : 'Olá.',
      `O endereço ${input.supportAddress} não é mais acompanhado pela equipe de atendimento: a sua mensagem não vai gerar um chamado.`,
      'Agora o atendimento é feito pelo portal, onde você abre chamados com anexos e acompanha as respostas, e pelo Atendimento Online, o chat que fica no canto de cada página do portal.',
      input.accountName
        ? 'Você já tem acesso ao portal: abra um chamado com o assunto desta mensagem no link abaixo.'
        : 'Se a sua empresa já usa o portal, peça um convite a quem o administra nela; você também pode nos chamar pelo Atendimento Online.',
    ],
    button: input.accountName ? 'Abrir um chamado' : 'Ir para o portal',
    link: input.accountName ? newTicket : portal,
    links: [
      { label: 'Portal de atendimento', url: portal },
      { label: 'Atendimento Online (chat)', url: `${base}/` },
    ],
    after: ['Esta é uma resposta automática, enviada uma vez por dia a cada remetente. Não é preciso respondê-la.'],
  });
}

/** A link into the web app carrying a one-time token in its fragment (never in a query string). */
export function webLink(webUrl: string, page: 'accept-invite' | 'reset-password', token: string): string {
  return `${webUrl.replace(/\/+$/, '')}/${page}#token=${encodeURIComponent(token)}`;
}
