// NF-e access keys (chave de acesso): 43 digits describing the invoice plus a mod-11 check digit.

export function nfeCheckDigit(first43: string): number {
  let sum = 0;
  let weight = 2;
  for (let i = first43.length - 1; i >= 0; i--) {
    sum += Number(first43[i]) * weight;
    weight = weight === 9 ? 2 : weight + 1;
  }
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

export function nfeAccessKey(parts: {
  uf: string;
  yearMonth: string;
  cnpj: string;
  series: string;
  number: string;
  emission: string;
  code: string;
}): string {
  const first43 = `${parts.uf}${parts.yearMonth}${parts.cnpj}55${parts.series}${parts.number}${parts.emission}${parts.code}`;
  if (!/^\d{43}$/.test(first43)) throw new Error('an NF-e access key has 43 digits before its check digit');
  return first43 + String(nfeCheckDigit(first43));
}

export const isNfeAccessKey = (key: string): boolean =>
  /^\d{44}$/.test(key) && nfeCheckDigit(key.slice(0, 43)) === Number(key[43]);

/** Groups of four digits, as printed on a DANFE. */
export const formatAccessKey = (key: string): string => key.replace(/(\d{4})(?=\d)/g, '$1 ');

export const formatCnpj = (digits: string): string =>
  digits.replace(/^(\d{2})(\d{3})(\d{3})(\d{4})(\d{2})$/, '$1.$2.$3/$4-$5');
