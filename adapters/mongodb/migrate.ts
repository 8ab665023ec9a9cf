/**
 * The migration on MongoDB (shared/migration.ts says what and why): a scan, then for each convertible document
 * one `updateOne` whose filter is "no version, and the whole document equal to what was read" ($$ROOT compared
 * with the read document as a literal), setting `version: 1`. A document that changed in between matches
 * nothing and is counted, not touched.
 */
import type { Db, Document } from 'mongodb';
import { emptyReport, migrationVerdict, type MigrationReport } from '../../shared/migration';

export interface MigrateOptions {
  /** Called between the read of a document and its guarded write (tests change the document here). */
  beforeWrite?: (id: string) => Promise<void>;
}

export async function migrateMongoCollection(db: Db, collection: string, options: MigrateOptions = {}): Promise<MigrationReport> {
  const report = emptyReport(collection);
  const coll = db.collection<Document>(collection);
  for await (const doc of coll.find({})) {
    report.scanned++;
    const { _id, ...fields } = doc;
    const verdict = migrationVerdict(collection, fields);
    if (verdict.action === 'skip') report.alreadyVersioned++;
    if (verdict.action === 'refuse') report.refused.push({ id: String(_id), problems: verdict.problems });
    if (verdict.action !== 'convert') continue;
    await options.beforeWrite?.(String(_id));
    const out = await coll.updateOne(
      { _id, version: { $exists: false }, $expr: { $eq: ['$$ROOT', { $literal: doc }] } },
      { $set: { version: 1 } },
    );
    if (out.modifiedCount === 1) report.converted++;
    else report.changedMeanwhile++;
  }
  return report;
}
