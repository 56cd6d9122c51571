import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkJava, javaMajorVersion, tableDefinition } from '../../../../infra/local/dynamodb.js';
import { functionEnvironment } from '../../../../infra/local/environment.js';
import { freePorts, PortInUse, portSettings, portsFromEnv } from '../../../../infra/local/ports.js';
import { isProblem, oneLiner, requestRecord } from '../../../../infra/local/request-log.js';
import { gatewayOutput } from '../../../../infra/local/stack.js';
import { globalIndexes } from '../../../../infra/table.js';

describe('ports', () => {
  it('defaults to the ports in docs/api.md and takes each from its variable', () => {
    expect(portsFromEnv({})).toEqual({
      http: 3000,
      ws: 3001,
      ses: 8005,
      s3: 4568,
      dynamodb: 8000,
      hostDemo: 3002,
      smtp: 2525,
    });
    expect(portsFromEnv({ HTTP_PORT: '3100', WS_PORT: '' }).http).toBe(3100);
    expect(portsFromEnv({ SMTP_PORT: '2626' }).smtp).toBe(2626);
  });

  it('refuses a value that is not a port', () => {
    expect(() => portsFromEnv({ WS_PORT: 'abc' })).toThrow('WS_PORT=abc is not a port number');
    expect(() => portsFromEnv({ SES_PORT: '70000' })).toThrow('SES_PORT');
    expect(() => portsFromEnv({ HTTP_PORT: '0' })).toThrow('HTTP_PORT=0 is not a port number (1-65535)');
  });

  it('turns the demo host platform off with HOST_DEMO_PORT=0', () => {
    expect(portsFromEnv({ HOST_DEMO_PORT: '0' }).hostDemo).toBe(0);
  });

  it("gives tests a distinct port per service, each bindable and below the kernel's ephemeral range", async () => {
    // An outgoing connection's source port comes from that range, so it can never take one of these.
    const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0]);
    const ports = Object.values(await freePorts());
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeLessThan(ephemeralLow);
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host: '127.0.0.1' }, resolve);
      });
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('names the service and the variable to change when a port is taken', () => {
    expect(new PortInUse('ses', 8005).message).toContain(`Port 8005 (${portSettings.ses.label}) is already in use`);
    expect(new PortInUse('ses', 8005).message).toContain('SES_PORT=<port> npm start');
  });
});

