// Refresh tokens, invitation and reset links, WebSocket connection tickets: 256 random bits handed out
// once, and only their SHA-256 kept. A leaked table therefore holds nothing that signs anyone in.
import { createHash, randomBytes } from 'node:crypto';

export const hashOpaqueToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}
