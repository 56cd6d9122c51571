// CNPJ: the Brazilian company registry number. 14 digits, the last two are check digits (mod 11).
// People type it with or without the usual punctuation (12.345.678/0001-95); we keep digits only.

const firstWeights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const secondWeights = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

function checkDigit(digits: readonly number[], weights: readonly number[]): number {
  const sum = weights.reduce((total, weight, i) => total + weight * (digits[i] ?? 0), 0);
  const remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}

/** The CNPJ as 14 digits when it is valid, otherwise undefined. */
export function normalizeCnpj(input: string): string | undefined {
  if (!/^[\d./\s-]+$/.test(input)) return undefined;
  const digitsOnly = input.replace(/\D/g, '');
  if (digitsOnly.length !== 14) return undefined;
  // Repeated digits pass the arithmetic but are not real registrations.
  if (/^(\d)\1{13}$/.test(digitsOnly)) return undefined;
  const digits = [...digitsOnly].map(Number);
  if (checkDigit(digits, firstWeights) !== digits[12]) return undefined;
  if (checkDigit(digits, secondWeights) !== digits[13]) return undefined;
  return digitsOnly;
}
