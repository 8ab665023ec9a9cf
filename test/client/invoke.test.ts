/** The direct-invocation transport: function names, payloads, returned envelopes, lost answers. */
import { createClient, invokeTransport, type Invoke } from '../../client/src';

const BOUGHT = { code: 200, msg: 'Purchase completed', data: { order: { orderNo: 'O1' }, stock: 1, attempts: 1, strategy: 'atomic' } };

function recording(...answers: Array<unknown | Error>) {
  const calls: Array<{ name: string; payload: Record<string, unknown>; timeoutMs: number }> = [];
  const invoke: Invoke = async (name, payload, timeoutMs) => {
    calls.push({ name, payload, timeoutMs });
    const next = answers[Math.min(calls.length, answers.length) - 1];
    if (next instanceof Error) throw next;
    return next;
  };
  return { invoke, calls };
}

describe('invokeTransport', () => {
  it('invokes the operation’s direct function with the payload, and reads the envelope it returns', async () => {
    const { invoke, calls } = recording(BOUGHT);
    const client = createClient({
      transport: invokeTransport(invoke, { functionName: (op) => `lockless-prod-${op}` }),
      lang: 'en',
      newKey: () => 'k1',
      getToken: () => 'never sent',
    });
    const result = await client.purchase('p1', { quantity: 1 });

    expect(calls).toEqual([
      { name: 'lockless-prod-purchase', payload: { productId: 'p1', quantity: 1, lang: 'en', idempotencyKey: 'k1' }, timeoutMs: 10_000 },
    ]);
    expect(result).toEqual({
      ok: true,
      code: 200,
      msg: 'Purchase completed',
      data: BOUGHT.data,
      replayed: false,
      tries: 1,
      idempotencyKey: 'k1',
    });
  });

  it('reads a direct replay (the envelope says replayed: true) as replayed, like the HTTP header', async () => {
    const { invoke } = recording(new Error('socket hang up'), { ...BOUGHT, replayed: true });
    const result = await createClient({ transport: invokeTransport(invoke), retry: { baseMs: 1, capMs: 1 } }).purchase('p1', {
      quantity: 1,
    });
    expect(result).toMatchObject({ ok: true, replayed: true, tries: 2, data: BOUGHT.data });
    expect(result).not.toHaveProperty('data.replayed');
  });

  it('names functions lockless-dev-<operation> by default and accepts the payload as JSON text', async () => {
    const { invoke, calls } = recording(JSON.stringify({ code: 404, msg: '商品不存在', error: 'PRODUCT_NOT_FOUND' }));
    const result = await createClient({ transport: invokeTransport(invoke) }).getProduct('nope');
    expect(calls.map((c) => c.name)).toEqual(['lockless-dev-getProduct']);
    expect(result).toEqual({ ok: false, code: 404, msg: '商品不存在', error: 'PRODUCT_NOT_FOUND', tries: 1 });
  });

  it('retries a lost invocation with the same key, and reads a crashed function as INTERNAL', async () => {
    const { invoke, calls } = recording(new Error('socket hang up'), BOUGHT);
    const client = createClient({ transport: invokeTransport(invoke), retry: { baseMs: 1, capMs: 1 } });
    expect(await client.purchase('p1', { quantity: 1 })).toMatchObject({ ok: true, tries: 2 });
    expect(new Set(calls.map((c) => c.payload.idempotencyKey)).size).toBe(1);

    const crashed = recording({ errorType: 'Error', errorMessage: 'boom' });
    expect(await createClient({ transport: invokeTransport(crashed.invoke), lang: 'en' }).getCart('c1')).toMatchObject({
      ok: false,
      code: 502,
      error: 'INTERNAL',
      tries: 1,
    });
  });
});
