// The CDK app (`npx cdk synth|deploy`, see cdk.json): reads the context keys documented in the README,
// builds the stack, and runs cdk-nag's AwsSolutions pack as a validation plugin: an unacknowledged finding
// fails synth (the CLI prints the report and exits non-zero; cdk.out/validation-report.json keeps it).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { isOrigin, parseOrigins } from './origins.js';
import { type AtendeSettings, AtendeStack } from './stack.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

const defaults = { stage: 'dev', mailFrom: 'support@example.com', auditRetentionDays: 400, debugRetentionDays: 30 };

/** CloudWatch Logs accepts only these retention periods (in days). */
const retentionPeriods = new Set<number>(
  Object.values(RetentionDays).filter((value): value is number => typeof value === 'number' && value > 0),
);

function retention(app: App, key: string, fallback: number): RetentionDays {
  const raw = app.node.tryGetContext(key);
  const days = raw === undefined ? fallback : Number(raw);
  if (!retentionPeriods.has(days)) {
    throw new Error(
      `context ${key}: ${String(raw)} is not a CloudWatch Logs retention period (${[...retentionPeriods].join(', ')})`,
    );
  }
  return days as RetentionDays;
}

function optionalString(app: App, key: string): string | undefined {
  const value = app.node.tryGetContext(key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The stack's settings from context (`-c key=value` or cdk.json). */
function settingsFrom(app: App): AtendeSettings {
  const stage = optionalString(app, 'stage') ?? defaults.stage;
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(`context stage: "${stage}" must be lower-case letters, digits and dashes (at most 20)`);
  }
  const webOrigin = optionalString(app, 'webOrigin');
  // Links in e-mails point at it: only the disposable dev stage may fall back (to the CloudFront URL, or to the
  // local stack when there is no web app to deploy).
  if (!webOrigin && stage !== defaults.stage) {
    throw new Error(
      `context webOrigin is required for stage "${stage}" (only ${defaults.stage} may leave it out): pass ` +
        '-c webOrigin=https://portal.example.com, the origin where people open the web app; links in e-mails point there',
    );
  }
  if (webOrigin && !isOrigin(webOrigin)) {
    throw new Error(`context webOrigin: "${webOrigin}" must be an origin such as https://portal.example.com`);
  }
  const supportAddress = optionalString(app, 'supportAddress');
  if (supportAddress && !/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(supportAddress)) {
    throw new Error(
      `context supportAddress: "${supportAddress}" must be a bare e-mail address such as atendimento@example.com`,
    );
  }
  const webAssetsDir = optionalString(app, 'webAssetsDir') ?? join(projectRoot, 'web', 'dist');
  const anonymousLimit = optionalString(app, 'anonymousLimit');
  if (anonymousLimit !== undefined && !/^[1-9][0-9]{0,6}$/.test(anonymousLimit)) {
    throw new Error(`context anonymousLimit: "${anonymousLimit}" must be a whole number of requests per 5 minutes`);
  }
  const packageJson = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };

  return {
    stage,
    mailFrom: optionalString(app, 'mailFrom') ?? defaults.mailFrom,
    supportAddress,
    createMailIdentity: String(app.node.tryGetContext('createMailIdentity') ?? true) !== 'false',
    webOrigin,
    embedOrigins: parseOrigins(app.node.tryGetContext('embedOrigins'), 'context embedOrigins'),
    alarmEmail: optionalString(app, 'alarmEmail'),
    ...(anonymousLimit ? { anonymousLimit: Number(anonymousLimit) } : {}),
    auditRetention: retention(app, 'auditRetentionDays', defaults.auditRetentionDays),
    debugRetention: retention(app, 'debugRetentionDays', defaults.debugRetentionDays),
    version: packageJson.version,
    projectRoot,
    webAssetsDir: existsSync(join(resolve(webAssetsDir), 'index.html')) ? resolve(webAssetsDir) : undefined,
  };
}

const app = new App();
const settings = settingsFrom(app);
const stack = new AtendeStack(app, `Atende-${settings.stage}`, settings);
Tags.of(stack).add('app', 'atende');
Tags.of(stack).add('stage', settings.stage);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
