/** An order as the server answers it, for the client's tests. */
export const ORDER = {
  orderNo: 'O1',
  uid: 'u1',
  productId: 'p1',
  quantity: 1,
  price: 990,
  amount: 990,
  status: 'created',
  createdAt: '2026-01-01T00:00:00Z',
  version: 1,
};
