// The help desks `npm run cost` prices: how many of each measured visit a month holds. Every number here is an
// assumption, stated where it is made; the measured part (what a step costs) comes from bench/visits.ts.
import { scheduledJobs } from '../infra/routes.js';
import type { Profile, VisitCount } from './cost.js';

/** The steps bench/visits.ts measures, and what each is. */
export const steps = {
  signIn: 'POST /auth/login',
  refresh: 'POST /auth/refresh (access tokens last 15 minutes)',
  list: 'GET /tickets',
  open: 'GET /tickets/{id} and GET /tickets/{id}/events',
  create: 'POST /tickets',
  reply: 'POST /tickets/{id}/messages by the customer',
  connect: 'POST /realtime/ticket and the WebSocket $connect',
  chatStart: 'WebSocket chat.start',
  chatMessage: 'WebSocket message.send, pushed to the other side',
  ping: 'WebSocket ping (the web app sends one every 4 minutes)',
  disconnect: 'the WebSocket $disconnect',
  queue: 'GET /queue',
  take: 'PATCH /tickets/{id} assigning the ticket to oneself',
  answer: 'POST /tickets/{id}/messages by the agent',
  note: 'POST /tickets/{id}/notes (an internal note)',
  // The scheduled jobs (infra/routes.ts, scheduledJobs), each run with nothing to do: what a quiet minute costs.
  outbox: 'the scheduled outbox (every minute), nothing to send',
  sla: 'the scheduled SLA clock and queue hand-out (every minute), nothing due',
  erasures: 'the scheduled erasure job (every minute), no erasure pending',
  retention: 'the scheduled retention job (every 30 minutes), nothing to anonymize',
} as const;

export type StepName = keyof typeof steps;

/** The two visits the bench times cold (docs/performance.md). */
export const customerVisit: readonly StepName[] = [
  'signIn',
  'list',
  'open',
  'reply',
  'connect',
  'chatStart',
  'chatMessage',
  'disconnect',
];
export const agentVisit: readonly StepName[] = [
  'signIn',
  'connect',
  'queue',
  'take',
  'open',
  'answer',
  'note',
  'disconnect',
];

const workdays = 22;
const minutesPerMonth = 30 * 24 * 60;

interface Size {
  agents: number;
  customers: number;
  tickets: number;
  /** Of `tickets`, those that began as a chat. */
  chats: number;
}

/**
 * Assumptions, per ticket and per agent:
 * - a portal ticket: one visit to open it (signing in), two later customer visits that read and reply (the web app
 *   keeps the session: a token refresh, not a password), three agent answers;
 * - a chat: from the page the customer is on (a token refresh), six messages from each side over about 15 minutes,
 *   the agent taking it from the queue;
 * - an agent works 8 hours a day, 22 days a month, signed in once a day with the console connected all day
 *   (a WebSocket lasts at most 2 hours: 4 connections a day), the web app pinging every 4 minutes and refreshing
 *   its access token every 15; the agent opens 30 tickets a day besides those answered;
 * - an internal note on half the tickets;
 * - an attachment on 30 % of portal tickets, 500 KB, downloaded twice; kept a year;
 * - e-mails: 10 % of customers invited a month and 2 % resetting a password; a reply notification for each agent
 *   answer on a portal ticket (the customer is away; answers days apart are not batched together) and one e-mail
 *   when a ticket is resolved (the rating links);
 * - every visit finds its functions cold except the agents' workday steps and the scheduled jobs (every minute keeps
 *   them warm; retention's half-hourly runs are counted warm too, a small undercount).
 */
function profile(name: string, description: string, size: Size): Profile {
  const portal = size.tickets - size.chats;
  const agentDays = size.agents * workdays;
  const visits: VisitCount[] = [
    { name: 'open a portal ticket', steps: ['signIn', 'list', 'create'], perMonth: portal, coldShare: 1 },
    { name: 'customer follows up', steps: ['refresh', 'list', 'open', 'reply'], perMonth: portal * 2, coldShare: 1 },
    {
      name: 'customer chat',
      steps: ['refresh', 'connect', 'chatStart', ...repeat('chatMessage', 6), 'disconnect'],
      perMonth: size.chats,
      coldShare: 1,
    },
    { name: 'agent takes a chat', steps: ['take', ...repeat('chatMessage', 6)], perMonth: size.chats, coldShare: 0 },
    { name: 'agent answers a portal ticket', steps: ['open', 'answer'], perMonth: portal * 3, coldShare: 0 },
    { name: 'agent writes an internal note', steps: ['note'], perMonth: size.tickets / 2, coldShare: 0 },
    {
      name: 'agent workday',
      steps: [
        'signIn',
        ...repeat('refresh', 32),
        ...repeat('connect', 4),
        ...repeat('disconnect', 4),
        ...repeat('ping', 120),
        ...repeat('queue', 30),
        ...repeat('open', 30),
        ...repeat('list', 10),
      ],
      perMonth: agentDays,
      coldShare: 1,
    },
    ...scheduledJobs.map((job) => ({
      name: `scheduled ${job.name}`,
      steps: [job.name],
      perMonth: minutesPerMonth / job.everyMinutes,
      coldShare: 0,
    })),
  ];
  const attachments = portal * 0.3;
  const invitesAndResets = size.customers * 0.12;
  const notifications = portal * 3 + size.tickets;
  return {
    name,
    description,
    visits: visits.filter((v) => v.perMonth > 0),
    connectionMinutes: agentDays * 8 * 60 + size.chats * 15 + portal * 2 * 5,
    emails: invitesAndResets + notifications,
    // An upload is one POST to S3 and one HeadObject when it is attached; a download one GET.
    s3: { puts: attachments, gets: attachments * 3, storedGb: (attachments * 12 * 500) / 1024 ** 2 },
    // About 10 KB per ticket (ticket, events, words, counters), a year of tickets.
    dynamodbStoredGb: (size.tickets * 12 * 10) / 1024 ** 2,
    customMetrics: size.tickets > 0 ? 12 : 0,
    // CloudWatch stores logs compressed (about 1/6 for JSON lines) and keeps them a year (the audit trail): at
    // steady state, twelve months of ingestion.
    logsStoredGbPerGbIngested: 12 / 6,
  };
}

function repeat<T>(value: T, times: number): T[] {
  return Array.from({ length: times }, () => value);
}

export const profiles: readonly Profile[] = [
  profile('idle', 'deployed, nobody using it', { agents: 0, customers: 0, tickets: 0, chats: 0 }),
  profile('small', '5 agents, 500 customers, 1,000 tickets a month of which 300 chats', {
    agents: 5,
    customers: 500,
    tickets: 1000,
    chats: 300,
  }),
  profile('large', '50 agents, 10,000 customers, 20,000 tickets a month of which 6,000 chats', {
    agents: 50,
    customers: 10_000,
    tickets: 20_000,
    chats: 6000,
  }),
];
