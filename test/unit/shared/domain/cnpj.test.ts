import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeCnpj } from '../../../../shared/domain/cnpj.js';

describe('CNPJ', () => {
  it('accepts a valid CNPJ typed with or without punctuation and keeps digits only', () => {
    expect(normalizeCnpj('11.222.333/0001-81')).toBe('11222333000181');
    expect(normalizeCnpj('11222333000181')).toBe('11222333000181');
    expect(normalizeCnpj(' 12.345.678/0001-95 ')).toBe('12345678000195');
  });

  it('refuses a wrong check digit', () => {
    expect(normalizeCnpj('11.222.333/0001-82')).toBeUndefined();
    expect(normalizeCnpj('11.222.333/0001-91')).toBeUndefined();
  });

  it('refuses wrong lengths, letters and repeated digits', () => {
    for (const bad of [
      '',
      '1122233300018',
      '112223330001811',
      '11.222.333/0001-8a',
      '00000000000000',
      '11111111111111',
    ]) {
      expect(normalizeCnpj(bad), bad).toBeUndefined();
    }
  });

  it('catches every single-digit typo of a valid CNPJ', () => {
    const valid = '11222333000181';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 9 }), (position, delta) => {
        const digit = (Number(valid[position]) + delta) % 10;
        const typo = valid.slice(0, position) + digit + valid.slice(position + 1);
        expect(normalizeCnpj(typo)).toBeUndefined();
      }),
    );
  });
});
