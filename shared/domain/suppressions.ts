// Addresses Atende no longer writes to: SES reported a permanent bounce or a complaint for them. Only an
// admin clears one (the person fixed their mailbox, or asked to hear from us again).
import * as z from '../zod.js';
import { Limit } from './groups.js';
import { Email } from './users.js';

export const suppressionReasons = ['bounce', 'complaint'] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

/** The contract's `{email, reason, at}`. */
export interface Suppression {
  email: string;
  reason: SuppressionReason;
  at: string;
}

/** What an invitation's `delivery.status` says once its address is suppressed for `reason`. */
export const deliveryStatusOf = (reason: SuppressionReason) => (reason === 'bounce' ? 'bounced' : 'complained');

export const ListSuppressionsQuery = z.strictObject({
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: Limit,
});
export const SuppressionParams = z.strictObject({ email: Email });
