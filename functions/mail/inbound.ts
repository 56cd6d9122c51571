// Mail received at the retired support address: SES's receipt rule stores it in S3, then invokes this
// function with the receipt event (locally infra/local/smtp.ts does both).
import type { Context } from 'aws-lambda';
import { receiveMail } from '../../shared/mail/inbound.js';

export async function handler(event: unknown, context: Context): Promise<void> {
  await receiveMail(event, context);
}
