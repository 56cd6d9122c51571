// Word search over tickets' subjects and descriptions, accent- and case-insensitive.
//
// Text is folded the same way when a ticket is indexed and when someone searches, so the two always agree:
//   1. NFKD first, so compatibility forms become plain letters that have a case ("𝒜" → "A", "ﬁ" → "fi");
//   2. case: upper- then lower-case (closer to Unicode case folding than lower-case alone: ß → ss), and the
//      Greek final sigma ς → σ (JavaScript's toLowerCase picks the final form by position);
//   3. NFKD again, then every combining mark dropped: "Eletrônica" → "eletronica"; Arabic vowel marks go too;
//   4. NFC, so Hangul syllables come back together after step 3 split them into jamo;
//   5. split on anything that is not a letter or a digit (in any script: Hebrew, Arabic, CJK stay words;
//      emoji and punctuation separate them), each word cut to `maxWordLength` characters.

/** Longer words are cut (a 44-digit NF-e access key fits); a query spelling one out in full still finds it. */
export const maxWordLength = 60;

/**
 * How many distinct words of a ticket are indexed at most (api.md, "Limits against abuse"): the subject's
 * first, then the description's, in order. Each is one item projected into three indexes, so a 10,000-character
 * description full of distinct words costs 200 items, not 2,000.
 */
export const maxTicketWords = 200;

/**
 * How many of them are indexed in the ticket's creation transaction (DynamoDB allows 100 items per
 * transaction); the rest are written right after it.
 */
export const maxIndexedWords = 60;

// Words too common to narrow anything down; leaving them out keeps the index budget for words that do.
const stopWords = new Set(
  [
    // pt-BR
    'a o e é as os um uma uns umas de da do das dos em na no nas nos por pra para com sem que se ao aos à às',
    'me te lhe nos meu minha seu sua ou mas como mais muito já não sim foi ser ter tem está esta este isso',
    // en
    'an the and or of to in on at for with by from is are was be it this that my your our i we you not',
  ]
    .join(' ')
    .split(' ')
    .map((w) => fold(w)),
);

function fold(text: string): string {
  return (
    text
      .normalize('NFKD')
      .toUpperCase()
      .toLowerCase()
      // Twice, so folding what was folded changes nothing: "ẞ" lower-cases to "ß", which upper-cases to "SS".
      .toUpperCase()
      .toLowerCase()
      .replace(/ς/g, 'σ')
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .normalize('NFC')
  );
}

/** Every word of `text`, folded, in order, repeats included. */
export function tokenize(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((word) => Array.from(word).slice(0, maxWordLength).join(''));
}

const distinct = (words: Iterable<string>): string[] => [...new Set(words)];

/** The words a ticket is found by: its first `maxTicketWords` distinct words, subject first, no stop words. */
export function indexWords(subject: string, description: string): string[] {
  const words = distinct([...tokenize(subject), ...tokenize(description)]).filter((w) => !stopWords.has(w));
  return words.slice(0, maxTicketWords);
}

/**
 * The words a query needs: all must appear in a ticket. Stop words are left out, as they are never indexed;
 * a query made of stop words alone needs `[]`, which matches nothing. `undefined` means the query has no
 * word at all (only punctuation or emoji).
 */
export function queryWords(q: string): string[] | undefined {
  const words = distinct(tokenize(q));
  if (words.length === 0) return undefined;
  return words.filter((w) => !stopWords.has(w));
}

/**
 * The word whose index partition is read; the others are checked on each ticket found. With no counts at
 * hand, the longest word is the best guess at the rarest (ties: the first).
 */
export function leadingWord(words: readonly string[]): string | undefined {
  return words.reduce<string | undefined>(
    (best, w) => (best === undefined || Array.from(w).length > Array.from(best).length ? w : best),
    undefined,
  );
}

/** Whether every query word is among a ticket's indexed words. */
export function matchesWords(ticketWords: readonly string[], words: readonly string[]): boolean {
  const own = new Set(ticketWords);
  return words.every((w) => own.has(w));
}
