// What a name (a person's, a group's, a file's) may not contain (api.md, "Limits against abuse"): control
// characters, which break the e-mails and logs a name goes into (a group name is in invitation subjects),
// and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make a name
// read differently from what it is ("invoice‮fdp.exe"). Joiners and marks that scripts and emoji need stay.
import * as z from '../zod.js';

const unsafe = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** Refuses control characters and bidirectional overrides, with the contract's `validation_failed`. */
export const safeName = z.refine<string>((name) => !unsafe.test(name), {
  error: 'must not contain control characters or bidirectional overrides',
});

/** A name shown to people: trimmed, 1 to `max` characters, nothing that hides what it says. */
export const DisplayName = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max), safeName);
