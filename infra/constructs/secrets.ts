// The two secrets identity needs (shared/secrets.ts reads them by ARN): the key that signs access
// tokens, generated at deploy and never seen by anyone, and the secret the host platform signs its
// sign-in tokens with, generated too and then copied to (or replaced by) the host platform's operator.
import { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from './nag.js';

export type SecretName = 'jwt' | 'platform';

export interface SecretsProps {
  keepData: boolean;
}

export class Secrets extends Construct {
  readonly jwt: Secret;
  readonly platform: Secret;

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    const removalPolicy = props.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    // 64 alphanumerics ≈ 380 bits: well over the 256-bit minimum for an HS256 key (RFC 7518 §3.2).
    const generateSecretString = { passwordLength: 64, excludePunctuation: true };

    this.jwt = new Secret(this, 'JwtSigningKey', {
      description: 'Atende: HS256 key that signs access tokens and list cursors',
      generateSecretString,
      removalPolicy,
    });
    acknowledge(
      this.jwt,
      'AwsSolutions-SMG4',
      'Rotating the signing key would sign every user out; it is rotated by hand (put a new value, access tokens ' +
        'live 15 minutes) until the token verifier accepts a previous key during a grace period.',
    );

    this.platform = new Secret(this, 'PlatformSecret', {
      description: 'Atende: shared secret the host platform signs its sign-in tokens with (POST /auth/platform)',
      generateSecretString,
      removalPolicy,
    });
    acknowledge(
      this.platform,
      'AwsSolutions-SMG4',
      'Shared with the host platform, which must switch at the same moment; rotation is an agreed manual step, ' +
        'not something a Lambda can do on its own.',
    );
  }

  byName(name: SecretName): Secret {
    return name === 'jwt' ? this.jwt : this.platform;
  }
}
