import { z } from 'zod';
import { normalizeCnpj } from './cnpj.js';
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

const TaxId = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    const digits = normalizeCnpj(value);
    if (digits) return digits;
    ctx.issues.push({ code: 'custom', message: 'not a valid CNPJ', input: value });
    return z.NEVER;
  });

export const CreateGroupBody = z.strictObject({ name: z.string().trim().min(1).max(120), taxId: TaxId.optional() });

export const Limit = z.coerce.number().int().min(1).max(100).default(25);
export const ListGroupsQuery = z.strictObject({ cursor: z.string().max(2048).optional(), limit: Limit });

export const GroupParams = z.strictObject({ groupId: z.string().min(1).max(64) });

/** Staff see every group; anyone else only the groups they belong to. */
export const canSeeGroup = (principal: Principal, groupId: string): boolean =>
  isStaff(principal) || principal.groupIds.includes(groupId);
