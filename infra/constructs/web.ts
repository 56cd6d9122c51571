// The web app (portal, chat, agent console) served by CloudFront from a private bucket (origin access
// control), with a `config.json` beside it that tells the app where the APIs are. Every file has the security
// headers of infra/web-security.ts (the local gateway's too); the chat for host platforms (infra/embed.ts) has
// behaviours of its own: `/embed` may be framed by the configured host origins (every other page may be framed
// by nobody), and `/embed.js` is cached briefly under its stable name.
import { Aws, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  type BehaviorOptions,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { embedPage, embedScript } from '../embed.js';
import { type AppPolicy, contentSecurityPolicy, hstsSeconds, otherHeaders } from '../web-security.js';
import { acknowledge, acknowledgeWildcardAction, acknowledgeWildcardResource } from './nag.js';

export interface WebProps {
  /** The built app (web/dist). */
  assetsDir: string;
  accessLogs: IBucket;
  logRetention: RetentionDays;
  /** Host origins whose pages may frame the chat (context `embedOrigins`). */
  embedOrigins: readonly string[];
}

/** What the app reads at start (web/src/config.ts). */
export interface WebConfig {
  apiUrl: string;
  wsUrl: string;
  embedOrigins: readonly string[];
}

export class Web extends Construct {
  readonly distribution: Distribution;
  readonly url: string;
  private readonly bucket: Bucket;
  private readonly props: WebProps;
  /** What the app may connect to besides itself; known once the APIs exist (publish). */
  private connect: readonly string[] = [];

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    this.props = props;
    this.bucket = new Bucket(this, 'Assets', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'web/',
      // The app is rebuilt from the repository on every deploy; nothing here needs keeping.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const spaFallback = { responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.seconds(0) };
    const files = {
      origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Atende web app',
      defaultRootObject: 'index.html',
      defaultBehavior: { ...files, responseHeadersPolicy: this.headersPolicy('SecurityHeaders', 'Atende web app') },
      additionalBehaviors: {
        [embedPage.path]: this.embedPageBehavior(files, props.embedOrigins),
        [embedScript.path]: {
          ...files,
          responseHeadersPolicy: this.headersPolicy('EmbedScriptHeaders', 'Atende /embed.js', {
            cacheControl: embedScript.cacheControl,
          }),
        },
      },
      // Deep links (/accept-invite#token=…, /tickets/…) are routes of the app, not files: S3 answers 403
      // through origin access control for a missing key.
      errorResponses: [
        { httpStatus: 403, ...spaFallback },
        { httpStatus: 404, ...spaFallback },
      ],
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.accessLogs,
      logFilePrefix: 'cloudfront/',
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'Customers and agents may work from any country; there is no geography to restrict.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'Static files only (the APIs are separate and throttled per stage); a WAF web ACL is an operator choice ' +
        'with its own monthly cost, attachable without changing the app.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The default *.cloudfront.net certificate cannot pin a minimum TLS version (CloudFront fixes it); a ' +
        'custom domain with its own certificate can set minimumProtocolVersion TLSv1.2_2021.',
    );
  }

  /**
   * `/embed` is the file embed.html (a viewer-request function names it, as S3 has no index documents for
   * subpaths), which the host origins may frame.
   */
  private embedPageBehavior(files: BehaviorOptions, origins: readonly string[]): BehaviorOptions {
    const rename = new EdgeFunction(this, 'EmbedPageFile', {
      comment: `Atende ${embedPage.path} is ${embedPage.file}`,
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        `function handler(event) { event.request.uri = '/${embedPage.file}'; return event.request; }`,
      ),
    });
    return {
      ...files,
      functionAssociations: [{ function: rename, eventType: FunctionEventType.VIEWER_REQUEST }],
      responseHeadersPolicy: this.headersPolicy('EmbedPageHeaders', 'Atende /embed, framed by the host platforms', {
        frameAncestors: origins,
        cacheControl: embedPage.cacheControl,
      }),
    };
  }

  /**
   * The security headers of infra/web-security.ts (the local gateway sends the same): a strict CSP whose
   * connect-src is known once the APIs exist (publish), X-Frame-Options DENY unless `frameAncestors` names
   * who may frame the page, and the path's own Cache-Control if it has one.
   */
  private headersPolicy(
    id: string,
    comment: string,
    options: Omit<AppPolicy, 'connect'> & { cacheControl?: string } = {},
  ): ResponseHeadersPolicy {
    const { cacheControl, ...framing } = options;
    const framed = Boolean(framing.frameAncestors?.length);
    const custom = { ...otherHeaders, ...(cacheControl ? { 'Cache-Control': cacheControl } : {}) };
    return new ResponseHeadersPolicy(this, id, {
      comment: `${comment}: strict CSP and security headers (infra/web-security.ts)`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: Lazy.string({
            produce: () => contentSecurityPolicy({ connect: this.connect, ...framing }),
          }),
          override: true,
        },
        contentTypeOptions: { override: true },
        ...(framed ? {} : { frameOptions: { frameOption: HeadersFrameOption.DENY, override: true } }),
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(hstsSeconds),
          includeSubdomains: true,
          override: true,
        },
      },
      customHeadersBehavior: {
        customHeaders: Object.entries(custom).map(([header, value]) => ({ header, value, override: true })),
      },
    });
  }

  /**
   * Publishes the app and its config.json, and refreshes CloudFront's copy. `connect`: what the app talks
   * to besides its own origin (the APIs, the evidence bucket), the CSP's connect-src.
   */
  publish(config: WebConfig, connect: readonly string[]): void {
    this.connect = connect;
    const deployment = new BucketDeployment(this, 'Publish', {
      sources: [Source.asset(this.props.assetsDir), Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      logGroup: new LogGroup(this, 'PublishLogs', {
        retention: this.props.logRetention,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    this.acknowledgeDeploymentHelper(deployment);
  }

  /** BucketDeployment's copying function is CDK's own (a singleton at stack level) and not ours to shape. */
  private acknowledgeDeploymentHelper(deployment: BucketDeployment): void {
    const role = deployment.handlerRole;
    acknowledge(
      role,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "CDK's BucketDeployment helper runs only during deployment, copying the built app into its bucket.",
    );
    for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
      acknowledgeWildcardAction(
        role,
        action,
        "CDK's BucketDeployment helper syncs (copies and prunes) the whole app folder between the deployment " +
          'asset and the web bucket; these are its built-in grants, limited to those two buckets.',
      );
    }
    acknowledgeWildcardResource(
      role,
      this.bucket.arnForObjects('*'),
      'The deployment helper writes and prunes any file of the built app in the web bucket.',
    );
    acknowledgeWildcardResource(
      role,
      `arn:${Aws.PARTITION}:s3:::cdk-hnb659fds-assets-${Aws.ACCOUNT_ID}-${Aws.REGION}/*`,
      'The deployment helper reads the zipped app from the CDK bootstrap assets bucket (object names are hashes).',
    );
    acknowledgeWildcardResource(
      role,
      '*',
      'cloudfront:CreateInvalidation and GetInvalidation, granted by BucketDeployment without a resource scope; ' +
        'used to refresh the web distribution after each publish.',
    );
    const helper = Stack.of(this)
      .node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))
      .at(0);
    if (helper) {
      acknowledge(
        helper,
        'AwsSolutions-L1',
        "The runtime of CDK's BucketDeployment helper is chosen by aws-cdk-lib and moves with its upgrades.",
      );
    }
  }
}
