/** RawDriver on MongoDB: plain driver calls, documents keyed by `_id` as adapters/mongodb stores them. */
import type { Document, MongoClient } from 'mongodb';
import type { RawDriver, SeedDoc } from './rawDriver';

type Keyed = Document & { _id: string };

export function createMongoRaw(client: MongoClient, dbName: string): RawDriver {
  const db = client.db(dbName);
  const col = (name: string) => db.collection<Keyed>(name);
  const products = col('products');
  const accounts = col('accounts');

  return {
    async decrement(id, q) {
      const { modifiedCount } = await products.updateOne({ _id: id, stock: { $gte: q } }, { $inc: { stock: -q } });
      return modifiedCount === 1;
    },
    async readProduct(id) {
      const doc = await products.findOne({ _id: id }, { projection: { stock: 1, version: 1, price: 1 } });
      return doc ? { stock: doc.stock as number, version: doc.version as number, price: doc.price as number } : null;
    },
    async writeStockBlind(id, stock) {
      await products.updateOne({ _id: id }, { $set: { stock } });
    },
    async writeStockIfVersion(id, version, stock) {
      const { modifiedCount } = await products.updateOne({ _id: id, version }, { $set: { stock, version: version + 1 } });
      return modifiedCount === 1;
    },
    async readPrice(id) {
      const doc = await products.findOne({ _id: id }, { projection: { price: 1 } });
      return typeof doc?.price === 'number' ? doc.price : null;
    },
    async insertOrder(order) {
      await col('orders').insertOne(stored(order));
    },
    async debit(id, amount) {
      const { modifiedCount } = await accounts.updateOne({ _id: id, balance: { $gte: amount } }, { $inc: { balance: -amount } });
      return modifiedCount === 1;
    },
    async credit(id, amount) {
      await accounts.updateOne({ _id: id }, { $inc: { balance: amount } });
    },
    async seed(collection, docs) {
      if (docs.length > 0) await col(collection).insertMany(docs.map(stored), { ordered: false });
    },
    async readMany(collection, ids) {
      const found = new Map<string, Record<string, unknown>>();
      for await (const { _id, ...fields } of col(collection).find({ _id: { $in: ids } })) found.set(_id, { id: _id, ...fields });
      return found;
    },
    close: () => client.close(),
  };
}

function stored({ id, ...fields }: SeedDoc): Keyed {
  return { _id: id, ...fields };
}
