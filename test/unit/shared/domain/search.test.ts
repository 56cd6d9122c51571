import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  indexWords,
  leadingWord,
  matchesWords,
  maxTicketWords,
  maxWordLength,
  queryWords,
  tokenize,
} from '../../../../shared/domain/search.js';

const found = (subject: string, description: string, q: string) => {
  const words = queryWords(q);
  return words !== undefined && words.length > 0 && matchesWords(indexWords(subject, description), words);
};

describe('word search', () => {
  it('finds "Nota Fiscal Eletrônica" by "nota fiscal" and by "eletronica"', () => {
    expect(found('Nota Fiscal Eletrônica rejeitada', '', 'nota fiscal')).toBe(true);
    expect(found('Nota Fiscal Eletrônica rejeitada', '', 'eletronica')).toBe(true);
    expect(found('Nota Fiscal Eletrônica rejeitada', '', 'ELETRÔNICA')).toBe(true);
    expect(found('Nota Fiscal Eletrônica rejeitada', '', 'nota boleto')).toBe(false);
  });

  it('matches words of the description too, in any order', () => {
    expect(found('Erro ao emitir', 'A SEFAZ devolveu o código 539 para a NF-e', 'sefaz 539 nf')).toBe(true);
  });

  it('keeps words of other scripts and drops emoji and punctuation', () => {
    expect(tokenize('Falha 😀 no envio — שלום עולם, مَرْحَبًا! 한국어')).toEqual([
      'falha',
      'no',
      'envio',
      'שלום',
      'עולם',
      'مرحبا',
      '한국어',
    ]);
    expect(found('שלום עולם 😀', '', 'עולם')).toBe(true);
    expect(found('مَرْحَبًا بالعالم', '', 'مرحبا')).toBe(true);
  });

  it('folds case beyond lower-casing: ß, final sigma, ligatures, dotted capital I', () => {
    expect(tokenize('Straße ΟΔΟΣ ﬁscal İstanbul')).toEqual(['strasse', 'οδοσ', 'fiscal', 'istanbul']);
    expect(found('Rua da STRASSE', '', 'straße')).toBe(true);
  });

  it('treats injection-looking text as plain words', () => {
    expect(tokenize(`' OR 1=1; -- {"$gt": ""} <script>`)).toEqual(['or', '1', '1', 'gt', 'script']);
  });

  it('cuts very long words at the same length when indexing and searching, so a 44-digit key is found', () => {
    const key = '35240112345678000199550010000000011000000019';
    expect(found(`NF-e ${key}`, '', key)).toBe(true);
    const long = 'a'.repeat(500);
    expect(tokenize(long)[0]).toHaveLength(maxWordLength);
    expect(found(long, '', long)).toBe(true);
  });

  it('indexes the first distinct words up to the budget, subject first, without stop words', () => {
    expect(indexWords('A nota da fiscal', 'nota de para com fiscal boleto')).toEqual(['nota', 'fiscal', 'boleto']);
    const many = Array.from({ length: 2000 }, (_, i) => `palavra${i}`).join(' ');
    const words = indexWords('assunto', many);
    expect(words).toHaveLength(maxTicketWords);
    expect(words.slice(0, 3)).toEqual(['assunto', 'palavra0', 'palavra1']);
  });

  it('tells a query without any word from one made only of stop words', () => {
    expect(queryWords('!!! 😀 ...')).toBeUndefined();
    expect(queryWords('de da')).toEqual([]);
  });

  it('reads the partition of the longest query word', () => {
    expect(leadingWord(['nf', 'rejeitada', 'nota'])).toBe('rejeitada');
    expect(leadingWord(['abc', 'xyz'])).toBe('abc');
    expect(leadingWord([])).toBeUndefined();
  });
});

// Letters with and without accents, in both cases, some separators.
const accented = 'aáàâãäAÁÀÂÃÄeéêëEÉÊËiíîïIÍÎÏoóôõöOÓÔÕÖuúûüUÚÛÜcçCÇnñNÑ';
const latinText = fc.string({ unit: fc.constantFrom(...accented, ' ', '-', ',', '1', '9') });
const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');

describe('search normalisation (properties)', () => {
  it('is insensitive to case and accents', () => {
    fc.assert(
      fc.property(latinText, (text) => {
        expect(tokenize(text.toUpperCase())).toEqual(tokenize(text));
        expect(tokenize(text.toLowerCase())).toEqual(tokenize(text));
        expect(tokenize(stripAccents(text))).toEqual(tokenize(text));
      }),
    );
  });

  it('is idempotent and yields only lower-case letters and digits, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const words = tokenize(text);
        expect(tokenize(words.join(' '))).toEqual(words);
        for (const word of words) {
          expect(word).toMatch(/^[\p{L}\p{N}]+$/u);
          expect(word).not.toMatch(/\p{M}/u);
          expect(Array.from(word).length).toBeLessThanOrEqual(maxWordLength);
        }
      }),
    );
  });

  it('finds "ẞ" (capital sharp s) by the word it folds to, as any other word', () => {
    const indexed = indexWords('', 'ẞ');
    expect(matchesWords(indexed, queryWords(indexed[0] as string) ?? [])).toBe(true);
    expect(matchesWords(indexed, queryWords('ss') ?? [])).toBe(true);
  });

  it('finds a ticket by any word it was indexed with', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (subject, description) => {
        const indexed = indexWords(subject, description);
        for (const word of indexed) expect(matchesWords(indexed, queryWords(word) ?? [])).toBe(true);
      }),
    );
  });

  it('finds a ticket by every word of its subject, however the query is cased or accented', () => {
    fc.assert(
      fc.property(latinText, (subject) => {
        const words = queryWords(stripAccents(subject).toUpperCase());
        if (words === undefined || words.length === 0) return;
        expect(matchesWords(indexWords(subject, ''), words)).toBe(true);
      }),
    );
  });
});
