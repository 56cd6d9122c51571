// The demo host platform: the product Atende is embedded in, on an origin of its own (HOST_DEMO_PORT), built the
// way docs/embedding.md tells an integrator to build it. It has its own sign-in (a name and an e-mail, in a session
// of its own), a page with the user's name and an "Atendimento Online" button beside it (top right), an NF-e with
// "Acessar documento" beneath it, and the one route a real platform's backend adds: POST /atende/token signs a
// platform token for its signed-in user with the shared secret, on the server. The secret never reaches a browser.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { formatAccessKey, formatCnpj, nfeAccessKey } from '../../web/src/lib/nfe.js';

export interface HostDemoOptions {
  port: number;
  /** Where Atende's web app is: the page loads `${atendeUrl}/embed.js`. */
  atendeUrl: string;
  /** The host platform's shared secret (ATENDE_PLATFORM_SECRET). */
  platformSecret: string;
  host?: string;
}

export interface RunningHostDemo {
  url: string;
  close(): Promise<void>;
}

interface HostUser {
  name: string;
  email: string;
}

const cookieName = 'plataforma_demo';
/** A platform token lives 5 minutes: Atende accepts at most 10, and asks again whenever it needs one. */
const tokenSeconds = 5 * 60;
/** Sign-ins kept in memory: a demo of a few people, bounded so that a loop of sign-ins cannot grow it forever. */
const maxSessions = 1000;

const issuerCnpj = '11222333000181';
const demoDocument = {
  type: 'nfe',
  id: nfeAccessKey({
    uf: '35',
    yearMonth: '2411',
    cnpj: issuerCnpj,
    series: '001',
    number: '000012345',
    emission: '1',
    code: '48213577',
  }),
  title: 'NF-e 12.345 série 1',
} as const;

const items = [
  { code: 'PAP-A4', description: 'Papel sulfite A4 75 g (caixa com 10 resmas)', quantity: 3, unit: 289.9 },
  { code: 'TON-85A', description: 'Toner compatível 85A', quantity: 2, unit: 129.5 },
  { code: 'CAN-AZ', description: 'Caneta esferográfica azul (caixa com 50)', quantity: 1, unit: 64.0 },
];

export async function startHostDemo(options: HostDemoOptions): Promise<RunningHostDemo> {
  const sessions = new Map<string, HostUser>();
  const key = new TextEncoder().encode(options.platformSecret);
  const atende = options.atendeUrl.replace(/\/+$/, '');

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, 'text/plain; charset=utf-8', 'Erro interno da plataforma.'));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const user = sessions.get(sessionId(req) ?? '');
    if (req.method === 'GET' && path === '/') {
      return send(res, 200, 'text/html; charset=utf-8', user ? platformPage(user, atende) : signInPage());
    }
    if (req.method === 'POST' && path === '/login') {
      const form = new URLSearchParams(await readBody(req));
      const name = (form.get('name') ?? '').trim().slice(0, 120);
      const email = (form.get('email') ?? '').trim().toLowerCase().slice(0, 254);
      if (!name || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
        return send(res, 400, 'text/html; charset=utf-8', signInPage('Informe um nome e um e-mail válidos.'));
      }
      if (sessions.size >= maxSessions) sessions.delete(sessions.keys().next().value as string);
      const id = randomBytes(24).toString('base64url');
      sessions.set(id, { name, email });
      res.writeHead(303, {
        location: '/',
        'set-cookie': `${cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax`,
      });
      return void res.end();
    }
    if (req.method === 'POST' && path === '/logout') {
      sessions.delete(sessionId(req) ?? '');
      res.writeHead(303, { location: '/', 'set-cookie': `${cookieName}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax` });
      return void res.end();
    }
    // What the host's backend adds for Atende: a short-lived token for whoever is signed in here, and nobody else.
    if (req.method === 'POST' && path === '/atende/token') {
      req.resume();
      if (!user) return send(res, 401, 'application/json', JSON.stringify({ error: 'not signed in' }));
      const token = await new SignJWT({ email: user.email, name: user.name })
        .setJti(randomUUID())
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(`demo:${user.email}`)
        .setIssuedAt()
        .setExpirationTime(`${tokenSeconds}s`)
        .sign(key);
      return send(res, 200, 'application/json', JSON.stringify({ token }), { 'cache-control': 'no-store' });
    }
    req.resume();
    return send(res, 404, 'text/plain; charset=utf-8', 'Página não encontrada.');
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}`, close: () => closeServer(server) };
}

function sessionId(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === cookieName && value) return value;
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      // A sign-in form is a few hundred bytes.
      if (body.length > 8192) req.destroy();
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const money = (value: number) => new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(value);

function layout(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
${head}
</head>
<body>
${body}
</body>
</html>`;
}

function signInPage(problem?: string): string {
  return layout(
    'Plataforma Fiscal · Entrar',
    `<header class="bar"><strong class="brand">Plataforma Fiscal</strong></header>
<main class="narrow">
  <h1>Entrar na plataforma</h1>
  <p class="note">Demonstração: esta é a plataforma do cliente, em outra origem, que incorpora o Atendimento Online.</p>
  ${problem ? `<p role="alert" class="problem">${escapeHtml(problem)}</p>` : ''}
  <form method="post" action="/login" class="card">
    <label for="name">Nome</label>
    <input id="name" name="name" autocomplete="name" required value="Maria Souza">
    <label for="email">E-mail</label>
    <input id="email" name="email" type="email" autocomplete="email" required value="maria.souza@cliente-demo.com.br">
    <button type="submit" class="primary">Entrar</button>
  </form>
</main>`,
  );
}

