// Where Atende keeps what it must not lose: the one DynamoDB table (shape from infra/table.ts) and the
// evidence bucket customers upload files to, plus the bucket that receives S3 and CloudFront access logs.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
  type TableProps,
} from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { objectPrefixes } from '../../shared/store/partitions.js';
import { globalIndexes, tableKeys } from '../table.js';

/** Presigned uploads land here; a file that is never attached to a ticket or message is deleted after a day. */
const unattachedUploadsPrefix = objectPrefixes.upload;

/** How long an overwritten or deleted evidence file stays recoverable. */
export const noncurrentVersionDays = 30;

export interface DataProps {
  /** Non-dev stages keep their data when the stack (or a resource) is deleted, and refuse table deletion. */
  keepData: boolean;
  /** Days access logs are kept. */
  accessLogDays: number;
}

export class Data extends Construct {
  readonly table: Table;
  readonly evidence: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const removalPolicy = props.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const emptyOnDelete = !props.keepData;

    const tableProps: TableProps = {
      partitionKey: { name: tableKeys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableKeys.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: tableKeys.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: props.keepData,
      removalPolicy,
    };
    this.table = new Table(this, 'Table', tableProps);
    for (const index of globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront standard logs are delivered with ACLs; S3 server access logs use the bucket policy. (cdk-nag's
      // S1 counts a bucket that receives access logs as compliant: it needs no log bucket of its own.)
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogDays) }],
      removalPolicy,
      autoDeleteObjects: emptyOnDelete,
    });

    this.evidence = new Bucket(this, 'Evidence', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      // A file overwritten or deleted by mistake (or by a stolen role) can be brought back for 30 days.
      versioned: true,
      lifecycleRules: [
        { id: 'unattached-uploads', prefix: unattachedUploadsPrefix, expiration: Duration.days(1) },
        // A person's data export (shared/store/exports.ts) is a link valid 5 minutes: gone, versions too, in a day.
        {
          id: 'data-exports',
          prefix: objectPrefixes.export,
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'abandoned-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'old-versions', noncurrentVersionExpiration: Duration.days(noncurrentVersionDays) },
      ],
      removalPolicy,
      autoDeleteObjects: emptyOnDelete,
    });
  }

  /** Browsers upload evidence with the presigned POST form and download it with a presigned GET. */
  allowOrigins(origins: string[]): void {
    this.evidence.addCorsRule({
      allowedMethods: [HttpMethods.POST, HttpMethods.GET],
      allowedOrigins: origins,
      allowedHeaders: ['*'],
      exposedHeaders: ['ETag'],
      maxAge: 3600,
    });
  }
}
