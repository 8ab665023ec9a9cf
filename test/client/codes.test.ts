/** The client's copy of the public error codes and messages stays equal to the server's. */
import { ERROR_CODES } from '../../shared/errors';
import { message } from '../../shared/messages';
import { CLIENT_CODES, SERVER_CODES } from '../../client/src';
import { ownMessage } from '../../client/src/messages';

describe('error codes', () => {
  it("are the server's codes with the server's statuses", () => {
    const server = Object.fromEntries(Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]));
    expect(SERVER_CODES).toEqual(server);
  });

  it('add client-only codes that the server does not use', () => {
    expect(CLIENT_CODES.filter((code) => code in ERROR_CODES)).toEqual([]);
  });

  it("say what the server says when the client writes a gateway's answer itself", () => {
    for (const code of ['UNAUTHORIZED', 'FORBIDDEN', 'INTERNAL', 'SERVICE_UNAVAILABLE'] as const) {
      for (const lang of ['zh', 'en'] as const) expect([code, lang, ownMessage(code, lang)]).toEqual([code, lang, message(code, lang)]);
    }
  });
});
