import { type ProduceJWT, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, issueAccessToken, verifyAccessToken } from '../../../../shared/auth/access-tokens.js';
import type { Principal } from '../../../../shared/domain/roles.js';

const secret = 'unit-test-jwt-secret-0123456789-abcdef';
const key = new TextEncoder().encode(secret);

beforeAll(() => {
  process.env.JWT_SECRET = secret;
});

const principal: Principal = {
  userId: '01J00000000000000000000USR',
  role: 'customer',
  groupIds: ['01J0000000000000000000GRPA', '01J0000000000000000000GRPB'],
  name: 'Ana Souza',
  email: 'ana@example.com',
};

const claims = { role: 'admin', groups: [], name: 'Mallory', email: 'm@example.com' };
/** Mallory's subject, our issuer and audience, on any JWT builder: issued now for 15 minutes unless told. */
const asOurs = <T extends ProduceJWT>(
  jwt: T,
  lifetime: { issuedAt?: number; expiresAt: number | string } = { expiresAt: '15m' },
) =>
  jwt
    .setSubject('01J00000000000000000000MAL')
    .setIssuer('atende')
    .setAudience('atende-api')
    .setIssuedAt(lifetime.issuedAt)
    .setExpirationTime(lifetime.expiresAt);
const forge = (signWith: Uint8Array, alg = 'HS256') =>
  asOurs(new SignJWT(claims).setProtectedHeader({ alg })).sign(signWith);

describe('access tokens', () => {
  it('carry the principal and last 15 minutes', async () => {
    const token = await issueAccessToken(principal);
    expect(await verifyAccessToken(token)).toEqual(principal);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(900);
    expect(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).alg).toBe('HS256');
  });

  it('refuse a token signed with another key', async () => {
    expect(
      await verifyAccessToken(await forge(new TextEncoder().encode('another-key-of-enough-length-000000'))),
    ).toBeUndefined();
  });

  it('refuse an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await asOurs(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }), {
      issuedAt: now - 3600,
      expiresAt: now - 60,
    }).sign(key);
    expect(await verifyAccessToken(expired)).toBeUndefined();
  });

  it('refuse alg none and any algorithm but HS256, even with the right key', async () => {
    const unsigned = asOurs(new UnsecuredJWT(claims)).encode();
    expect(await verifyAccessToken(unsigned)).toBeUndefined();
    expect(await verifyAccessToken(await forge(key, 'HS512'))).toBeUndefined();
  });

  it('refuse a correctly signed token with an edited payload', async () => {
    const [header, , signature] = (await issueAccessToken(principal)).split('.');
    const edited = Buffer.from(JSON.stringify({ ...claims, sub: principal.userId })).toString('base64url');
    expect(await verifyAccessToken(`${header}.${edited}.${signature}`)).toBeUndefined();
  });

  it('refuse garbage and tokens with an unknown role', async () => {
    expect(await verifyAccessToken('not.a.token')).toBeUndefined();
    expect(await verifyAccessToken('')).toBeUndefined();
    const wrongRole = await asOurs(new SignJWT({ ...claims, role: 'root' }).setProtectedHeader({ alg: 'HS256' })).sign(
      key,
    );
    expect(await verifyAccessToken(wrongRole)).toBeUndefined();
  });

  it('read the bearer token of an authorization header', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
  });
});
