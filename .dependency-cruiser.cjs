// Dependencies run one way (docs/architecture.md): domain ← store ← services ← http/ws pipelines ← functions
// ← infra. `npm run lint:deps` (scripts/layers.ts) checks these rules in `npm test`; every rule's comment is
// the message a violation prints.
//
// The layers, by path:
//   domain     shared/domain/, and the leaves every layer may use: shared/errors.ts, shared/zod.ts,
//              shared/validation.ts (pure: no I/O)
//   platform   shared/config.ts, shared/aws/, shared/secrets.ts, shared/pool.ts, shared/cursor.ts: the AWS
//              clients, settings and keys that store and services share, tied to no feature
//   store      shared/store/: DynamoDB access, one module per entity
//   services   shared/tickets/, shared/auth/ (identity), shared/realtime/, shared/mail/, shared/observability/,
//              shared/limits/ (the limits against abuse)
//   pipelines  shared/http/, shared/ws/, shared/middleware.ts, shared/router.ts (one function, several routes)
//   functions  functions/: one thin handler per route
//   infra      infra/, and the command-line tools in scripts/ and bench/: may import anything
//   web        web/: the browser app; imports server code as types only (erased from its bundle), except
//              the pure constants under shared/domain/ it shares with the server (roles.ts, cnpj.ts)
const domain = '^shared/(domain/|errors[.]|zod[.]|validation[.])';
const platform = '^shared/(config[.]|aws/|secrets[.]|pool[.]|cursor[.])';
const store = '^shared/store/';
const services = '^shared/(tickets|auth|realtime|mail|observability|limits|privacy)/';
const pipelines = '^shared/(http/|ws/|middleware[.]|router[.])';
const ours = '^(shared|functions|infra|web|scripts|bench)/';
/** What web/ may load at run time from the server's code: pure constants, no I/O. */
const sharedWithWeb = '^shared/domain/(roles|cnpj)[.]';

/** A rule that `from` may import nothing of ours but `allowed`. */
const onlyTo = (name, comment, from, allowed) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: ours, pathNot: allowed },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle between modules: break it by moving what both need one layer down.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      comment: 'An import cycle between folders (e.g. auth ⇄ mail): each folder depends on the other.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    onlyTo(
      'domain-is-pure',
      'Domain code (types, rules, schemas) imports only other domain code: no store, service, AWS client or setting.',
      domain,
      domain,
    ),
    onlyTo(
      'platform-below-store',
      'Platform modules (settings, AWS clients, keys, pool, cursors) serve store and services: they import only domain and platform code.',
      platform,
      `${domain}|${platform}`,
    ),
    onlyTo(
      'store-below-services',
      'The store (DynamoDB access) imports only domain and platform code, never a service, pipeline or handler.',
      store,
      `${domain}|${platform}|${store}`,
    ),
    onlyTo(
      'services-below-pipelines',
      'Services (tickets, identity, realtime, mail, observability, limits) import the store, domain and platform code and each other (without cycles), never the HTTP/WebSocket pipelines or a handler.',
      services,
      `${domain}|${platform}|${store}|${services}`,
    ),
    onlyTo(
      'pipelines-below-functions',
      'The HTTP/WebSocket pipelines wrap handlers: they import services and below, never a handler, infra/ or web/.',
      pipelines,
      `${domain}|${platform}|${services}|${pipelines}`,
    ),
    {
      ...onlyTo(
        'functions-through-services',
        'A handler calls the pipelines and services; it reads no table itself (shared/store/ is for services), and never imports infra/ or web/ or another handler.',
        '^functions/',
        `${domain}|${platform}|${services}|${pipelines}`,
      ),
      // GET /health exists to prove the table answers: touching the store is its whole business step.
      from: { path: '^functions/', pathNot: '^functions/http/health[.]' },
    },
    onlyTo(
      'web-types-only',
      'The web app imports server code as types only (`import type`), so no server module lands in the browser bundle; run-time imports are limited to the pure constants of shared/domain/roles.ts and cnpj.ts.',
      '^web/',
      `^web/|${sharedWithWeb}`,
    ),
    {
      name: 'shared-module-in-a-layer',
      comment:
        'Every module under shared/ belongs to a layer (see the list at the top of .dependency-cruiser.cjs): put it in one of their folders, or add it to a layer there.',
      severity: 'error',
      from: { path: '^shared/', pathNot: `${domain}|${platform}|${store}|${services}|${pipelines}` },
      to: {},
    },
    onlyTo(
      'shared-with-web-is-pure',
      'A module the web app loads at run time (roles.ts, cnpj.ts) imports nothing of ours, so no server code follows it into the browser.',
      sharedWithWeb,
      '^$',
    ),
    {
      name: 'not-to-unresolvable',
      comment: 'A relative import that resolves to no file (so the checker could not follow it).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^[.]', pathNot: '[.]css$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    moduleSystems: ['es6'],
  },
};
