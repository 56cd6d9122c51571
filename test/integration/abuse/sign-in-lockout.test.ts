// Attack: 1,000 wrong passwords for the admin from one address, meant to lock the admin out.
// Figure: 4 are answered 401, the 5th starts that address's lockout and the remaining 995 are refused with
// 429 without their password being checked; the admin still signs in from another address, and the
// attacker's address stays locked even with the right password.
import { describe, expect, it } from 'vitest';
import { waitForLog } from '../../support/request-log.js';
import { world } from '../../support/world.js';
import { inParallel, requestFrom } from './support.js';

const attacker = '127.0.0.3';
const owner = '127.0.0.2';

describe('sign-in lockout per e-mail and source address', () => {
  it('1,000 wrong passwords for the admin from one address: 4 checked and refused, 996 refused unchecked, the admin still signs in from another', async () => {
    const admin = await world.admin();
    const statuses = await inParallel(1000, 8, (i) =>
      requestFrom(attacker, 'POST', '/auth/login', { email: admin.email, password: `guess number ${i}` }).then(
        (res) => res.status,
      ),
    );
    const count = (status: number) => statuses.filter((s) => s === status).length;
    expect({ 401: count(401), 429: count(429) }).toEqual({ 401: 4, 429: 996 });

    const fromElsewhere = await requestFrom(owner, 'POST', '/auth/login', {
      email: admin.email,
      password: admin.password,
    });
    expect(fromElsewhere.status).toBe(200);
    expect(fromElsewhere.body.user.id).toBe(admin.user.id);

    const fromAttacker = await requestFrom(attacker, 'POST', '/auth/login', {
      email: admin.email,
      password: admin.password,
    });
    expect(fromAttacker.status).toBe(429);
    expect(fromAttacker.body.error.code).toBe('rate_limited');
    expect(Number(fromAttacker.headers['retry-after'])).toBeGreaterThan(0);

    // Every refusal is on the request log, with the attacker's address.
    const lines = await waitForLog(
      'the 1,002 sign-ins',
      (all) => all.filter((l) => l.route === 'POST /auth/login' && l.resource?.id === admin.email).length >= 1002,
    );
    const attempts = lines.filter((l) => l.route === 'POST /auth/login' && l.resource?.id === admin.email);
    expect(attempts.filter((l) => l.status === 429 && l.sourceIp === attacker)).toHaveLength(997);
    expect(attempts.filter((l) => l.status === 200).map((l) => l.sourceIp)).toEqual([owner]);
  }, 180_000);
});
