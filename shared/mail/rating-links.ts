// The resolution e-mail's five one-click ratings (`{WEB_URL}/rate#token=…&score=N`, api.md "Satisfaction"):
// a signed token that lets the requester rate one ticket without signing in. It travels in the URL's
// fragment, which browsers never send to a server, and the rate page posts it to `POST /satisfaction`.
import { errors, jwtVerify, SignJWT } from 'jose';
import { config } from '../config.js';
import type { ReportedTicket } from '../domain/reports.js';
import { ratingDeadline } from '../domain/satisfaction.js';
import { Gone } from '../errors.js';
import { secrets } from '../secrets.js';

const issuer = 'atende';
// Its own audience, so that a rating token is never an access token (access-tokens.ts wants `atende-api`).
const audience = 'atende-rating';
const algorithm = 'HS256';

/** A token for rating `ticket` as its requester, valid until the rating window closes. */
export async function ratingToken(ticket: ReportedTicket): Promise<string> {
  return new SignJWT({ tid: ticket.id })
    .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
    .setSubject(ticket.requesterId)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(ratingDeadline(ticket).getTime() / 1000))
    .sign(await secrets.jwtKey());
}

/**
 * The five links of the resolution e-mail, score 1 to 5: for the notification that tells the requester the
 * ticket was resolved (one token serves all five).
 */
export async function ratingLinks(ticket: ReportedTicket): Promise<{ score: number; url: string }[]> {
  const token = await ratingToken(ticket);
  return [1, 2, 3, 4, 5].map((score) => ({
    score,
    url: `${config.webUrl}/rate#token=${encodeURIComponent(token)}&score=${score}`,
  }));
}

/** The ticket and requester a rating token names; 410 for an expired, forged or malformed one. */
export async function verifyRatingToken(token: string): Promise<{ ticketId: string; requesterId: string }> {
  try {
    const { payload } = await jwtVerify(token, await secrets.jwtKey(), {
      algorithms: [algorithm],
      issuer,
      audience,
      requiredClaims: ['sub', 'exp', 'tid'],
    });
    if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string') throw new Gone();
    return { ticketId: payload.tid, requesterId: payload.sub };
  } catch (error) {
    if (error instanceof errors.JOSEError) throw new Gone('this rating link has expired or is not valid');
    throw error;
  }
}
