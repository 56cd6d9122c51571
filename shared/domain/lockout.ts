// Brute-force protection for sign-in: 5 failures for one e-mail from one source IP within 15 minutes lock
// that e-mail for that IP for 15 minutes (the owner elsewhere is never locked out by someone else's guesses).
// The numbers; store/login-attempts.ts applies them atomically, so parallel guesses cannot overrun them.

export const maxFailures = 5;
export const failureWindowMs = 15 * 60 * 1000;
export const lockoutMs = 15 * 60 * 1000;
