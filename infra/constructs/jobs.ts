// Work nobody asks for on a request path (retrying queued e-mail, …): one function per `scheduledJobs`
// entry of the route table, run by an EventBridge schedule.
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { ScheduledJob } from '../routes.js';
import { AppFunction, constructIdFor, type FunctionDefaults } from './function.js';

/** A run must end well before the next one starts; EventBridge does not wait. */
const jobTimeout = Duration.seconds(60);

export interface JobsProps {
  jobs: readonly ScheduledJob[];
  functions: FunctionDefaults;
}

export class Jobs extends Construct {
  readonly functions: AppFunction[] = [];

  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);
    props.functions.bundles.include(props.jobs.map((job) => job.handler));
    for (const job of props.jobs) {
      const jobId = constructIdFor(job.name);
      const fn = new AppFunction(
        this,
        jobId,
        { handler: job.handler, access: job.access, timeout: jobTimeout, description: `scheduled ${job.name}` },
        props.functions,
      );
      this.functions.push(fn);
      new Rule(this, `${jobId}Schedule`, {
        description: `Atende: runs ${job.name} every ${job.everyMinutes} minute(s)`,
        schedule: Schedule.rate(Duration.minutes(job.everyMinutes)),
        targets: [new LambdaFunction(fn.function, { retryAttempts: 2 })],
      });
    }
  }
}
