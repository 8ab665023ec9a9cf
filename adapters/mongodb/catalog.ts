/** The maintenance catalog on MongoDB (shared/maintenance.ts): plain finds, used only by maintenance. */
import type { MongoClient } from 'mongodb';
import { ORDERS, PRODUCTS } from '../../shared/collections';
import type { Catalog } from '../../shared/maintenance';

export function createMongoCatalog(options: { client: MongoClient; dbName: string }): Catalog {
  const db = () => options.client.db(options.dbName);
  return {
    async productIds() {
      const docs = await db()
        .collection<{ _id: string }>(PRODUCTS)
        .find({}, { projection: { _id: 1 } })
        .toArray();
      return docs.map((doc) => String(doc._id)).sort();
    },
    async unitsInOrders() {
      const rows = await db()
        .collection(ORDERS)
        .aggregate<{ _id: string; units: number }>([
          { $match: { status: { $ne: 'void' }, quantity: { $type: 'number' } } },
          { $group: { _id: '$productId', units: { $sum: '$quantity' } } },
        ])
        .toArray();
      return Object.fromEntries(rows.map((row) => [String(row._id), row.units]));
    },
  };
}
