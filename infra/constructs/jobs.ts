// Work nobody asks for on a request path (retrying queued e-mail, …): one function per `scheduledJobs`
// entry of the route table, run by an EventBridge schedule. A run that could not start (EventBridge could not
// invoke the function) or that failed (Lambda's own retries included) lands in the job's dead-letter queue,
// which Observability alarms on.
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ScheduledJob } from '../routes.js';
import { AppFunction, constructIdFor, type FunctionDefaults } from './function.js';

/** A run must end well before the next one starts; EventBridge does not wait. */
const jobTimeout = Duration.seconds(60);

export interface JobsProps {
  jobs: readonly ScheduledJob[];
  functions: FunctionDefaults;
  /** What happens to the dead-letter queues when the stack is deleted (kept outside the disposable dev stage). */
  removalPolicy: RemovalPolicy;
}

/** A job's failed runs, kept as long as SQS keeps anything so that the cause can be read after a holiday. */
const deadLetterRetention = Duration.days(14);

export interface DeadLetters {
  job: string;
  queue: Queue;
}

export class Jobs extends Construct {
  readonly functions: AppFunction[] = [];
  readonly deadLetters: DeadLetters[] = [];

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);
    props.functions.bundles.include(props.jobs.map((job) => job.handler));
    for (const job of props.jobs) {
      const jobId = constructIdFor(job.name);
      const every = Duration.minutes(job.everyMinutes);
      const queue = new Queue(this, `${jobId}DeadLetters`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: deadLetterRetention,
        removalPolicy: props.removalPolicy,
      });
      const fn = new AppFunction(
        this,
        jobId,
        {
          handler: job.handler,
          access: job.access,
          timeout: jobTimeout,
          description: `scheduled ${job.name}`,
          deadLetterQueue: queue,
        },
        props.functions,
      );
      this.functions.push(fn);
      this.deadLetters.push({ job: job.name, queue });
      new Rule(this, `${jobId}Schedule`, {
        description: `Atende: runs ${job.name} every ${job.everyMinutes} minute(s)`,
        schedule: Schedule.rate(every),
        targets: [
          new LambdaFunction(fn.function, {
            deadLetterQueue: queue,
            retryAttempts: 2,
            // A run still undelivered when the next one is due is superseded by it.
            maxEventAge: every,
          }),
        ],
      });
    }
  }
}
