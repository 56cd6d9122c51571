// Two pages that play the product Atende is embedded in, so the whole story can be walked locally:
// the host platform's sign-in (it signs a platform token and exchanges it for an Atende session) and
// one of its documents, an NF-e, with a way into the chat that carries the document's reference.
import { useState } from 'preact/hooks';
import { send } from '../api/http.js';
import type { DocumentRef, SessionAnswer } from '../api/types.js';
import { openChat } from '../chat/ChatWidget.js';
import { config } from '../config.js';
import { t } from '../i18n/index.js';
import { signHs256 } from '../lib/jwt.js';
import { formatAccessKey, formatCnpj, nfeAccessKey } from '../lib/nfe.js';
import { Link, navigate } from '../router.js';
import { adopt, useSession } from '../session.js';
import { Alert, Button, Field, Page, useSubmit } from '../ui/common.js';

const issuerCnpj = '11222333000181';
export const demoNfeKey = nfeAccessKey({
  uf: '35',
  yearMonth: '2411',
  cnpj: issuerCnpj,
  series: '001',
  number: '000012345',
  emission: '1',
  code: '48213577',
});
const demoDocument: DocumentRef = { type: 'nfe', id: demoNfeKey, title: 'NF-e 12.345 série 1' };

const items = [
  { code: 'PAP-A4', description: 'Papel sulfite A4 75 g (caixa com 10 resmas)', quantity: 3, unit: 289.9 },
  { code: 'TON-85A', description: 'Toner compatível 85A', quantity: 2, unit: 129.5 },
  { code: 'CAN-AZ', description: 'Caneta esferográfica azul (caixa com 50)', quantity: 1, unit: 64.0 },
];

const money = (value: number) => new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(value);

export function DocumentDemoPage() {
  const session = useSession();
  const total = items.reduce((sum, item) => sum + item.quantity * item.unit, 0);
  return (
    <Page
      title={t('document.title')}
      actions={
        <Button kind="primary" onClick={() => openChat(demoDocument)}>
          {t('document.ask')}
        </Button>
      }
    >
      <p class="demo-note">{t('document.note')}</p>
      {!session ? (
        <Alert kind="info">
          {t('document.sign_in')} <Link href="/platform-demo">{t('platform.title')}</Link>
        </Alert>
      ) : null}
      <article class="card nfe" aria-labelledby="nfe-title">
        <header class="nfe-head">
          <h2 id="nfe-title">DANFE · {demoDocument.title}</h2>
          <p>
            {t('document.issued')} 14/11/2024 · {t('document.authorized')}
          </p>
        </header>
        <dl class="nfe-facts">
          <div class="fact-wide">
            <dt>{t('document.access_key')}</dt>
            <dd class="mono">{formatAccessKey(demoNfeKey)}</dd>
          </div>
          <div>
            <dt>{t('document.issuer')}</dt>
            <dd>Papelaria Exemplo Ltda · CNPJ {formatCnpj(issuerCnpj)}</dd>
          </div>
          <div>
            <dt>{t('document.recipient')}</dt>
            <dd>Cliente Demonstração S.A. · CNPJ 45.723.174/0001-10</dd>
          </div>
        </dl>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll */}
        <section class="table-scroll" tabIndex={0} aria-labelledby="nfe-items-caption">
          <table class="nfe-items">
            <caption id="nfe-items-caption">{t('document.items')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('document.code')}</th>
                <th scope="col">{t('document.description')}</th>
                <th scope="col" class="num">
                  {t('document.quantity')}
                </th>
                <th scope="col" class="num">
                  {t('document.unit_price')}
                </th>
                <th scope="col" class="num">
                  {t('document.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.code}>
                  <td class="mono">{item.code}</td>
                  <td>{item.description}</td>
                  <td class="num">{item.quantity}</td>
                  <td class="num">{money(item.unit)}</td>
                  <td class="num">{money(item.quantity * item.unit)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={4}>
                  {t('document.total')}
                </th>
                <td class="num">
                  <strong>{money(total)}</strong>
                </td>
              </tr>
            </tfoot>
          </table>
        </section>
        <p class="nfe-help">
          {t('document.help')}{' '}
          <Button kind="link" onClick={() => openChat(demoDocument)}>
            {t('document.access')}
          </Button>
        </p>
      </article>
    </Page>
  );
}

/** The host platform's side of `POST /auth/platform`, done in the browser for the demo. */
export function PlatformDemoPage() {
  const [name, setName] = useState('Maria Souza');
  const [email, setEmail] = useState('maria.souza@cliente-demo.com.br');
  const [secret, setSecret] = useState(config().platformDemoSecret ?? '');
  const sending = useSubmit();

  function submit(event: Event) {
    event.preventDefault();
    void sending.submit(async () => {
      const now = Math.floor(Date.now() / 1000);
      const platformToken = await signHs256(
        { sub: `demo:${email.trim().toLowerCase()}`, email: email.trim(), name: name.trim(), iat: now, exp: now + 300 },
        secret,
      );
      adopt(await send<SessionAnswer>('POST', '/auth/platform', { body: { platformToken } }));
      navigate('/documents/demo');
    });
  }

  return (
    <Page title={t('platform.title')}>
      <p class="demo-note">{t('platform.note')}</p>
      <form class="card form narrow" onSubmit={submit} noValidate>
        {sending.error ? <Alert>{sending.error}</Alert> : null}
        <Field id="platform-name" label={t('field.name')} required>
          <input id="platform-name" autocomplete="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field id="platform-email" label={t('field.email')} required>
          <input
            id="platform-email"
            type="email"
            autocomplete="email"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
        <Field id="platform-secret" label={t('platform.secret')} hint={t('platform.secret_hint')} required>
          <input
            id="platform-secret"
            type="password"
            autocomplete="off"
            aria-describedby="platform-secret-hint"
            value={secret}
            onInput={(e) => setSecret(e.currentTarget.value)}
          />
        </Field>
        <Button type="submit" kind="primary" busy={sending.busy}>
          {t('platform.submit')}
        </Button>
      </form>
    </Page>
  );
}
