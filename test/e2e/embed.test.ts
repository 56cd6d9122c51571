// The chat inside the host platform (docs/api.md, "The chat inside the host platform"), in a real browser with two
// origins: the demo host platform on one (infra/local/host-demo.ts), Atende on the other. The host page holds no
// Atende token and no secret; its backend signs platform tokens, the /embed frame does the rest.
//
// Pages that play a host with odd behaviour (a failing platformToken, a hostile title, a second init, a foreign
// frame) come from a small server of this file, but the browser asks for them at the demo host's address (a route
// that sends the request elsewhere unseen), so their origin is the configured one. They are real loopback
// responses, as Chromium's local network access checks want for a page that loads Atende's script from loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { jwtVerify, SignJWT } from 'jose';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { world } from '../support/world.js';
import {
  agentAtConsole,
  browserForThisFile,
  hostUrl,
  screenshot,
  signInToHost,
  textOf,
  unconfiguredHostUrl,
  visible,
} from './support/browser.js';

const browser = browserForThisFile();

const pages = new Map<string, string>();
let pageServer: Server;
let pageServerUrl = '';
beforeAll(async () => {
  pageServer = createServer((req, res) => {
    const body = pages.get(req.url ?? '');
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body ?? 'no such page');
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageServerUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => pageServer.close(() => resolve())));

/** A value written into an inline script: JSON, with `<` escaped so no `</script>` inside it ends the script. */
const inScript = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** Serves `html` at `url` in this page (see the top of the file). */
async function serve(page: Page, url: string, html: string): Promise<void> {
  const path = new URL(url).pathname;
  pages.set(path, html);
  await page.route(url, (route) => route.continue({ url: pageServerUrl + path }));
}
const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const frameSelector = 'iframe.atende-frame';

/** The Atende frame of a host page, once its document is Atende's. */
async function atendeFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector(frameSelector, { state: 'attached' });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('the chat iframe has no frame');
  return frame;
}

const panelOf = (page: Page) => page.frameLocator(frameSelector).getByRole('dialog', { name: 'Atendimento Online' });

/** A platform token as a host's backend signs it. */
async function platformToken(email: string, name: string): Promise<string> {
  return new SignJWT({ email, name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`test:${email}`)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(inject('stack').env.PLATFORM_SECRET));
}

/**
 * Serves `body` as a page of the demo host's configured origin (or `url`), with embed.js from Atende and a record of
 * every error and unhandled rejection the host page sees.
 */
async function hostPage(page: Page, path: string, body: string, url = hostUrl(path)): Promise<void> {
  const html = `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>Host</title>
<script>window.problems = [];
addEventListener('error', (e) => problems.push('error: ' + e.message));
addEventListener('unhandledrejection', (e) => problems.push('rejection: ' + e.reason));</script></head>
<body><header><span>Maria</span> <button id="own" type="button">Atendimento Online</button></header>
<script src="${inject('stack').httpUrl}/embed.js"></script>${body}</body></html>`;
  await serve(page, url, html);
  await page.goto(url);
}

