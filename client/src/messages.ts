/**
 * People-facing messages for the answers the client writes itself (a gateway's own body, no answer at all).
 * Every other `msg` is the server's, in the language asked for with Accept-Language.
 */
import type { ClientCode } from './codes';

export type Lang = 'zh' | 'en';

type Own = ClientCode | 'UNAUTHORIZED' | 'FORBIDDEN' | 'INTERNAL' | 'SERVICE_UNAVAILABLE';

/** zh first, then en. UNAUTHORIZED..SERVICE_UNAVAILABLE repeat the server's words (a test keeps them equal). */
const MESSAGES: Record<Own, [string, string]> = {
  UNAUTHORIZED: ['请先登录', 'Authentication required'],
  FORBIDDEN: ['无权访问该资源', 'You may not access this resource'],
  INTERNAL: ['系统错误，请稍后重试', 'Internal error'],
  SERVICE_UNAVAILABLE: ['服务暂时不可用，请稍后重试', 'Service temporarily unavailable, please retry'],
  NETWORK_ERROR: ['网络异常，请检查网络后重试', 'Network error, please retry'],
  THROTTLED: ['请求过于频繁，请稍后重试', 'Too many requests, please retry later'],
  UNEXPECTED_RESPONSE: ['服务返回了无法识别的结果', 'Unexpected response from the service'],
};

export function ownMessage(code: Own, lang: Lang): string {
  return MESSAGES[code][lang === 'en' ? 1 : 0];
}
