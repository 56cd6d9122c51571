// The e-mails Atende sends, in Brazilian Portuguese (default) and English, each as HTML and plain text.
// Everything a person typed (names, group names) is HTML-escaped; links are built by the caller.
import { maxSubjectLength } from '../domain/tickets.js';
import { defaultLocale, type Locale } from '../domain/users.js';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
  /** Extra header fields (an automatic reply's `Auto-Submitted`, `In-Reply-To`; a notification's one-click unsubscribe, RFC 8058). */
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
  /** Quoted blocks after `before` (what people wrote), as plain text, line breaks kept. */
  quotes?: { by: string; text: string }[];
  button: string;
  link: string;
  /** More links, listed under the button. */
  links?: { label: string; url: string }[];
  /** A row of one-click choices under the links (a resolution's five ratings), with the question they answer. */
  choices?: { question: string; options: { label: string; url: string }[] };
  after: string[];
}

function render(layout: Layout): RenderedMail {
  const paragraph = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  const quote = ({ by, text }: { by: string; text: string }) =>
    `<p style="margin:0 0 4px;font-weight:bold">${escapeHtml(by)}</p>\n<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #cbd2d9;white-space:pre-wrap">${escapeHtml(text)}</blockquote>`;
  const quotes = layout.quotes ?? [];
  const choices = layout.choices;
  const href = escapeHtml(layout.link);
  const html = `<!doctype html>
<html lang="${layout.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(layout.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
${layout.before.map(paragraph).join('\n')}
${quotes.map(quote).join('\n')}
<p style="margin:24px 0"><a href="${href}" style="background:#0b5cad;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;display:inline-block">${escapeHtml(layout.button)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#52606d;word-break:break-all">${href}</p>
${(layout.links ?? []).map((l) => `<p style="margin:0 0 16px">${escapeHtml(l.label)}: <a href="${escapeHtml(l.url)}">${escapeHtml(l.url)}</a></p>`).join('\n')}
${choices ? `${paragraph(choices.question)}\n<p style="margin:0 0 16px">${choices.options.map((o) => `<a href="${escapeHtml(o.url)}" style="display:inline-block;margin:0 8px 8px 0;padding:8px 12px;border:1px solid #0b5cad;border-radius:6px;color:#0b5cad;text-decoration:none">${escapeHtml(o.label)}</a>`).join('')}</p>` : ''}
${layout.after.map(paragraph).join('\n')}
</div>
</body>
</html>
`;
  const quoted = quotes.map(({ by, text }) => `${by}:\n${text.replace(/^/gm, '> ')}`);
  const links = (layout.links ?? []).map((l) => `${l.label}: ${l.url}`);
  const choiceLines = choices
    ? [[choices.question, ...choices.options.map((o) => `${o.label}: ${o.url}`)].join('\n')]
    : [];
  const text = `${[...layout.before, ...quoted, `${layout.button}: ${layout.link}`, ...links, ...choiceLines, ...layout.after].join('\n\n')}\n`;
  return { subject: layout.subject, html, text };
}

/** What an invitation invites to, in the reader's language: the subject, the sentence that says so, how to accept. */
interface Invitation {
  subject: string;
  invited: string;
  accept: string;
}

/** Every invitation's e-mail: the greeting, the button and the validity are the same; `to` says what it is for. */
function invitationMail(
  input: { locale?: Locale; inviteeName?: string; link: string; expiresAt: string },
  to: Record<Locale, Invitation>,
): RenderedMail {
  const locale = input.locale ?? defaultLocale;
  const expires = formatDate(input.expiresAt, locale);
  const { subject, invited, accept } = to[locale];
  const en = locale === 'en';
  const hello = en ? 'Hello' : 'Olá';
  return render({
    locale,
    subject,
    before: [input.inviteeName ? `${hello}, ${input.inviteeName}.` : `${hello}.`, invited, accept],
    button: en ? 'Accept the invitation' : 'Aceitar o convite',
    link: input.link,
    after: en
      ? [
          `The invitation is valid until ${expires} and works only once.`,
          'If you were not expecting it, ignore this message: nothing happens without the link.',
        ]
      : [
          `O convite vale até ${expires} e só pode ser usado uma vez.`,
          'Se você não esperava este convite, ignore esta mensagem: nada acontece sem o link.',
        ],
  });
}

export function inviteMail(input: InviteMailInput): RenderedMail {
  return invitationMail(input, {
    en: {
      subject: `Invitation to the ${input.groupName} support portal`,
      invited: `${input.inviterName} invited you to join ${input.groupName} on the Atende support portal, where you can open and follow your company's support tickets.`,
      accept: 'To accept, choose your password at the link below.',
    },
    'pt-BR': {
      subject: `Convite para o portal de atendimento de ${input.groupName}`,
      invited: `${input.inviterName} convidou você para o grupo ${input.groupName} no portal de atendimento Atende, onde você abre e acompanha os chamados da sua empresa.`,
      accept: 'Para aceitar, crie sua senha no link abaixo.',
    },
  });
}

const staffRoleNames = {
  'pt-BR': { agent: 'agente', admin: 'administrador(a)', auditor: 'auditor(a)' },
  en: { agent: 'an agent', admin: 'an administrator', auditor: 'an auditor' },
} as const;

