/**
 * OverdueOrders on MongoDB: one find on the `statusExpiresAt` compound index (adapters/mongodb/indexes.ts),
 * returning order numbers only; the sweep decides each order with a status-guarded transaction.
 */
import type { MongoClient } from 'mongodb';
import { ORDERS } from '../../shared/collections';
import { AppError } from '../../shared/errors';
import { OVERDUE_INDEX, type OverdueOrders } from '../../shared/overdueOrders';
import { isUnavailable } from './unavailable';

/** The filter of overdue orders: pure, unit-testable. */
export function overdueFilter(now: number) {
  return { status: OVERDUE_INDEX.status, [OVERDUE_INDEX.sort]: { $lte: now } };
}

export function createMongoOverdueOrders(options: { client: MongoClient; dbName: string }): OverdueOrders {
  return {
    async find(now, limit) {
      try {
        const docs = await options.client
          .db(options.dbName)
          .collection<{ _id: string }>(ORDERS)
          .find(overdueFilter(now), { projection: { _id: 1 } })
          .sort({ [OVERDUE_INDEX.sort]: 1 })
          .limit(limit)
          .toArray();
        return docs.map((doc) => String(doc._id));
      } catch (err) {
        if (isUnavailable(err)) throw new AppError('SERVICE_UNAVAILABLE', 'the database is unreachable', { cause: err });
        throw err;
      }
    },
  };
}
