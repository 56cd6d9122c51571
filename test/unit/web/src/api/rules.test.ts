import { describe, expect, it } from 'vitest';
import * as tickets from '../../../../../shared/domain/tickets.js';
import * as users from '../../../../../shared/domain/users.js';
import * as web from '../../../../../web/src/api/rules.js';

describe('the forms check what the API checks', () => {
  it('offers every status and priority the API knows, in its order', () => {
    expect(web.statuses).toEqual(tickets.statuses);
    expect(web.priorities).toEqual(tickets.priorities);
  });

  it('offers the staff roles the API accepts for staff invitations and role changes', () => {
    expect(web.staffRoles).toEqual(users.staffRoles);
  });

  it('limits subjects, texts and new passwords as the API does', () => {
    expect(web.maxSubjectLength).toBe(tickets.maxSubjectLength);
    expect(web.maxTextLength).toBe(tickets.maxTextLength);
    expect(web.minPasswordLength).toBe(users.minPasswordLength);
  });
});
