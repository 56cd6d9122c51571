// The gateway as a process of its own (started by stack.ts): its stdout is the functions' log stream,
// as CloudWatch Logs would capture it. It reports `ready` over IPC and exits when its parent goes away.
// Over IPC it also takes the asynchronous invocations SES makes (infra/local/mail-invoke.ts).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupedRoutes } from '../functions.js';
import { observeInvocations, runInvocationsConcurrently } from '../lambda.js';
import { runMailInvocations } from '../mail-invoke.js';
import { projectRoot } from '../paths.js';
import type { GatewayRoutes } from './routes.js';
import { startGateway } from './server.js';

const env = process.env;
const routes: GatewayRoutes = groupedRoutes(projectRoot);
runInvocationsConcurrently();
// The bench counts invocations, cold starts and billed durations from this file (bench/visits.ts).
const invocationsFile = env.ATENDE_INVOCATIONS_FILE;
if (invocationsFile)
  observeInvocations((invocation) => appendFileSync(invocationsFile, `${JSON.stringify(invocation)}\n`));

try {
  const gateway = await startGateway({
    root: projectRoot,
    routes,
    httpPort: Number(env.HTTP_PORT),
    wsPort: Number(env.WS_PORT),
    webOrigins: (env.WEB_ORIGINS ?? '').split(',').filter(Boolean),
    webDist: join(projectRoot, 'web', 'dist'),
    scheduleSeconds: Number(env.ATENDE_SCHEDULE_SECONDS ?? 60),
    mailViewerUrl: env.ATENDE_MAIL_VIEWER_URL,
    embedOrigins: (env.ATENDE_EMBED_ORIGINS ?? '').split(',').filter(Boolean),
    evidenceOrigin: env.AWS_ENDPOINT_URL_S3 ? new URL(env.AWS_ENDPOINT_URL_S3).origin : undefined,
  });
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    gateway.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('disconnect', shutdown);
  runMailInvocations(process, projectRoot);
  process.send?.({ kind: 'ready', httpUrl: gateway.httpUrl, wsUrl: gateway.wsUrl });
} catch (error) {
  process.send?.({ kind: 'failed', error: (error as Error).message });
  process.exitCode = 1;
  process.disconnect?.();
}