describe('the chat embedded in the host platform', () => {
  it('opens from the host’s own button, starts a conversation from the document view, and counts the answer on the host’s badge', async () => {
    const id = stamp();
    const email = `maria.${id}@cliente-demo.com.br`;
    const agentPassword = 'senha-do-atendente-123';
    const agent = await world.agent({ name: 'Ana Atendente', password: agentPassword });
    const ana = await browser().person();
    const queue = await agentAtConsole(ana, agent.email, agentPassword);

    const maria = await browser().person();
    const platformRequests: string[] = [];
    maria.on('request', (request) => {
      if (request.url().startsWith(hostUrl('/atende/token'))) platformRequests.push(request.url());
    });
    await signInToHost(maria, 'Maria Souza', email);
    // The host's header: her name and the host's own "Atendimento Online" button beside it, top right.
    const hostButton = maria.getByRole('button', { name: /^Atendimento Online/ });
    const name = maria.getByText('Maria Souza', { exact: true });
    const [buttonBox, nameBox] = [await hostButton.boundingBox(), await name.boundingBox()];
    expect(buttonBox && nameBox && buttonBox.x > 640 && buttonBox.y < 100 && buttonBox.x > nameBox.x).toBe(true);
    await screenshot(maria, 'embed-01-host');

    // Her own button opens the panel, the keyboard goes into it, and Escape gives it back to her button.
    await hostButton.click();
    const panel = panelOf(maria);
    await panel.getByLabel('Assunto').waitFor(visible);
    const frame = await atendeFrame(maria);
    await expect.poll(() => maria.evaluate(() => document.activeElement?.className)).toBe('atende-frame atende-open');
    await expect.poll(() => frame.evaluate(() => document.activeElement?.id)).toBe('chat-topic');
    const frameBox = await maria.locator(frameSelector).boundingBox();
    expect(frameBox?.width).toBe(400);
    expect(Math.round((frameBox?.x ?? 0) + (frameBox?.width ?? 0))).toBe(1280 - 16);
    await frame.press('#chat-topic', 'Escape');
    await maria.locator(frameSelector).waitFor({ state: 'hidden' });
    await expect.poll(() => maria.evaluate(() => document.activeElement?.id)).toBe('atende-button');
    // Signing in went through the host's backend route, once: the secret never reached the page.
    expect(platformRequests.length).toBeGreaterThan(0);
    expect(await maria.content()).not.toContain(inject('stack').env.PLATFORM_SECRET);

    // From the document view, "Acessar documento" opens it about this NF-e.
    await maria.getByRole('button', { name: 'Acessar documento' }).click();
    await panel.getByText('NF-e 12.345 série 1').waitFor(visible);
    await panel.getByText('Conectado').waitFor(visible);
    await panel.getByLabel('Assunto').selectOption('fiscal_document');
    await panel.getByLabel('Mensagem').fill('A nota 12.345 não abre na plataforma.');
    await panel.getByRole('button', { name: 'Iniciar conversa' }).click();
    const number = (await textOf(panel.getByText(/^Chamado #\d+$/))).replace(/\D/g, '');
    // The host heard of it ('chat' event).
    await maria.getByText(`Conversa #${number} iniciada.`).waitFor(visible);
    await screenshot(maria, 'embed-02-chat-started');

    // She closes the panel; Ana answers; the host's badge counts the answer.
    await panel.getByRole('button', { name: 'Fechar o Atendimento Online' }).click();
    await maria.locator(frameSelector).waitFor({ state: 'hidden' });
    await queue.getByRole('link', { name: new RegExp(`#${number}\\b`) }).click();
    // The ticket in the agent's console carries the document reference the host passed.
    await ana.getByText(/NF-e 12.345 série 1 · 3524 1111 2223 3300 0181/).waitFor(visible);
    await ana.getByLabel('Sua resposta').fill('Olá, Maria! Vou verificar a nota agora.');
    await ana.getByRole('button', { name: 'Enviar resposta' }).click();
    const badge = maria.locator('#atende-unread');
    await expect.poll(() => badge.locator('[aria-hidden]').textContent()).toBe('1');
    await badge.waitFor(visible);
    await screenshot(maria, 'embed-03-unread');

    // Opening it again shows the answer, and the badge goes.
    await hostButton.click();
    await panel.getByText('Olá, Maria! Vou verificar a nota agora.').waitFor(visible);
    await badge.waitFor({ state: 'hidden' });
    expect(browser().thirdPartyRequests).toEqual([]);
  }, 180_000);

  it('asks the host for a new platform token when the session’s refresh chain has ended', async () => {
    const page = await browser().person();
    const exchanges: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/auth/platform')) exchanges.push(request.url());
    });
    await signInToHost(page, 'Bia Nunes', `bia.${stamp()}@cliente-demo.com.br`);
    await page.getByRole('button', { name: /^Atendimento Online/ }).click();
    await panelOf(page).getByText('Conectado').waitFor(visible);
    expect(exchanges).toHaveLength(1);
    // Someone uses the frame's refresh token first: presenting it again revokes the whole chain.
    const frame = await atendeFrame(page);
    const kept = await frame.evaluate(() => JSON.parse(localStorage.getItem('atende.session') ?? 'null'));
    const stolen = await fetch(`${inject('stack').httpUrl}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: kept.refreshToken }),
    });
    expect(stolen.status).toBe(200);
    // Its access token is due for a refresh when the next page of the host loads.
    await frame.evaluate(() => {
      const session = JSON.parse(localStorage.getItem('atende.session') ?? 'null');
      localStorage.setItem('atende.session', JSON.stringify({ ...session, expiresAt: 0 }));
    });
    await page.reload();
    // The refresh is refused, so the frame gets a new platform token from the host and a new session, by itself
    // (the panel stays closed).
    await expect.poll(() => exchanges.length).toBe(2);
    await page.getByRole('button', { name: /^Atendimento Online/ }).click();
    await panelOf(page).getByText('Conectado').waitFor(visible);
    expect(exchanges).toHaveLength(2);
    const renewed = await (await atendeFrame(page)).evaluate(() =>
      JSON.parse(localStorage.getItem('atende.session') ?? 'null'),
    );
    expect(renewed.refreshToken).not.toBe(kept.refreshToken);
    expect(renewed.user.email).toBe(kept.user.email);
  });

  it('ends the kept session when another person signs in on the host in the same browser', async () => {
    const page = await browser().person();
    await signInToHost(page, 'Caio Dias', `caio.${stamp()}@cliente-demo.com.br`);
    await page.getByRole('button', { name: /^Atendimento Online/ }).click();
    const panel = panelOf(page);
    await panel.getByText('Conectado').waitFor(visible);
    await panel.getByLabel('Assunto').selectOption('usage');
    await panel.getByLabel('Mensagem').fill('Pergunta particular do Caio.');
    await panel.getByRole('button', { name: 'Iniciar conversa' }).click();
    await panel.getByText(/^Chamado #\d+$/).waitFor(visible);

    await page.getByRole('button', { name: 'Sair da plataforma' }).click();
    const next = `dora.${stamp()}@cliente-demo.com.br`;
    await signInToHost(page, 'Dora Melo', next);
    await page.getByRole('button', { name: /^Atendimento Online/ }).click();
    await panel.getByLabel('Assunto').waitFor(visible);
    const session = await (await atendeFrame(page)).evaluate(() =>
      JSON.parse(localStorage.getItem('atende.session') ?? 'null'),
    );
    expect(session.user.email).toBe(next);
    expect(await panel.getByText('Pergunta particular do Caio.').count()).toBe(0);
  });

  it('fills a phone’s screen with the panel', async () => {
    const phone = await browser().person({ phone: true });
    await signInToHost(phone, 'Paulo Lima', `paulo.${stamp()}@cliente-demo.com.br`);
    await phone.getByRole('button', { name: /^Atendimento Online/ }).click();
    await panelOf(phone).getByLabel('Assunto').waitFor(visible);
    expect(await phone.locator(frameSelector).boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
  });

  it('serves /embed only to be framed by the configured origins, and /embed.js small, short-cached and revalidated', async () => {
    const { httpUrl, hostDemoUrl } = inject('stack');
    const page = await fetch(`${httpUrl}/embed`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    // The app's own policy (infra/web-security.ts), framed by the configured host origins only.
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp.split('; ')).toContain(`frame-ancestors ${hostDemoUrl}`);
    expect(page.headers.get('x-frame-options')).toBeNull();
    // Every other page of the app: framed by nobody.
    const app = await fetch(`${httpUrl}/`, { headers: { accept: 'text/html' } });
    expect((app.headers.get('content-security-policy') ?? '').split('; ')).toContain("frame-ancestors 'none'");
    expect(app.headers.get('x-frame-options')).toBe('DENY');
    const script = await fetch(`${httpUrl}/embed.js`);
    expect(script.headers.get('cache-control')).toBe('public, max-age=300');
    const body = Buffer.from(await script.arrayBuffer());
    expect(gzipSync(body).length).toBeLessThanOrEqual(10 * 1024);
    const etag = script.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${httpUrl}/embed.js`, { headers: { 'if-none-match': etag as string } });
    expect(again.status).toBe(304);
  });
});

describe('the demo host platform’s token route', () => {
  it('signs a short-lived platform token on the server for its signed-in user only', async () => {
    const { hostDemoUrl, env } = inject('stack');
    const anonymous = await fetch(`${hostDemoUrl}/atende/token`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    const email = `ivo.${stamp()}@cliente-demo.com.br`;
    const signedIn = await fetch(`${hostDemoUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'Ivo Costa', email }).toString(),
      redirect: 'manual',
    });
    expect(signedIn.status).toBe(303);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const answer = await fetch(`${hostDemoUrl}/atende/token`, { method: 'POST', headers: { cookie } });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const { token } = (await answer.json()) as { token: string };
    const { payload } = await jwtVerify(token, new TextEncoder().encode(env.PLATFORM_SECRET), {
      algorithms: ['HS256'],
    });
    expect(payload).toMatchObject({ email, name: 'Ivo Costa', sub: `demo:${email}` });
    expect((payload.exp as number) - Date.now() / 1000).toBeLessThanOrEqual(10 * 60);
    // Atende takes it.
    const session = await fetch(`${inject('stack').httpUrl}/auth/platform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ platformToken: token }),
    });
    expect(session.status).toBe(200);
  });
});

