// `npm start`: the whole system on this machine. Data stays under ATENDE_DATA_DIR (default .atende/)
// so a restart loses nothing; Ctrl-C stops every process it started.
import { join, resolve } from 'node:path';
import { projectRoot } from './paths.js';
import { portsFromEnv } from './ports.js';
import { seed } from './seed.js';
import { type RunningStack, startStack } from './stack.js';

const print = (line: string) => console.log(line);
let stack: RunningStack | undefined;
let stopping = false;

async function main(): Promise<void> {
  const dataDir = resolve(process.env.ATENDE_DATA_DIR ?? join(projectRoot, '.atende'));
  const ports = portsFromEnv();
  print(`Starting Atende locally (data in ${dataDir}) …`);
  const stop = (signal: string) => {
    if (stopping) {
      print('Stopping now.');
      process.exit(130);
    }
    stopping = true;
    print(`\n${signal}: stopping …`);
    Promise.resolve(stack?.stop()).finally(() => process.exit(0));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));

  stack = await startStack({
    ports,
    dataDir,
    persistent: true,
    scheduleSeconds: Number(process.env.ATENDE_SCHEDULE_SECONDS ?? 60),
    print,
    verbose: true,
  });
  if (stopping) return;

  print(
    [
      '',
      'Atende is running:',
      ...(stack.hostDemoUrl
        ? [`  demo host platform    ${stack.hostDemoUrl}   (start here: it embeds the chat from another origin)`]
        : []),
      `  web app and HTTP API  ${stack.httpUrl}   (health: ${stack.httpUrl}/health)`,
      `  WebSocket API         ${stack.wsUrl}`,
      `  mail viewer (SES)     ${stack.sesUrl}`,
      `  retired mailbox       ${stack.supportAddress} by SMTP on localhost:${stack.smtpPort}   (auto-reply in the mail viewer)`,
      `  S3 emulator           ${stack.s3Url}   (bucket ${stack.bucketName})`,
      `  DynamoDB Local        ${stack.dynamoUrl}   (table ${stack.tableName})`,
      `  request log           ${stack.logFile}`,
    ].join('\n'),
  );
  // The seed writes through shared/ store code, which finds DynamoDB Local the way the functions do.
  Object.assign(process.env, stack.env);
  await seed(stack.env, print);

  print('\nPress Ctrl-C to stop.\n');
}

main().catch(async (error: Error) => {
  // Ctrl-C while starting or seeding: the signal handler is already stopping everything.
  if (stopping) return;
  console.error(`\nAtende could not start: ${error.message}`);
  await stack?.stop();
  process.exit(1);
});
