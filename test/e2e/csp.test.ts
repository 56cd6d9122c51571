// The web app under its Content-Security-Policy, as CloudFront serves it (the local gateway sends the same
// headers, infra/web-security.ts): no inline script, no eval, no inline style, connections only to its own
// origin, the APIs and the evidence bucket. A customer signs in, uploads evidence, opens a ticket and
// follows it live, and an agent works the queue; Chromium reports no violation on the way.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { world } from '../support/world.js';
import { appUrl, browserForThisFile, signIn, visible } from './support/browser.js';

const browser = browserForThisFile();

/** Collects every CSP violation a page reports, from the first script on (before the app's own). */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  return violations;
}

describe('the web app under its Content-Security-Policy', () => {
  it('is served with a strict policy and the other security headers', async () => {
    const response = await fetch(appUrl('/login'), { headers: { accept: 'text/html' } });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toMatch(/connect-src 'self' ws:\/\/localhost:\d+ http:\/\/127\.0\.0\.1:\d+/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d+; includeSubDomains$/);
  });

  it('works for a customer and an agent with no violation reported', async () => {
    const customer = await world.customer({ password: 'senha-do-cliente-csp' });
    const page = await browser().person();
    const violations = await watchViolations(page);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));

    await signIn(page, customer.email, 'senha-do-cliente-csp');
    await page.goto(appUrl('/tickets/new'));
    const zone = page.locator('.dropzone');
    await zone.waitFor(visible);
    await zone.evaluate((element) => {
      const data = new DataTransfer();
      data.items.add(new File(['%PDF-1.4 retorno'], 'retorno.pdf', { type: 'application/pdf' }));
      element.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
    });
    const files = page.getByRole('list', { name: 'Arquivos enviados' });
    await files.getByRole('listitem').filter({ hasText: 'retorno.pdf' }).getByText('Enviado').waitFor(visible);
    await page.getByLabel('Assunto').selectOption('fiscal_document');
    await page.getByLabel('Título').fill('Retorno da SEFAZ sob CSP');
    await page.getByLabel('Descrição').fill('Segue o arquivo.');
    await page.getByRole('button', { name: 'Abrir chamado' }).click();
    await page.getByRole('heading', { level: 1, name: /Retorno da SEFAZ sob CSP/ }).waitFor(visible);
    await page.getByRole('button', { name: 'retorno.pdf' }).first().waitFor(visible);
    await expect.poll(() => sockets.length, { timeout: 30_000 }).toBeGreaterThan(0);

    const agent = await world.agent({ password: 'senha-do-agente-csp' });
    const agentPage = await browser().person();
    const agentViolations = await watchViolations(agentPage);
    await signIn(agentPage, agent.email, 'senha-do-agente-csp');
    await agentPage.getByRole('heading', { level: 1 }).first().waitFor(visible);

    expect(violations).toEqual([]);
    expect(agentViolations).toEqual([]);
  }, 120_000);
});
