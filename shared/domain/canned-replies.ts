// Canned replies: answers admins save for the questions asked ten times a day, per topic and language.
// Their bodies may hold placeholders the console fills in before sending (docs/api.md): `{{requester.name}}`,
// `{{ticket.number}}`, `{{agent.name}}`. They are plain text, like every message: never markup.
import * as z from '../zod.js';
import { tokenize } from './search.js';
import { maxTextLength } from './tickets.js';
import { Topic, type TopicId } from './topics.js';
import { type Locale, locales } from './users.js';

/** The contract's `reply`. */
export interface CannedReply {
  id: string;
  title: string;
  body: string;
  topic?: TopicId;
  locale: Locale;
  updatedAt: string;
}

/** Replies a deployment may keep: all of them are read to filter a list, so there must be a bound. */
export const maxCannedReplies = 500;

const Title = z.string().check(
  z.trim(),
  z.minLength(1),
  z.maxLength(120),
  z.refine((title) => !/\p{Cc}/u.test(title), { error: 'must not contain control characters' }),
);
const Body = z.string().check(
  z.trim(),
  z.refine((s) => s.length > 0, { error: 'must not be empty' }),
  z.refine((s) => Array.from(s).length <= maxTextLength, { error: `at most ${maxTextLength} characters` }),
);

export const CreateCannedReplyBody = z.strictObject({
  title: Title,
  body: Body,
  topic: z.optional(Topic),
  locale: z.optional(z.enum(locales)),
});

export const PatchCannedReplyBody = z
  .strictObject({
    title: z.optional(Title),
    body: z.optional(Body),
    /** `null` makes the reply serve every topic. */
    topic: z.optional(z.nullable(Topic)),
    locale: z.optional(z.enum(locales)),
  })
  .check(z.refine((patch) => Object.values(patch).some((v) => v !== undefined), { error: 'nothing to change' }));
export type CannedReplyPatch = z.output<typeof PatchCannedReplyBody>;

export const ListCannedRepliesQuery = z.strictObject({
  topic: z.optional(Topic),
  q: z.pipe(
    z.optional(z.string().check(z.trim(), z.maxLength(120))),
    z.transform((q: string | undefined) => q || undefined),
  ),
});
export type CannedReplyFilters = z.output<typeof ListCannedRepliesQuery>;

export const CannedReplyParams = z.strictObject({ id: z.string() });

/**
 * Whether a reply belongs in a list filtered by `topic` (replies without a topic serve every topic) and `q`
 * (every word of it begins a word of the title, accent- and case-insensitive: the console's "/" picker).
 */
export function matchesCannedFilters(reply: CannedReply, filters: CannedReplyFilters): boolean {
  if (filters.topic !== undefined && reply.topic !== undefined && reply.topic !== filters.topic) return false;
  if (filters.q === undefined) return true;
  const words = tokenize(reply.title);
  return tokenize(filters.q).every((q) => words.some((word) => word.startsWith(q)));
}

/** The list's order: by title, as a person looks for one. */
export const byTitle = (a: CannedReply, b: CannedReply): number =>
  a.title.localeCompare(b.title, 'pt-BR', { sensitivity: 'base' }) || (a.id < b.id ? -1 : 1);
