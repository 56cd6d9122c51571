// Where each local service listens. `npm start` takes the ports from the environment (defaults from
// docs/api.md, "Local stack"); tests take free ports so that parallel runs never collide. The demo host platform
// (host-demo.ts) is the one optional service: port 0 turns it off.
import { createServer } from 'node:net';

export interface Ports {
  http: number;
  ws: number;
  ses: number;
  s3: number;
  dynamodb: number;
  /** The demo host platform that embeds the chat; 0: not started. */
  hostDemo: number;
  smtp: number;
}

/** Each service: its default port, the variable that changes it, and the name a person reads in a message. */
export const portSettings: Record<keyof Ports, { default: number; env: string; label: string }> = {
  http: { default: 3000, env: 'HTTP_PORT', label: 'HTTP API' },
  ws: { default: 3001, env: 'WS_PORT', label: 'WebSocket API' },
  ses: { default: 8005, env: 'SES_PORT', label: 'SES emulator (mail viewer)' },
  s3: { default: 4568, env: 'S3_PORT', label: 'S3 emulator' },
  dynamodb: { default: 8000, env: 'DYNAMODB_PORT', label: 'DynamoDB Local' },
  hostDemo: { default: 3002, env: 'HOST_DEMO_PORT', label: 'demo host platform' },
  smtp: { default: 2525, env: 'SMTP_PORT', label: 'SMTP listener (the retired mailbox)' },
};

/** Services that run only when their port is not 0. */
const optional = new Set<keyof Ports>(['hostDemo']);

const serviceNames = Object.keys(portSettings) as (keyof Ports)[];

export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): Ports {
  const ports = {} as Ports;
  for (const name of serviceNames) {
    const { default: fallback, env: variable } = portSettings[name];
    const raw = env[variable];
    const port = raw === undefined || raw === '' ? fallback : Number(raw);
    const least = optional.has(name) ? 0 : 1;
    if (!Number.isInteger(port) || port < least || port > 65535) {
      throw new Error(
        `${variable}=${raw} is not a port number (${least}-65535${least === 0 ? '; 0 turns it off' : ''})`,
      );
    }
    ports[name] = port;
  }
  return ports;
}

/** Ports the OS reports free right now, one per service. */
export async function freePorts(): Promise<Ports> {
  const ports = {} as Ports;
  const taken = new Set<number>();
  for (const name of serviceNames) {
    let port: number;
    do port = await freePort();
    while (taken.has(port));
    taken.add(port);
    ports[name] = port;
  }
  return ports;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export class PortInUse extends Error {
  constructor(name: keyof Ports, port: number) {
    const { env, label } = portSettings[name];
    super(
      `Port ${port} (${label}) is already in use. Stop whatever is listening there, or pick another port: ${env}=<port> npm start`,
    );
    this.name = 'PortInUse';
  }
}

/** Fails with a message naming the service and the variable to change, before anything is started. */
export async function assertPortsFree(ports: Ports): Promise<void> {
  for (const name of serviceNames) {
    if (ports[name] === 0 && optional.has(name)) continue;
    if (!(await isFree(ports[name]))) throw new PortInUse(name, ports[name]);
  }
}

// Listening on every interface also detects a service bound only to 127.0.0.1 (Linux refuses both).
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port }, () => server.close(() => resolve(true)));
  });
}
