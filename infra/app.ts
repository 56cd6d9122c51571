// The CDK app (`npx cdk synth|deploy`, see cdk.json): reads the context keys documented in the README,
// builds the stack, and runs cdk-nag's AwsSolutions pack as a validation plugin, so an unacknowledged
// finding fails synth (the CLI exits non-zero; an in-process synth, as in the tests, throws).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type AtendeSettings, AtendeStack } from './stack.js';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

const defaults = { stage: 'dev', mailFrom: 'support@example.com', auditRetentionDays: 400, debugRetentionDays: 30 };

/** CloudWatch Logs accepts only these retention periods (in days). */
const retentionPeriods = new Set<number>(
  Object.values(RetentionDays).filter((value): value is number => typeof value === 'number' && value > 0),
);

function retention(key: string, raw: unknown, fallback: number): { days: number; retention: RetentionDays } {
  const days = raw === undefined ? fallback : Number(raw);
  if (!retentionPeriods.has(days)) {
    throw new Error(
      `context ${key}: ${String(raw)} is not a CloudWatch Logs retention period (${[...retentionPeriods].join(', ')})`,
    );
  }
  return { days, retention: days as RetentionDays };
}

function optionalString(app: App, key: string): string | undefined {
  const value = app.node.tryGetContext(key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The stack's settings from context (`-c key=value` or cdk.json). */
export function settingsFrom(app: App): AtendeSettings {
  const stage = optionalString(app, 'stage') ?? defaults.stage;
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(`context stage: "${stage}" must be lower-case letters, digits and dashes (at most 20)`);
  }
  const webOrigin = optionalString(app, 'webOrigin');
  if (webOrigin && !/^https?:\/\/[^/\s]+$/.test(webOrigin)) {
    throw new Error(`context webOrigin: "${webOrigin}" must be an origin such as https://portal.example.com`);
  }
  const audit = retention(
    'auditRetentionDays',
    app.node.tryGetContext('auditRetentionDays'),
    defaults.auditRetentionDays,
  );
  const debug = retention(
    'debugRetentionDays',
    app.node.tryGetContext('debugRetentionDays'),
    defaults.debugRetentionDays,
  );
  const webAssetsDir = optionalString(app, 'webAssetsDir') ?? join(projectRoot, 'web', 'dist');
  const packageJson = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };

  return {
    stage,
    mailFrom: optionalString(app, 'mailFrom') ?? defaults.mailFrom,
    createMailIdentity:
      app.node.tryGetContext('createMailIdentity') !== 'false' &&
      app.node.tryGetContext('createMailIdentity') !== false,
    webOrigin,
    adminEmail: optionalString(app, 'adminEmail'),
    auditRetention: audit.retention,
    debugRetention: debug.retention,
    debugRetentionDays: debug.days,
    version: packageJson.version,
    projectRoot,
    webAssetsDir: existsSync(join(resolve(webAssetsDir), 'index.html')) ? resolve(webAssetsDir) : undefined,
  };
}

/** The app as `cdk` builds it; tests call this with their own context and output directory. */
export function createApp(props?: AppProps): { app: App; stack: AtendeStack } {
  const app = new App(props);
  const settings = settingsFrom(app);
  const stack = new AtendeStack(app, `Atende-${settings.stage}`, settings);
  Tags.of(stack).add('app', 'atende');
  Tags.of(stack).add('stage', settings.stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

// `cdk` runs this file (cdk.json); tests import createApp without building a second app.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  createApp();
}
