import { message, negotiateLang } from '../../shared/messages';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors';

describe('negotiateLang', () => {
  it.each([
    [undefined, 'zh'],
    ['', 'zh'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['fr-FR, en;q=0.5', 'en'],
    ['en;q=0.2, zh-TW;q=0.8', 'zh'],
    ['de', 'zh'],
    ['en;q=0', 'zh'],
  ])('%s -> %s', (header, lang) => {
    expect(negotiateLang(header)).toBe(lang);
  });
});

describe('messages', () => {
  it('has a Chinese and an English message for every error code', () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      expect(message(code, 'zh')).toMatch(/\p{Script=Han}/u);
      expect(message(code, 'en')).toMatch(/^[\x20-\x7e]+$/);
    }
  });
});
