// What the staff page may offer for each person, before anything is sent. The API has the last word
// (409 `conflict` when a change would leave no active admin); these rules only keep the page from
// offering what would fail or lock the admin out of the page they are using.
import type { User } from '../api/types.js';

/** Why a person's role and status are not offered for change: none, oneself, or the last active admin. */
export type Guard = 'self' | 'last_admin' | null;

export const isActiveAdmin = (person: Pick<User, 'role' | 'status'>): boolean =>
  person.role === 'admin' && person.status === 'active';

/**
 * An admin does not demote or disable themselves here (another admin does it, so nobody locks themselves
 * out mid-change), and nobody is offered to demote or disable the only active admin.
 */
export function guardOf(
  staff: readonly Pick<User, 'id' | 'role' | 'status'>[],
  meId: string,
  person: Pick<User, 'id' | 'role' | 'status'>,
): Guard {
  if (person.id === meId) return 'self';
  if (isActiveAdmin(person) && staff.filter(isActiveAdmin).length <= 1) return 'last_admin';
  return null;
}

/** Active people first, then by name as a Brazilian reader sorts it (accents ignored, case ignored). */
export function sortStaff<T extends Pick<User, 'name' | 'status'>>(staff: readonly T[]): T[] {
  const collator = new Intl.Collator('pt-BR', { sensitivity: 'base' });
  return [...staff].sort(
    (a, b) => Number(a.status !== 'active') - Number(b.status !== 'active') || collator.compare(a.name, b.name),
  );
}

/** A changed item in place of the old one (the list keeps its order until it is loaded again). */
export const replaced = <T extends { id: string }>(list: readonly T[], item: T): T[] =>
  list.map((x) => (x.id === item.id ? item : x));

/**
 * A new item at the top of a list that may still be loading (`null`), once: when the list's own answer
 * arrived after the item was written, it already holds it, read later than the creation's answer.
 */
export const added = <T extends { id: string }>(list: readonly T[] | null, item: T): T[] =>
  list?.some((x) => x.id === item.id) ? [...list] : [item, ...(list ?? [])];

/**
 * `POST /invites/accept`: an existing account proves itself with its password and keeps its name; a new
 * account gives both.
 */
export function acceptBody(
  token: string,
  existingAccount: boolean,
  fields: { name: string; password: string },
): { token: string; password: string; name?: string } {
  return existingAccount
    ? { token, password: fields.password }
    : { token, name: fields.name.trim(), password: fields.password };
}
