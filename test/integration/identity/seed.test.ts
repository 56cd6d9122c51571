// `npm start`'s bootstrap: the first admin and the demo people, created once and printed.
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { demo, seed } from '../../../infra/local/seed.js';
import { api } from '../../support/http.js';
import { readAll } from '../../support/pages.js';

describe('seed', () => {
  it('creates the first admin and the demo people once, and prints how to sign in', async () => {
    const env = {
      ...process.env,
      ATENDE_ADMIN_EMAIL: `Boss-${ulid()}@Example.com`,
      ATENDE_ADMIN_PASSWORD: 'a secret of the boss',
      ATENDE_DEMO: '1',
    };
    const printed: string[] = [];
    await seed(env, (line) => printed.push(line));
    await seed(env, (line) => printed.push(line));
    const [first, second] = printed;
    const adminEmail = env.ATENDE_ADMIN_EMAIL.toLowerCase();
    expect(first).toContain(`admin     ${adminEmail} / a secret of the boss`);
    expect(first).toContain(`${demo.customer.email} / ${demo.customer.password}`);
    expect(first).toContain(process.env.PLATFORM_SECRET);
    expect(second).toContain(`${adminEmail} (already there`);

    const admin = await api.post('/auth/login', { body: { email: adminEmail, password: 'a secret of the boss' } });
    expect(admin.status).toBe(200);
    expect(admin.body.user.role).toBe('admin');
    const agent = await api.post('/auth/login', { body: { email: demo.agent.email, password: demo.agent.password } });
    expect(agent.body.user.role).toBe('agent');
    const customer = await api.post('/auth/login', {
      body: { email: demo.customer.email, password: demo.customer.password },
    });
    expect(customer.body.user).toMatchObject({ role: 'customer', groups: [{ name: demo.group.name }] });

    const groups = await readAll('/groups', admin.body.accessToken);
    const demoGroups = groups.filter((g: { name: string }) => g.name === demo.group.name);
    expect(demoGroups).toEqual([expect.objectContaining({ taxId: demo.group.taxId })]);
  });
});
