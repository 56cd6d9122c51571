// Canned replies: agents and admins read them (the console's "/" picker), admins keep them.
import { ulid } from 'ulid';
import {
  byTitle,
  type CannedReply,
  type CannedReplyFilters,
  type CannedReplyPatch,
  matchesCannedFilters,
  maxCannedReplies,
} from '../domain/canned-replies.js';
import { isAgent, type Principal } from '../domain/roles.js';
import { isUlid } from '../domain/tickets.js';
import type { TopicId } from '../domain/topics.js';
import { defaultLocale, type Locale } from '../domain/users.js';
import { Conflict, Forbidden, NotFound } from '../errors.js';
import {
  countCannedReplies,
  deleteCannedReply,
  listCannedReplies,
  putCannedReply,
  updateCannedReply,
} from '../store/canned-replies.js';

const mustAdmin = (principal: Principal) => {
  if (principal.role !== 'admin') throw new Forbidden();
};

export async function findCannedReplies(principal: Principal, filters: CannedReplyFilters): Promise<CannedReply[]> {
  if (!isAgent(principal)) throw new Forbidden();
  return (await listCannedReplies()).filter((reply) => matchesCannedFilters(reply, filters)).sort(byTitle);
}

export async function createCannedReply(
  principal: Principal,
  input: { title: string; body: string; topic?: TopicId; locale?: Locale },
  now = new Date(),
): Promise<CannedReply> {
  mustAdmin(principal);
  if ((await countCannedReplies()) >= maxCannedReplies) {
    throw new Conflict(`there are already ${maxCannedReplies} canned replies; delete one first`);
  }
  const reply: CannedReply = {
    id: ulid(now.getTime()),
    title: input.title,
    body: input.body,
    ...(input.topic ? { topic: input.topic } : {}),
    locale: input.locale ?? defaultLocale,
    updatedAt: now.toISOString(),
  };
  await putCannedReply(reply);
  return reply;
}

export async function changeCannedReply(
  principal: Principal,
  id: string,
  patch: CannedReplyPatch,
  now = new Date(),
): Promise<CannedReply> {
  mustAdmin(principal);
  const reply = isUlid(id) ? await updateCannedReply(id, patch, now.toISOString()) : undefined;
  if (!reply) throw new NotFound('canned reply');
  return reply;
}

export async function removeCannedReply(principal: Principal, id: string): Promise<void> {
  mustAdmin(principal);
  if (!isUlid(id) || !(await deleteCannedReply(id))) throw new NotFound('canned reply');
}
