// Access tokens: HS256 JWTs valid 15 minutes. The algorithm is pinned on verify, so `alg: none` and
// tokens signed any other way are refused whatever their header says.
import { errors, jwtVerify, SignJWT } from 'jose';
import { type Principal, type Role, roles } from '../domain/roles.js';
import { secrets } from '../secrets.js';

export const accessTokenSeconds = 15 * 60;
const issuer = 'atende';
const audience = 'atende-api';
const algorithm = 'HS256';

export async function issueAccessToken(principal: Principal): Promise<string> {
  return new SignJWT({
    role: principal.role,
    groups: principal.groupIds,
    name: principal.name,
    email: principal.email,
    ...(principal.accessRevision === undefined ? {} : { rev: principal.accessRevision }),
  })
    .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
    .setSubject(principal.userId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${accessTokenSeconds}s`)
    .sign(await secrets.jwtKey());
}

/** The principal a valid token names, or undefined for anything else (forged, expired, malformed). */
export async function verifyAccessToken(token: string): Promise<Principal | undefined> {
  try {
    const { payload } = await jwtVerify(token, await secrets.jwtKey(), {
      algorithms: [algorithm],
      issuer,
      audience,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const { sub, role, groups, name, email, rev } = payload;
    if (typeof sub !== 'string' || !roles.includes(role as Role)) return undefined;
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) return undefined;
    if (typeof name !== 'string' || typeof email !== 'string') return undefined;
    if (rev !== undefined && !Number.isSafeInteger(rev)) return undefined;
    return {
      userId: sub,
      role: role as Role,
      groupIds: groups,
      name,
      email,
      ...(rev === undefined ? {} : { accessRevision: rev as number }),
    };
  } catch (error) {
    if (error instanceof errors.JOSEError) return undefined;
    throw error;
  }
}

/** The token of an `authorization: Bearer …` header. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
