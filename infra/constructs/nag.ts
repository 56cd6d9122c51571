// cdk-nag 3 runs as a CDK validation plugin; a finding we accept is acknowledged on the construct it
// concerns (never on the whole stack), each with the reason a reviewer needs.
import { Stack, Validations } from 'aws-cdk-lib';
// cdk-nag's own rendering of a CloudFormation reference in finding ids (`<LogicalId.Arn>/*`); using it keeps
// our acknowledgements byte-identical to the findings instead of guessing logical ids.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges one wildcard resource of an IAM policy (AwsSolutions-IAM5 reports each wildcard resource as its
 * own finding), so a wildcard added later by mistake still fails synth.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const rendered = flattenCfnReference(Stack.of(scope).resolve(resource));
  acknowledge(scope, `AwsSolutions-IAM5[Resource::${rendered}]`, reason);
}

export function acknowledgeWildcardAction(scope: IConstruct, action: string, reason: string): void {
  acknowledge(scope, `AwsSolutions-IAM5[Action::${action}]`, reason);
}
