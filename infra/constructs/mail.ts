// Outgoing e-mail (invitations, password resets) through SES: the sender identity from context `mailFrom`
// and the one permission a function needs to send as it.
import { Stack } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  /** `support@example.com` or `Atende <support@example.com>`. */
  mailFrom: string;
  /**
   * SES identities belong to the account and region, not to a stack: the second stage deployed next to
   * another with the same sender passes false and reuses the identity the first one created.
   */
  createIdentity: boolean;
}

/** The bare address of a `Name <address>` sender. */
export function senderAddress(mailFrom: string): string {
  const address = (/<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom).trim();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) {
    throw new Error(`context mailFrom: "${mailFrom}" is not an e-mail address`);
  }
  return address;
}

export class Mail extends Construct {
  readonly address: string;
  readonly domain: string;
  private readonly identityArns: string[];

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.address = senderAddress(props.mailFrom);
    this.domain = this.address.split('@')[1] ?? '';
    if (props.createIdentity) {
      // SES e-mails a verification link to this address on deploy (see README, "Deploy").
      new EmailIdentity(this, 'Sender', { identity: Identity.email(this.address) });
    }
    // SES authorizes a send against the identity that verified the sender: the address itself, or its
    // domain when the operator verified the whole domain (DKIM) instead.
    const stack = Stack.of(this);
    this.identityArns = [this.address, this.domain].map((name) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name }),
    );
  }

  grantSend(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ses:SendEmail'], resources: this.identityArns }),
    );
  }
}
