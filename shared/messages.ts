/**
 * People-facing messages in Simplified Chinese and English. Machines branch on `error` codes; `msg` is for
 * people. Chinese is the default: most mini-program users read it.
 */
import type { ErrorCode } from './errors';

export type Lang = 'zh' | 'en';
export const DEFAULT_LANG: Lang = 'zh';

export type SuccessKey =
  | 'OK'
  | 'PURCHASED'
  | 'ITEM_ADDED'
  | 'ITEM_REMOVED'
  | 'TRANSFERRED'
  | 'PRODUCT_CREATED'
  | 'PRODUCT_UPDATED'
  | 'RESTOCKED'
  | 'PAID'
  | 'CANCELLED'
  | 'SHIPPED'
  | 'REFUNDED'
  | 'ROUND_CREATED'
  | 'ROUND_ENTERED'
  | 'ROUND_DRAWN';

const MESSAGES: Record<ErrorCode | SuccessKey, Record<Lang, string>> = {
  OK: { zh: '成功', en: 'OK' },
  PURCHASED: { zh: '购买成功', en: 'Purchase completed' },
  ITEM_ADDED: { zh: '已加入购物车', en: 'Item added' },
  ITEM_REMOVED: { zh: '已移除', en: 'Item removed' },
  TRANSFERRED: { zh: '转账成功', en: 'Transfer completed' },
  PRODUCT_CREATED: { zh: '商品已创建', en: 'Product created' },
  PRODUCT_UPDATED: { zh: '商品已更新', en: 'Product updated' },
  RESTOCKED: { zh: '已补货', en: 'Restocked' },
  PAID: { zh: '支付成功', en: 'Payment completed' },
  CANCELLED: { zh: '订单已取消', en: 'Order cancelled' },
  SHIPPED: { zh: '订单已发货', en: 'Order shipped' },
  REFUNDED: { zh: '退款成功', en: 'Order refunded' },
  ROUND_CREATED: { zh: '夺宝期次已创建', en: 'Round created' },
  ROUND_ENTERED: { zh: '参与成功', en: 'Entry completed' },
  ROUND_DRAWN: { zh: '已开奖', en: 'Round drawn' },
  INVALID_REQUEST: { zh: '请求参数不正确', en: 'The request is invalid' },
  UNAUTHORIZED: { zh: '请先登录', en: 'Authentication required' },
  FORBIDDEN: { zh: '无权访问该资源', en: 'You may not access this resource' },
  PRODUCT_NOT_FOUND: { zh: '商品不存在', en: 'Product not found' },
  CART_NOT_FOUND: { zh: '购物车不存在', en: 'Cart not found' },
  ITEM_NOT_FOUND: { zh: '购物车中没有该商品', en: 'Item not found in the cart' },
  ACCOUNT_NOT_FOUND: { zh: '账户不存在', en: 'Account not found' },
  ORDER_NOT_FOUND: { zh: '订单不存在', en: 'Order not found' },
  ROUND_NOT_FOUND: { zh: '夺宝期次不存在', en: 'Round not found' },
  VERSION_CONFLICT: { zh: '操作冲突，请稍后重试', en: 'Conflicting update, please retry' },
  TRANSACTION_CONFLICT: { zh: '操作繁忙，请稍后重试', en: 'Too much contention, please retry' },
  ROUND_EXISTS: { zh: '该期次已存在', en: 'The round already exists' },
  ITEM_EXISTS: { zh: '该商品已在购物车中', en: 'The item is already in the cart' },
  PRODUCT_EXISTS: { zh: '商品编号已存在', en: 'A product with this id already exists' },
  IDEMPOTENCY_IN_PROGRESS: { zh: '相同请求正在处理中，请稍后重试', en: 'The same request is still in progress, please retry' },
  INVALID_TRANSITION: { zh: '订单当前状态不允许此操作', en: 'The order cannot make this change in its current status' },
  PRECONDITION_FAILED: { zh: '数据已被修改，请刷新后重试', en: 'The resource changed since you read it' },
  INSUFFICIENT_STOCK: { zh: '库存不足', en: 'Insufficient stock' },
  INSUFFICIENT_BALANCE: { zh: '余额不足', en: 'Insufficient balance' },
  CART_FULL: { zh: '购物车已满', en: 'The cart is full' },
  CART_LIMIT_REACHED: { zh: '购物车数量已达上限', en: 'You have reached the maximum number of carts' },
  IDEMPOTENCY_KEY_REUSED: { zh: '幂等键已用于其他请求', en: 'The idempotency key was used for a different request' },
  PRECONDITION_REQUIRED: { zh: '请求缺少 If-Match 版本信息', en: 'If-Match is required' },
  PURCHASE_LIMIT_EXCEEDED: { zh: '超过每人限购数量', en: 'The per-customer purchase limit is reached' },
  ROUND_SOLD_OUT: { zh: '该期份额已售罄', en: 'Not enough shares left in this round' },
  ENTRY_CAP_EXCEEDED: { zh: '超出本期每人限购份数', en: 'This would exceed your share limit for the round' },
  ROUND_NOT_FULL: { zh: '该期尚未满员，不能开奖', en: 'The round is not full yet' },
  INTERNAL: { zh: '系统错误，请稍后重试', en: 'Internal error' },
  SERVICE_UNAVAILABLE: { zh: '服务暂时不可用，请稍后重试', en: 'Service temporarily unavailable, please retry' },
};

export function message(key: ErrorCode | SuccessKey, lang: Lang): string {
  return MESSAGES[key][lang];
}

/**
 * Picks zh or en from an Accept-Language header by quality value; anything else, or no header, gives the
 * default (zh).
 */
export function negotiateLang(header: string | undefined | null): Lang {
  if (!header || typeof header !== 'string') return DEFAULT_LANG;
  const ranked = header
    .slice(0, 256)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return DEFAULT_LANG;
}
