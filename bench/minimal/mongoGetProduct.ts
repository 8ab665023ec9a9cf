/**
 * The benchmark's yardstick for a cold start on MongoDB: the smallest honest handler for GET /products/{id},
 * written by hand. It makes the call lockless's getProduct makes (`findOne({ _id: { $eq: id } })` on the
 * products collection) through the same MongoClient, built by the same factory with the same settings, and
 * answers the document as JSON. What lockless adds over this is lockless's own cost.
 */
import { mongoSettings } from '../../shared/config';
import { createMongoClient } from '../../adapters/mongodb/client';

const settings = mongoSettings();
const client = createMongoClient(settings.uri.value ?? '', settings);
const products = client.db(settings.dbName).collection<{ _id: string }>('products');

export const handler = async (event: { pathParameters?: { id?: string } }) => {
  const doc = await products.findOne({ _id: { $eq: event.pathParameters?.id ?? '' } });
  return { statusCode: doc ? 200 : 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) };
};
