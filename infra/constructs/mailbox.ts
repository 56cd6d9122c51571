// What SES sets off (infra/routes.ts, `mailFunctions`): the bounce and complaint events of the Mail
// construct's configuration set reach the events function through an EventBridge rule, and, when the
// deployment names a retired support address (context `supportAddress`), a receipt rule set stores each
// message received there in a bucket of its own and invokes the inbound function. SES allows one active
// receipt rule set per account and region: the stack creates it, an operator activates it and points the
// domain's MX record at SES (docs/mailbox.md).
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Lambda, LambdaInvocationType, S3 } from 'aws-cdk-lib/aws-ses-actions';
import { Construct } from 'constructs';
import { inboundMailPrefix, mailFunctions } from '../routes.js';
import { AppFunction, type FunctionDefaults } from './function.js';
import type { Mail } from './mail.js';

/** Received mail is kept this long for whoever must look at what still arrives at the old address. */
export const inboundRetentionDays = 90;

export interface MailboxProps {
  mail: Mail;
  functions: FunctionDefaults;
  /** The retired support address; without it the stack receives no mail. */
  supportAddress?: string;
  /** Receives the inbound bucket's server access logs. */
  accessLogs: Bucket;
  removalPolicy: RemovalPolicy;
  emptyOnDelete: boolean;
}

export class Mailbox extends Construct {
  readonly functions: AppFunction[] = [];
  readonly inbound?: Bucket;
  readonly ruleSet?: ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: MailboxProps) {
    super(scope, id);
    const { events, inbound } = mailFunctions;
    props.functions.bundles.include([events.handler, ...(props.supportAddress ? [inbound.handler] : [])]);

    const eventsFn = new AppFunction(
      this,
      'Events',
      { ...events, timeout: Duration.seconds(30), description: 'SES bounce and complaint events' },
      props.functions,
    );
    this.functions.push(eventsFn);
    new Rule(this, 'BouncesAndComplaints', {
      description: "Atende: SES bounces and complaints of the deployment's configuration set",
      eventPattern: {
        source: ['aws.ses'],
        detailType: ['Email Bounced', 'Email Complained'],
        detail: { mail: { tags: { 'ses:configuration-set': [props.mail.configurationSet.configurationSetName] } } },
      },
      targets: [new LambdaFunction(eventsFn.function, { retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });

    if (!props.supportAddress) return;
    const inboundFn = new AppFunction(
      this,
      'Inbound',
      { ...inbound, timeout: Duration.seconds(30), description: 'mail received at the retired support address' },
      props.functions,
    );
    this.functions.push(inboundFn);
    this.inbound = new Bucket(this, 'Received', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'inbound/',
      lifecycleRules: [{ id: 'received-mail', expiration: Duration.days(inboundRetentionDays) }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.emptyOnDelete,
    });
    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', {
      rules: [
        {
          recipients: [props.supportAddress],
          scanEnabled: true,
          tlsPolicy: TlsPolicy.OPTIONAL,
          actions: [
            // The raw message first (SES grants itself PutObject through the bucket policy), then the function,
            // which reads only the headers the event carries.
            new S3({ bucket: this.inbound, objectKeyPrefix: inboundMailPrefix }),
            new Lambda({ function: inboundFn.function, invocationType: LambdaInvocationType.EVENT }),
          ],
        },
      ],
    });
  }
}