/** An invitation to the support team (agents, admins, auditors): the same link flow as a group's. */
export function staffInviteMail(input: StaffInviteMailInput): RenderedMail {
  return invitationMail(input, {
    en: {
      subject: 'Invitation to the Atende support team',
      invited: `${input.inviterName} invited you to join the support team on Atende as ${staffRoleNames.en[input.role]}.`,
      accept: 'To accept, choose your password at the link below (or confirm the one you already have).',
    },
    'pt-BR': {
      subject: 'Convite para a equipe de atendimento do Atende',
      invited: `${input.inviterName} convidou você para a equipe de atendimento do Atende como ${staffRoleNames['pt-BR'][input.role]}.`,
      accept: 'Para aceitar, crie sua senha no link abaixo (ou confirme a que você já tem).',
    },
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

/** One thing a notification tells: a message (with its text) or a status change, and who made it. */
export type NotificationEntry =
  | { kind: 'message'; author: string; body: string }
  | { kind: 'status'; author: string; status: 'pending_customer' | 'resolved' };

export interface NotificationMailInput {
  locale?: Locale;
  name: string;
  ticket: { number: number; subject: string };
  entries: NotificationEntry[];
  link: string;
  /** The one-click unsubscribe URL (RFC 8058: called with POST by the mail client). */
  unsubscribeUrl: string;
  /** For the requester of a ticket just resolved: the five one-click ratings, score 1 to 5. */
  ratings?: { score: number; url: string }[];
}

const ratingWords: Record<Locale, { question: string; scores: string[] }> = {
  'pt-BR': {
    question: 'Como foi o atendimento? Avalie com um clique (você pode deixar um comentário na página que abrir):',
    scores: ['1 · Muito ruim', '2 · Ruim', '3 · Regular', '4 · Bom', '5 · Ótimo'],
  },
  en: {
    question: 'How did we do? Rate with one click (you can leave a comment on the page it opens):',
    scores: ['1 · Very poor', '2 · Poor', '3 · Fair', '4 · Good', '5 · Excellent'],
  },
};

const statusWords: Record<Locale, Record<'pending_customer' | 'resolved', string>> = {
  'pt-BR': { pending_customer: 'aguardando a sua resposta', resolved: 'resolvido' },
  en: { pending_customer: 'waiting for your reply', resolved: 'resolved' },
};

/**
 * What happened on a ticket since the person last looked: the messages' text with their authors, status
 * changes, the link to the ticket. Subject `[#<number>] <subject>`, so a mail client threads them.
 */
export function notificationMail(input: NotificationMailInput): RenderedMail {
  const locale = input.locale ?? defaultLocale;
  const en = locale === 'en';
  const messages = input.entries.filter((entry) => entry.kind === 'message');
  const statuses = input.entries.filter((entry) => entry.kind === 'status');
  const statusLines = statuses.map((entry) =>
    en
      ? `${entry.author} marked the ticket as ${statusWords.en[entry.status]}.`
      : `${entry.author} marcou o chamado como ${statusWords['pt-BR'][entry.status]}.`,
  );
  const intro = en
    ? messages.length > 0
      ? `There ${messages.length === 1 ? 'is a new message' : `are ${messages.length} new messages`} on ticket #${input.ticket.number}, "${input.ticket.subject}".`
      : `Ticket #${input.ticket.number}, "${input.ticket.subject}", changed.`
    : messages.length > 0
      ? `${messages.length === 1 ? 'Há uma nova mensagem' : `Há ${messages.length} novas mensagens`} no chamado #${input.ticket.number}, "${input.ticket.subject}".`
      : `O chamado #${input.ticket.number}, "${input.ticket.subject}", mudou.`;
  const mail = render({
    locale,
    subject: `[#${input.ticket.number}] ${input.ticket.subject}`,
    before: [en ? `Hello, ${input.name}.` : `Olá, ${input.name}.`, intro, ...statusLines],
    quotes: messages.map((entry) => ({ by: entry.author, text: entry.body })),
    button: en ? 'Open the ticket' : 'Abrir o chamado',
    link: input.link,
    ...(input.ratings?.length
      ? {
          choices: {
            question: ratingWords[locale].question,
            options: input.ratings.map(({ score, url }) => ({
              label: ratingWords[locale].scores[score - 1] ?? String(score),
              url,
            })),
          },
        }
      : {}),
    after: [
      en
        ? "You get this e-mail because you opened, follow or are assigned this ticket. To stop these e-mails, unsubscribe in your profile or with your mail program's unsubscribe button."
        : 'Você recebe este e-mail porque abriu, acompanha ou é responsável por este chamado. Para não receber mais, desative as notificações no seu perfil ou use o botão de descadastro do seu programa de e-mail.',
    ],
  });
  return {
    ...mail,
    headers: [
      { name: 'List-Unsubscribe', value: `<${input.unsubscribeUrl}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ],
  };
}

/** A ticket's page in the web app (the app signs the person in first and comes back: `next`). */
export const ticketLink = (webUrl: string, ticketId: string): string =>
  `${webUrl.replace(/\/+$/, '')}/tickets/${encodeURIComponent(ticketId)}`;

/** A link into the web app carrying a one-time token in its fragment (never in a query string). */
export function webLink(webUrl: string, page: 'accept-invite' | 'reset-password', token: string): string {
  return `${webUrl.replace(/\/+$/, '')}/${page}#token=${encodeURIComponent(token)}`;
}