describe('what the embedded chat refuses', () => {
  it('does not render in a page of an origin that is not configured, and never asks it for a token', async () => {
    const page = await browser().person();
    const asked: string[] = [];
    page.on('request', (request) => {
      if (/\/atende\/token|\/auth\/platform/.test(request.url())) asked.push(request.url());
    });
    await signInToHost(page, 'Maria Souza', `maria.${stamp()}@cliente-demo.com.br`, unconfiguredHostUrl('/'));
    await page.getByRole('button', { name: /^Atendimento Online/ }).click();
    const frame = await atendeFrame(page);
    // The browser refuses the frame (frame-ancestors): an error page in its place, never Atende's panel.
    await expect.poll(() => frame.url()).toMatch(/^chrome-error:/);
    expect(await page.frameLocator(frameSelector).getByRole('dialog').count()).toBe(0);
    expect(asked).toEqual([]);
  });

  it('ignores messages from a window of an unconfigured origin, both in the frame and on the host page', async () => {
    const page = await browser().person();
    const foreign = unconfiguredHostUrl('/foreign-widget');
    // A third-party widget on the host's page, on another origin, posting Atende's messages at both sides.
    await serve(
      page,
      foreign,
      `<script>
          addEventListener('message', (event) => {
            if (event.data !== 'go') return;
            for (let i = 0; i < parent.frames.length; i++) {
              const target = parent.frames[i];
              target.postMessage({ type: 'atende:open', documentRef: { type: 'nfe', id: '1', title: 'FORJADO' } }, '*');
              target.postMessage({ type: 'atende:token', id: 1, token: 'forged' }, '*');
            }
            parent.postMessage({ type: 'atende:unread', count: 99 }, '*');
            parent.postMessage({ type: 'atende:chat', ticketId: 'forged', number: 666 }, '*');
            parent.postMessage('foreign-done', '*');
          });
        </script>`,
    );
    const token = await platformToken(`joana.${stamp()}@cliente-demo.com.br`, 'Joana Prado');
    await hostPage(
      page,
      '/host-with-foreign-frame',
      `<iframe id="foreign" src="${foreign}" title="foreign"></iframe>
      <script>
        window.heard = [];
        Atende.init({ platformToken: async () => ${inScript(token)} });
        Atende.on('unread', (count) => heard.push('unread ' + count));
        Atende.on('chat', (chat) => heard.push('chat ' + chat.number));
        addEventListener('message', (event) => { if (event.data === 'foreign-done') heard.push('done'); });
        document.getElementById('own').onclick = () => Atende.open();
      </script>`,
    );
    await page.getByRole('button', { name: 'Atendimento Online' }).click();
    const panel = panelOf(page);
    await panel.getByLabel('Assunto').waitFor(visible);
    await page
      .locator('#foreign')
      .evaluate((element: HTMLIFrameElement) => element.contentWindow?.postMessage('go', '*'));
    // The foreign frame's messages to the host came before its "done", from the same window: all handled by now.
    await expect.poll(() => page.evaluate(() => (window as unknown as { heard: string[] }).heard)).toEqual(['done']);
    // The frame, open on the start form, took no document from it (the host's own open, after it, still works).
    await page.evaluate(() =>
      (window as unknown as { Atende: { open(o: unknown): void } }).Atende.open({
        documentRef: { type: 'nfe', id: '2', title: 'Nota da plataforma' },
      }),
    );
    await panel.getByText('Nota da plataforma').waitFor(visible);
    expect(await panel.getByText('FORJADO').count()).toBe(0);
  });

  for (const [how, platformTokenSource] of [
    ['rejects', "async () => { throw new Error('the host backend is down'); }"],
    ['returns garbage', "async () => 'this is not a token'"],
    ['returns something that is not a string', 'async () => ({ token: 42 })'],
  ] as const) {
    it(`says sign-in failed, and the host page sees no exception, when platformToken ${how}`, async () => {
      const page = await browser().person();
      await hostPage(
        page,
        `/host-token-${how.replace(/\W+/g, '-')}`,
        `<script>
          Atende.init({ platformToken: ${platformTokenSource} });
          document.getElementById('own').onclick = () => Atende.open();
        </script>`,
      );
      await page.getByRole('button', { name: 'Atendimento Online' }).click();
      const panel = panelOf(page);
      await panel.getByRole('alert').getByText('Não foi possível entrar no Atendimento Online').waitFor(visible);
      await panel.getByRole('button', { name: 'Tentar novamente' }).waitFor(visible);
      expect(await page.evaluate(() => (window as unknown as { problems: string[] }).problems)).toEqual([]);
    });
  }

  it('shows a documentRef title with markup in it as text', async () => {
    const page = await browser().person();
    const token = await platformToken(`rui.${stamp()}@cliente-demo.com.br`, 'Rui Campos');
    const title = '<img src=x onerror="parent.pwned=1"><script>parent.pwned=2</script>Nota';
    await hostPage(
      page,
      '/host-hostile-title',
      `<script>
        Atende.init({ platformToken: async () => ${inScript(token)} });
        document.getElementById('own').onclick = () =>
          Atende.open({ documentRef: { type: 'nfe', id: '9', title: ${inScript(title)} } });
      </script>`,
    );
    await page.getByRole('button', { name: 'Atendimento Online' }).click();
    const panel = panelOf(page);
    await panel.getByText(title, { exact: true }).waitFor(visible);
    expect(await panel.locator('img, script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('makes one widget of a second init and a second copy of the script', async () => {
    const page = await browser().person();
    const token = await platformToken(`lia.${stamp()}@cliente-demo.com.br`, 'Lia Reis');
    await hostPage(
      page,
      '/host-twice',
      `<script>
        const options = { platformToken: async () => ${inScript(token)}, launcher: true };
        Atende.init(options);
        Atende.init(options);
      </script>
      <script src="${inject('stack').httpUrl}/embed.js"></script>
      <script>Atende.init(options);</script>`,
    );
    const launcher = page.locator('.atende-launcher');
    await launcher.click();
    await panelOf(page).getByLabel('Assunto').waitFor(visible);
    expect(await page.locator(frameSelector).count()).toBe(1);
    expect(await launcher.count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { problems: string[] }).problems)).toEqual([]);
  });
});