describe('the functions’ local environment', () => {
  it('points every SDK client at an emulator through the standard endpoint variables', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atende-env-'));
    try {
      const env = functionEnvironment({
        ports: { http: 1, ws: 2, ses: 3, s3: 4, dynamodb: 5, smtp: 6, hostDemo: 0 },
        dataDir,
      });
      expect(env).toMatchObject({
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:5',
        AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:3',
        AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4',
        CONNECTIONS_ENDPOINT: 'http://127.0.0.1:2',
        S3_FORCE_PATH_STYLE: 'true',
        WEB_URL: 'http://localhost:1',
        ATENDE_DATA_DIR: dataDir,
        POWERTOOLS_METRICS_NAMESPACE: 'Atende/local',
      });
      expect(env.WEB_ORIGINS?.split(',')).toContain('http://localhost:1');
      expect(env.AWS_ACCESS_KEY_ID).toBeTruthy();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('DynamoDB Local', () => {
  describe('without Java 17', () => {
    const dirs: string[] = [];
    const dir = () => {
      const made = mkdtempSync(join(tmpdir(), 'atende-java-'));
      dirs.push(made);
      return made;
    };
    afterEach(() => {
      vi.unstubAllEnvs();
      for (const made of dirs.splice(0)) rmSync(made, { recursive: true, force: true });
    });
    const namesWhatToInstall = expect.objectContaining({
      name: 'JavaMissing',
      message: expect.stringContaining('DynamoDB Local needs Java 17 or newer'),
    });

    it('says what to install when there is no java on the PATH', async () => {
      vi.stubEnv('JAVA_HOME', undefined);
      vi.stubEnv('PATH', dir());
      await expect(checkJava()).rejects.toEqual(namesWhatToInstall);
      await expect(checkJava()).rejects.toThrow(/openjdk-17-jre-headless/);
    });

    it('says what to install when JAVA_HOME points nowhere', async () => {
      vi.stubEnv('JAVA_HOME', '/nonexistent');
      await expect(checkJava()).rejects.toEqual(namesWhatToInstall);
      await expect(checkJava()).rejects.toThrow('/nonexistent/bin/java');
    });

    it('says what to install when the java it finds is older than 17', async () => {
      const home = dir();
      mkdirSync(join(home, 'bin'));
      writeFileSync(join(home, 'bin', 'java'), '#!/bin/sh\necho \'openjdk version "11.0.22" 2024-01-16\' >&2\n', {
        mode: 0o755,
      });
      vi.stubEnv('JAVA_HOME', home);
      await expect(checkJava()).rejects.toEqual(namesWhatToInstall);
      await expect(checkJava()).rejects.toThrow('Found Java 11');
    });
  });

  it('reads the Java major version from `java -version`', () => {
    expect(javaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajorVersion('java version "1.8.0_392"')).toBe(8);
    expect(javaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajorVersion('nothing here')).toBeUndefined();
  });

  it('creates the table from infra/table.ts, every index included', () => {
    const table = tableDefinition('t');
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.GlobalSecondaryIndexes.map((i) => i.IndexName)).toEqual(globalIndexes.map((i) => i.name));
    expect(table.AttributeDefinitions).toHaveLength(2 + 2 * globalIndexes.length);
  });
});

describe('the request log piping', () => {
  const line = JSON.stringify({
    kind: 'request',
    timestamp: '2026-01-02T14:03:07.000Z',
    route: 'POST /tickets',
    status: 400,
    errorCode: 'validation_failed',
    latencyMs: 12,
    action: 'ticket.create',
    principal: { userId: 'u1', role: 'customer' },
  });

  it('recognises request lines and nothing else', () => {
    expect(requestRecord(line)?.route).toBe('POST /tickets');
    expect(requestRecord('{"level":"INFO","message":"x"}')).toBeUndefined();
    expect(requestRecord('plain text')).toBeUndefined();
  });

  it('shows a request as one readable line', () => {
    expect(oneLiner(requestRecord(line) as NonNullable<ReturnType<typeof requestRecord>>)).toBe(
      '14:03:07 POST /tickets 400 validation_failed 12ms ticket.create customer u1',
    );
  });

  it('passes on errors, warnings and raw output, not routine lines', () => {
    expect(isProblem('{"level":"ERROR","message":"x"}')).toBe(true);
    expect(isProblem('{"level":"INFO","message":"x"}')).toBe(false);
    expect(isProblem('TypeError: boom')).toBe(true);
    expect(isProblem('')).toBe(false);
  });

  it('keeps request lines in the request log, refusals in the access log and every other line in the function log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atende-logs-'));
    const read = (file: string) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean);
    try {
      const printed: string[] = [];
      const output = gatewayOutput({
        print: (text) => printed.push(text),
        verbose: false,
        logFile: join(dir, 'requests.jsonl'),
        functionLogFile: join(dir, 'functions.jsonl'),
        accessLogFile: join(dir, 'access.jsonl'),
      });
      const metric = JSON.stringify({
        _aws: {
          Timestamp: 1,
          CloudWatchMetrics: [{ Namespace: 'Atende/local', Dimensions: [['service']], Metrics: [] }],
        },
        service: 'atende',
        TicketCreated: 1,
      });
      const diagnostic = '{"level":"ERROR","message":"request failed","service":"atende"}';
      const refusal = { requestId: 'r1', routeKey: '$connect', status: '401', error: 'Unauthorized' };
      output.onStdout(line);
      output.onStdout(JSON.stringify({ kind: 'access', ...refusal }));
      output.onStdout(metric);
      output.onStderr(diagnostic);
      output.onStderr('    at handler (functions/http/x.ts:3:9)');

      expect(read('requests.jsonl')).toEqual([line]);
      // The gateway's own refusals, as the access log holds them: without the mark that routed them here.
      expect(read('access.jsonl').map((l) => JSON.parse(l))).toEqual([refusal]);
      const functionLines = read('functions.jsonl');
      expect(functionLines.slice(0, 2)).toEqual([metric, diagnostic]);
      expect(JSON.parse(functionLines[2] as string)).toMatchObject({
        stream: 'stderr',
        text: '    at handler (functions/http/x.ts:3:9)',
      });
      // The terminal still shows what it showed: here (not verbose) the diagnostics, not the metric.
      expect(printed).toEqual([diagnostic, '    at handler (functions/http/x.ts:3:9)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
