// THE fixture module: people and groups for tests, made through the identity store directly (fast, no
// HTTP) and signed in with real access tokens the route handlers accept. Every call makes new,
// unique people, so tests never step on each other.
//
//   const group = await world.group();
//   const ana = await world.customer({ group });         // ana.token, ana.user, ana.password, ana.headers
//   await http.get('/me', { headers: ana.headers });
import { ulid } from 'ulid';
import { issueAccessToken } from '../../shared/auth/access-tokens.js';
import { hashPassword } from '../../shared/auth/passwords.js';
import type { Group } from '../../shared/domain/groups.js';
import type { Principal, Role } from '../../shared/domain/roles.js';
import {
  defaultLocale,
  type GroupRef,
  principalOf,
  type User,
  type UserView,
  userView,
} from '../../shared/domain/users.js';
import { membershipItems, putGroup } from '../../shared/store/groups.js';
import { createUser } from '../../shared/store/users.js';

export interface Person {
  user: UserView;
  principal: Principal;
  email: string;
  /** Signs in with `POST /auth/login` (undefined for host-platform users, who have none). */
  password?: string;
  /** A 15-minute access token. */
  token: string;
  /** `{ authorization: 'Bearer …' }`, ready for a request. */
  headers: { authorization: string };
}

export interface PersonOptions {
  name?: string;
  email?: string;
  password?: string;
  /** Groups the person belongs to (customers need at least one to see anything). */
  groups?: readonly Group[];
}

const unique = () => ulid().toLowerCase();
const fixtureCost = { N: 1024, r: 8, p: 1 };

async function person(role: Role, options: PersonOptions = {}): Promise<Person> {
  const id = ulid();
  const email = options.email ?? `${role.replace('_', '-')}-${unique()}@example.com`;
  const password = role === 'platform_user' ? undefined : (options.password ?? `pw-${unique()}`);
  const user: User = {
    id,
    email,
    name: options.name ?? `Test ${role} ${id.slice(-6)}`,
    role,
    // Cheap to make; the stored parameters let the login function verify it at this cost too.
    ...(password ? { passwordHash: await hashPassword(password, fixtureCost) } : {}),
    locale: defaultLocale,
    ...(role === 'platform_user' ? { platformSubject: `platform-${id}` } : {}),
    createdAt: new Date().toISOString(),
  };
  const groups: GroupRef[] = (options.groups ?? []).map((g) => ({ id: g.id, name: g.name }));
  const now = user.createdAt;
  await createUser(
    user,
    groups.flatMap((g) => membershipItems(g, id, now)),
  );
  const principal = principalOf(user, groups);
  const token = await issueAccessToken(principal);
  return {
    user: userView(user, groups),
    principal,
    email,
    password,
    token,
    headers: { authorization: `Bearer ${token}` },
  };
}

export const world = {
  /** A new access group (a customer company). */
  async group(options: { name?: string; taxId?: string; createdBy?: string } = {}): Promise<Group> {
    const id = ulid();
    const group: Group = {
      id,
      name: options.name ?? `Empresa ${id.slice(-6)}`,
      ...(options.taxId ? { taxId: options.taxId } : {}),
      createdAt: new Date().toISOString(),
      createdBy: options.createdBy ?? 'world',
    };
    await putGroup(group);
    return group;
  },
  /** A customer of `group` (or of `groups`; a new group when neither is given). */
  async customer(options: PersonOptions & { group?: Group } = {}): Promise<Person & { group: Group }> {
    const groups = options.groups ?? [options.group ?? (await world.group())];
    const customer = await person('customer', { ...options, groups });
    return { ...customer, group: groups[0] as Group };
  },
  agent: (options?: PersonOptions) => person('agent', options),
  admin: (options?: PersonOptions) => person('admin', options),
  auditor: (options?: PersonOptions) => person('auditor', options),
  /** Signed in through the host platform: no password, no group. */
  platformUser: (options?: Omit<PersonOptions, 'password' | 'groups'>) => person('platform_user', options),
};
