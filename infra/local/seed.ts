// First start of `npm start`: the first admin (ATENDE_ADMIN_EMAIL / ATENDE_ADMIN_PASSWORD, defaults
// printed), and unless ATENDE_DEMO=0 a demo group with an agent and a customer whose credentials are
// printed too. Idempotent: people already there are left as they are (their passwords included).
import { ulid } from 'ulid';
import { hashPassword } from '../../shared/auth/passwords.js';
import type { Group } from '../../shared/domain/groups.js';
import type { Role } from '../../shared/domain/roles.js';
import { defaultLocale, type User } from '../../shared/domain/users.js';
import { membershipItems, putGroup } from '../../shared/store/groups.js';
import { createUser, findUserByEmail, listGroupsOfUser } from '../../shared/store/users.js';
import { defaultPlatformSecret } from './environment.js';

export const defaultAdmin = { email: 'admin@atende.local', password: 'admin-atende-local' };

export const demo = {
  group: { name: 'Ótica Boa Vista (demo)', taxId: '11222333000181' },
  agent: { email: 'agente@atende.local', password: 'agente-demo-local', name: 'Carla Agente' },
  customer: { email: 'cliente@otica-boa-vista.example', password: 'cliente-demo-local', name: 'Ana Cliente' },
} as const;

interface Account {
  email: string;
  password: string;
  name: string;
  role: Role;
}

/** Creates the account unless its e-mail is taken; true when it was created. */
async function ensureAccount(account: Account, group?: Group): Promise<boolean> {
  if (await findUserByEmail(account.email)) return false;
  const user: User = {
    id: ulid(),
    email: account.email,
    name: account.name,
    role: account.role,
    passwordHash: await hashPassword(account.password),
    locale: defaultLocale,
    createdAt: new Date().toISOString(),
  };
  await createUser(user, group ? membershipItems(group, user.id, user.createdAt) : []);
  return true;
}

/** `functions` is the functions' environment (start.ts passes it); the shell's own settings are read too. */
export async function seed(
  functions: Record<string, string | undefined> = {},
  print: (line: string) => void = console.log,
): Promise<void> {
  const env = { ...process.env, ...functions };
  const admin = {
    email: (env.ATENDE_ADMIN_EMAIL || defaultAdmin.email).trim().toLowerCase(),
    password: env.ATENDE_ADMIN_PASSWORD || defaultAdmin.password,
  };
  if (admin.password.length < 10) throw new Error('ATENDE_ADMIN_PASSWORD must be at least 10 characters');
  const lines = ['', 'Sign in:'];
  const created = await ensureAccount({ ...admin, name: 'Admin', role: 'admin' });
  lines.push(
    created
      ? `  admin     ${admin.email} / ${admin.password}`
      : `  admin     ${admin.email} (already there; its password is whatever was set last)`,
  );

  if ((env.ATENDE_DEMO ?? '1') !== '0') {
    const existing = await findUserByEmail(demo.customer.email);
    if (!existing) {
      const group: Group = {
        id: ulid(),
        ...demo.group,
        createdAt: new Date().toISOString(),
        createdBy: 'seed',
      };
      await putGroup(group);
      await ensureAccount({ ...demo.customer, role: 'customer' }, group);
    }
    await ensureAccount({ ...demo.agent, role: 'agent' });
    const groups = existing ? await listGroupsOfUser(existing.id) : [];
    lines.push(
      `  agent     ${demo.agent.email} / ${demo.agent.password}`,
      `  customer  ${demo.customer.email} / ${demo.customer.password}  (group ${groups[0]?.name ?? demo.group.name})`,
      '  (demo people; ATENDE_DEMO=0 skips them on a fresh data directory)',
    );
  }
  const platformSecret = env.PLATFORM_SECRET || env.ATENDE_PLATFORM_SECRET || defaultPlatformSecret;
  lines.push(`  host platform secret (POST /auth/platform, HS256): ${platformSecret}`);
  print(lines.join('\n'));
}
