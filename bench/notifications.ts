// Notification e-mails per reply: what the batching of shared/mail/notifications.ts sends when an agent answers a
// ticket several times while its requester and a follower are away. Without batching it would be one e-mail per
// person per reply. The scheduled job runs here, in this process, with a clock past the batch window.
import { sendDueNotifications } from '../shared/mail/notifications.js';
import { call, expectStatus, openTicket } from './clients.js';

export interface NotificationsResult {
  replies: number;
  /** People told of the replies: the requester and one follower, neither connected. */
  recipients: number;
  emails: number;
}

export async function benchNotifications(options: {
  httpUrl: string;
  groupId: string;
  requester: { token: string };
  follower: { token: string };
  agent: { token: string };
  replies: number;
}): Promise<NotificationsResult> {
  const { httpUrl } = options;
  const ticket = await openTicket(httpUrl, options.requester.token, {
    groupId: options.groupId,
    topic: 'billing',
    subject: 'Notificações',
    description: 'Quantos e-mails chegam?',
  });
  expectStatus(
    await call(httpUrl, 'PUT', `/tickets/${ticket.id}/followers/me`, { token: options.follower.token }),
    204,
    'PUT /tickets/{id}/followers/me',
  );
  // Past every batch window: first what earlier sections left owed, so the second run counts this ticket's alone.
  const later = () => new Date(Date.now() + 24 * 60 * 60 * 1000);
  await sendDueNotifications(later());
  for (let reply = 0; reply < options.replies; reply++) {
    expectStatus(
      await call(httpUrl, 'POST', `/tickets/${ticket.id}/messages`, {
        token: options.agent.token,
        body: { body: `Resposta ${reply + 1}` },
      }),
      201,
      'POST /tickets/{id}/messages',
    );
  }
  const sent = await sendDueNotifications(later());
  return { replies: options.replies, recipients: 2, emails: sent.queued };
}
