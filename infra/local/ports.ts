// Where each local service listens. `npm start` takes the ports from the environment (defaults from
// docs/api.md, "Local stack"); tests take free ports so that parallel runs never collide. The demo host platform
// (host-demo.ts) is the one optional service: port 0 turns it off.
import { readFileSync } from 'node:fs';
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

/**
 * Free ports, one per service, drawn below the kernel's ephemeral range. A port the OS hands out for `listen(0)`
 * comes from that range, which is also where every outgoing connection takes its source port: between choosing
 * it and the service binding it, a connection of the stack itself (DynamoDB Local, the gateway's clients) could
 * take it, and a run failed with EADDRINUSE that way. Below the range only an explicit bind can take a port.
 */
export async function freePorts(): Promise<Ports> {
  const ports = {} as Ports;
  const taken = new Set<number>();
  const { low, high } = unassignedRange();
  for (const name of serviceNames) {
    for (let tries = 0; ; tries++) {
      const port = low + Math.floor(Math.random() * (high - low + 1));
      if (!taken.has(port) && (await isFree(port))) {
        taken.add(port);
        ports[name] = port;
        break;
      }
      if (tries === 1000) throw new Error(`no free port between ${low} and ${high}`);
    }
  }
  return ports;
}

/** Ports the kernel never picks by itself: from 10000 to just below its ephemeral range (Linux: 32768). */
function unassignedRange(): { low: number; high: number } {
  let ephemeralLow = 32768;
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(first) && first > 11000) ephemeralLow = first;
  } catch {
    // Not Linux: keep Linux's default, which is also below the IANA range other systems use (49152).
  }
  return { low: 10000, high: ephemeralLow - 1 };
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
