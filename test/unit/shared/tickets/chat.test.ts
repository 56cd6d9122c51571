import { describe, expect, it } from 'vitest';
import { chatSubject } from '../../../../shared/tickets/chat.js';

describe('the subject of a chat', () => {
  it('is the first line of the first message', () => {
    expect(chatSubject('  Não consigo baixar o XML.\nJá tentei duas vezes.')).toBe('Não consigo baixar o XML.');
  });

  it('collapses the spacing a list could not show', () => {
    expect(chatSubject('Nota\t\tfiscal   rejeitada')).toBe('Nota fiscal rejeitada');
  });

  it('is shortened with an ellipsis to 120 characters, counting an emoji as one', () => {
    const subject = chatSubject(`${'🙂'.repeat(130)} fim`);
    expect(Array.from(subject)).toHaveLength(120);
    expect(subject.endsWith('🙂…')).toBe(true);
  });

  it('keeps a first line of exactly 120 characters whole', () => {
    const line = 'a'.repeat(120);
    expect(chatSubject(`${line}\nmais`)).toBe(line);
  });
});
