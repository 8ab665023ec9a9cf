/**
 * The order lifecycle methods of the client (pay and cancel in the buyer's entry, ship and refund in the admin
 * entry's client, which has both): paths, bodies, If-Match and the key, both transports' shapes.
 */
import { createAdminClient } from '../../client/src/admin';
import { envelope, fakeClock, fakeTransport } from './support/fakeTransport';

function setup() {
  const fake = fakeTransport(envelope(200, { msg: 'OK', data: {} }));
  let keys = 0;
  const client = createAdminClient({
    baseUrl: 'https://api.example.com',
    transport: fake.transport,
    getToken: () => 'token-1',
    clock: fakeClock().clock,
    newKey: () => `key-${++keys}`,
    lang: 'en',
  });
  return { client, requests: fake.requests };
}

describe('order lifecycle methods', () => {
  it('pay sends the account, the If-Match and the key (also in the direct payload); the others send no body', async () => {
    const { client, requests } = setup();
    await client.payOrder('O1', { accountId: 'acc-a' }, { ifMatch: '"O1.v1"' });
    await client.cancelOrder('O1');
    await client.shipOrder('O1', { ifMatch: '"O1.v2"' });
    await client.refundOrder('O1');

    expect(requests.map((r) => [r.operation, r.method, r.url, r.body, r.payload])).toEqual([
      [
        'payOrder',
        'POST',
        'https://api.example.com/orders/O1/pay',
        '{"accountId":"acc-a"}',
        { orderNo: 'O1', accountId: 'acc-a', ifMatch: '"O1.v1"', lang: 'en', idempotencyKey: 'key-1' },
      ],
      ['cancelOrder', 'POST', 'https://api.example.com/orders/O1/cancel', undefined, { orderNo: 'O1', lang: 'en' }],
      ['shipOrder', 'POST', 'https://api.example.com/orders/O1/ship', undefined, { orderNo: 'O1', ifMatch: '"O1.v2"', lang: 'en' }],
      ['refundOrder', 'POST', 'https://api.example.com/orders/O1/refund', undefined, { orderNo: 'O1', lang: 'en' }],
    ]);
    expect(requests[0]!.headers).toMatchObject({ 'if-match': '"O1.v1"', 'idempotency-key': 'key-1', 'content-type': 'application/json' });
    expect(requests[1]!.headers['if-match']).toBeUndefined();
    expect(requests[2]!.headers['if-match']).toBe('"O1.v2"');
  });
});
