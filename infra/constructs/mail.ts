// Outgoing e-mail (invitations, password resets, automatic replies) through SES: the sender identity from
// context `mailFrom`, the configuration set every message is sent with (it publishes bounces and
// complaints to EventBridge's default bus, where the Mailbox construct picks them up) and the one
// permission a function needs to send as that identity with that configuration set.
import { Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, Identity } from 'aws-cdk-lib/aws-ses';
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
  readonly configurationSet: ConfigurationSet;
  private readonly sendArns: string[];

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
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', { reputationMetrics: true });
    // SES publishes to the account's default bus only; the Mailbox construct's rule narrows to this set.
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    this.sendArns = [
      ...[this.address, this.domain].map((name) =>
        stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name }),
      ),
      // Sending with a configuration set is authorized against the set too.
      stack.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: this.configurationSet.configurationSetName,
      }),
    ];
  }

  grantSend(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ses:SendEmail'], resources: this.sendArns }),
    );
  }
}
