// Identity's e-mails (invitations, password resets) go through the outbox; a password reset is queued
// without a body, and this gives the outbox its composer.
import { outbox } from '../mail/outbox.js';
import { composePasswordReset } from './password-reset.js';

export const { deliver, deliverNow, deliverDue } = outbox({ password_reset: composePasswordReset });