function platformPage(user: HostUser, atende: string): string {
  const total = items.reduce((sum, item) => sum + item.quantity * item.unit, 0);
  const rows = items
    .map(
      (item) =>
        `<tr><td class="mono">${item.code}</td><td>${escapeHtml(item.description)}</td>` +
        `<td class="num">${item.quantity}</td><td class="num">${money(item.unit)}</td>` +
        `<td class="num">${money(item.quantity * item.unit)}</td></tr>`,
    )
    .join('');
  // The integration, as docs/embedding.md shows it: the script, init with the token function, and the host's own
  // button and badge.
  const script = `<script src="${atende}/embed.js"></script>
<script>
  Atende.init({
    platformToken: async () => {
      const response = await fetch('/atende/token', { method: 'POST' });
      if (!response.ok) throw new Error('no platform token: ' + response.status);
      return (await response.json()).token;
    },
  });
  const badge = document.getElementById('atende-unread');
  Atende.on('unread', (count) => {
    badge.hidden = count === 0;
    badge.querySelector('[aria-hidden]').textContent = String(count);
    badge.querySelector('.visually-hidden').textContent = ' (' + count + ' nova(s))';
  });
  Atende.on('chat', ({ number }) => {
    document.getElementById('atende-last').textContent = 'Conversa #' + number + ' iniciada.';
  });
  document.getElementById('atende-button').addEventListener('click', () => Atende.open());
  document.getElementById('document-access').addEventListener('click', () =>
    Atende.open({ documentRef: { ...${JSON.stringify(demoDocument)}, url: location.href } }),
  );
</script>`;
  return layout(
    `Plataforma Fiscal · ${demoDocument.title}`,
    `<header class="bar">
  <strong class="brand">Plataforma Fiscal</strong>
  <nav aria-label="Conta" class="account">
    <span class="user">${escapeHtml(user.name)}</span>
    <button type="button" id="atende-button" class="primary">Atendimento Online<span id="atende-unread" class="badge" hidden><span aria-hidden="true">0</span><span class="visually-hidden"></span></span></button>
    <form method="post" action="/logout"><button type="submit" class="link">Sair da plataforma</button></form>
  </nav>
</header>
<main>
  <p id="atende-last" class="note" role="status"></p>
  <article class="card" aria-labelledby="nfe-title">
    <h1 id="nfe-title">DANFE · ${escapeHtml(demoDocument.title)}</h1>
    <p>Emitida em 14/11/2024 · Autorizada pela SEFAZ</p>
    <dl>
      <dt>Chave de acesso</dt><dd class="mono">${formatAccessKey(demoDocument.id)}</dd>
      <dt>Emitente</dt><dd>Papelaria Exemplo Ltda · CNPJ ${formatCnpj(issuerCnpj)}</dd>
      <dt>Destinatário</dt><dd>Cliente Demonstração S.A. · CNPJ 45.723.174/0001-10</dd>
    </dl>
    <div class="scroll" tabindex="0" role="region" aria-label="Produtos e serviços">
      <table>
        <caption>Produtos e serviços</caption>
        <thead><tr><th scope="col">Código</th><th scope="col">Descrição</th><th scope="col" class="num">Qtd.</th><th scope="col" class="num">Valor unitário</th><th scope="col" class="num">Valor total</th></tr></thead>
        <tbody>${rows}</tbody>
        <tfoot><tr><th scope="row" colspan="4">Total da nota</th><td class="num"><strong>${money(total)}</strong></td></tr></tfoot>
      </table>
    </div>
  </article>
  <p class="access"><button type="button" id="document-access" class="primary">Acessar documento</button>
    <span class="note">Dúvidas sobre esta nota? O Atendimento Online recebe a referência do documento.</span></p>
</main>
${script}`,
  );
}

const styles = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1d2733;background:#f3f5f8}
.bar{display:flex;align-items:center;gap:1rem;padding:.75rem 1.25rem;background:#12355b;color:#fff;flex-wrap:wrap}
.brand{font-size:1.15rem}.account{margin-left:auto;display:flex;align-items:center;gap:.75rem;flex-wrap:wrap}
.account form{margin:0}.user{font-weight:600}
main{max-width:60rem;margin:1.5rem auto;padding:0 1rem}.narrow{max-width:26rem}
.card{background:#fff;border:1px solid #d5dbe3;border-radius:10px;padding:1.25rem}
form.card{display:flex;flex-direction:column;gap:.35rem}input{font:inherit;padding:.5rem;border:1px solid #8a96a3;border-radius:6px}
button{font:inherit;cursor:pointer}.primary{background:#0b66c3;color:#fff;border:0;border-radius:999px;padding:.5rem 1rem;font-weight:600}
.bar .primary{background:#fff;color:#12355b}.link{background:none;border:0;color:inherit;text-decoration:underline}
:focus-visible{outline:3px solid #f5b700;outline-offset:2px}
.badge{display:inline-block;margin-left:.4rem;min-width:1.4rem;padding:0 .35rem;border-radius:999px;background:#c62828;color:#fff;font-size:.85rem;text-align:center}
.badge[hidden]{display:none}.note{color:#52606d;font-size:.9rem}.problem{color:#b00020}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
.mono{font-family:ui-monospace,monospace}.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}
th,td{padding:.35rem .5rem;border-bottom:1px solid #e3e7ec;text-align:left}.num{text-align:right}caption{text-align:left;font-weight:600}
.access{display:flex;align-items:center;gap:1rem;flex-wrap:wrap;margin-top:1rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
