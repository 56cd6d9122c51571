import { describe, expect, it } from 'vitest';
import { formatAccessKey, isNfeAccessKey, nfeAccessKey, nfeCheckDigit } from '../../../../../web/src/lib/nfe.js';

describe('NF-e access keys (the demo host platform’s document, a ticket’s documentRef)', () => {
  it('computes the mod-11 check digit of a published example key', () => {
    // The worked example of the NF-e integration manual (Manual de Orientação do Contribuinte): DV 5.
    const key = '52060433009911002506550120000007800267301615';
    expect(nfeCheckDigit(key.slice(0, 43))).toBe(Number(key[43]));
    expect(isNfeAccessKey(key)).toBe(true);
  });

  it('builds a 44-digit key that its own check accepts, and refuses a key with one digit changed', () => {
    const key = nfeAccessKey({
      uf: '35',
      yearMonth: '2411',
      cnpj: '11222333000181',
      series: '001',
      number: '000012345',
      emission: '1',
      code: '48213577',
    });
    expect(key).toMatch(/^\d{44}$/);
    expect(isNfeAccessKey(key)).toBe(true);
    const altered = `${key.slice(0, 10)}${(Number(key[10]) + 1) % 10}${key.slice(11)}`;
    expect(isNfeAccessKey(altered)).toBe(false);
  });

  it('prints the key in groups of four digits, as on a DANFE', () => {
    expect(formatAccessKey('12345678')).toBe('1234 5678');
  });
});
