import * as z from '../zod.js';
import { normalizeCnpj } from './cnpj.js';
import { DisplayName } from './names.js';
import { isStaff, type Principal } from './roles.js';

/** An access group: a customer company whose members share its tickets. */
export interface Group {
  id: string;
  name: string;
  /** CNPJ, digits only. */
  taxId?: string;
  createdAt: string;
  createdBy: string;
}

const TaxId = z.pipe(
  z.string().check(z.maxLength(32)),
  z.transform((value: string, ctx) => {
    const digits = normalizeCnpj(value);
    if (digits) return digits;
    ctx.issues.push({ code: 'custom', message: 'not a valid CNPJ', input: value });
    return z.NEVER;
  }),
);

const GroupName = DisplayName(120);
const GroupTaxId = TaxId.check(
  z.describe('A valid CNPJ, with or without its punctuation; stored and answered as its 14 digits.'),
);

export const CreateGroupBody = z.strictObject({ name: GroupName, taxId: z.optional(GroupTaxId) });
export const PatchGroupBody = z.strictObject({ name: z.optional(GroupName), taxId: z.optional(GroupTaxId) });

export const Limit = z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25);
export const ListGroupsQuery = z.strictObject({
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: Limit,
});

export const GroupParams = z.strictObject({ groupId: z.string().check(z.minLength(1), z.maxLength(64)) });
export const MemberParams = z.strictObject({
  groupId: z.string().check(z.minLength(1), z.maxLength(64)),
  userId: z.string().check(z.minLength(1), z.maxLength(64)),
});

/** Staff see every group; anyone else only the groups they belong to. */
export const canSeeGroup = (principal: Principal, groupId: string): boolean =>
  isStaff(principal) || principal.groupIds.includes(groupId);
