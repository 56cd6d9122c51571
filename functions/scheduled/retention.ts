// Every 30 minutes: closed tickets past the retention policy's days are anonymized (shared/privacy/retention.ts).
import { anonymizeExpiredTickets } from '../../shared/privacy/retention.js';

export async function handler(): Promise<{ anonymized: number }> {
  return anonymizeExpiredTickets();
}
