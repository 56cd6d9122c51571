// `npm run admin:invite -- <email> [name] [--locale en]`: gives a deployment its first admin. Run it
// with AWS credentials for the account and the deployment's settings in the environment:
//   TABLE_NAME  MAIL_FROM  WEB_URL  AWS_REGION   (the stack's table, sender and web app URL)
// It creates the admin (without a password) and e-mails them a link to choose one, valid 7 days.
// Running it again for the same address sends a fresh link.
import { parseArgs } from 'node:util';
import { inviteAdmin } from '../shared/auth/bootstrap.js';
import { Email, locales, PersonName } from '../shared/domain/users.js';

const usage = 'usage: npm run admin:invite -- <email> [name] [--locale pt-BR|en]';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { locale: { type: 'string' } } });
  const email = Email.safeParse(positionals[0] ?? '');
  const name = PersonName.safeParse(positionals[1] ?? 'Admin');
  const locale = values.locale ?? 'pt-BR';
  if (!email.success || !name.success || !(locales as readonly string[]).includes(locale)) throw new Error(usage);
  for (const variable of ['TABLE_NAME', 'MAIL_FROM', 'WEB_URL']) {
    if (!process.env[variable]) throw new Error(`${variable} is not set (see the README, "First admin")\n${usage}`);
  }
  const result = await inviteAdmin({ email: email.data, name: name.data, locale: locale as (typeof locales)[number] });
  console.log(
    `${result.created ? 'Created' : 'Found'} admin ${email.data}; the e-mail with the link to choose a password: ` +
      `${result.delivery?.status ?? 'queued'}${result.delivery?.lastError ? ` (${result.delivery.lastError})` : ''}.`,
  );
  if (result.delivery?.status !== 'sent') {
    console.log('The outbox job retries it every minute; check that MAIL_FROM is a verified SES identity.');
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
