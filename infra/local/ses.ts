// The SES emulator (aws-ses-v2-local), in this process: the SDK's SESv2 client sends to it, its page at
// `/` shows every e-mail sent, and `GET /store` lists them (tests read that). Its port is checked free
// beforehand (assertPortsFree): the package's listen() has no error path of its own.
import type { Server } from 'node:http';
import { createRequire } from 'node:module';

// A CommonJS module with `exports.default`: Node's ESM loader and vitest disagree about its default import.
const { default: sesServer } = createRequire(import.meta.url)('aws-ses-v2-local') as typeof import('aws-ses-v2-local');

export interface RunningSes {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

export async function startSes(port: number): Promise<RunningSes> {
  const server = await sesServer({ port, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${port}`, server, stop: () => closeServer(server) };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
