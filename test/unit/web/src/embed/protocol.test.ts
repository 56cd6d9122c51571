import { describe, expect, it } from 'vitest';
import { documentRefFrom, messageFrom } from '../../../../../web/src/embed/protocol.js';

describe('which messages the embedded chat and its host script read', () => {
  const parent = { name: 'host window' };
  const allowed = ['https://platform.example.com'];
  const hello = { type: 'atende:hello' };

  it('reads an Atende message from the expected window on an allowed origin', () => {
    expect(
      messageFrom({ origin: allowed[0] as string, source: parent as never, data: hello }, parent, allowed),
    ).toEqual(hello);
  });

  it('ignores the same message from another origin, another window, or with no window expected yet', () => {
    const from = (origin: string, source: unknown, expected: unknown = parent) =>
      messageFrom({ origin, source: source as never, data: hello }, expected, allowed);
    expect(from('https://evil.example.com', parent)).toBeUndefined();
    expect(from('https://platform.example.com.evil.com', parent)).toBeUndefined();
    expect(from(allowed[0] as string, { name: 'a sibling frame' })).toBeUndefined();
    expect(from(allowed[0] as string, null, null)).toBeUndefined();
  });

  it('ignores what is not an Atende message', () => {
    for (const data of [null, 'atende:hello', 42, { type: 7 }, { type: 'other:hello' }, []]) {
      expect(
        messageFrom({ origin: allowed[0] as string, source: parent as never, data }, parent, allowed),
      ).toBeUndefined();
    }
  });
});

describe('a documentRef handed over by the host page', () => {
  it('keeps only the contract fields, as strings', () => {
    expect(
      documentRefFrom({ type: 'nfe', id: '35241', title: '<b>NF-e</b>', url: 'https://p.example.com/d/1', extra: 1 }),
    ).toEqual({ type: 'nfe', id: '35241', title: '<b>NF-e</b>', url: 'https://p.example.com/d/1' });
    expect(documentRefFrom({ type: 'nfe', id: '1', title: 5, url: {} })).toEqual({ type: 'nfe', id: '1' });
  });

  it('is no documentRef without a type and an id', () => {
    for (const value of [undefined, null, 'nfe', { type: 'nfe' }, { id: '1' }, { type: '', id: '1' }]) {
      expect(documentRefFrom(value)).toBeUndefined();
    }
  });
});
