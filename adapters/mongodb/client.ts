/**
 * A MongoClient set up for Lambda: every wait is bounded, so a stalled or unreachable database fails the
 * request quickly with a driver error instead of hanging the function until Lambda kills it.
 */
import * as os from 'node:os';
import { MongoClient } from 'mongodb';

export interface MongoClientSettings {
  /** How long an operation waits for a suitable server (the primary) before failing. Default 5 s. */
  serverSelectionTimeoutMs?: number;
  /** TCP connect plus handshake of a new connection. Default 5 s. */
  connectTimeoutMs?: number;
  /** Silence on an open socket before it is closed and the operation fails. Default 10 s. */
  socketTimeoutMs?: number;
  /** Default 10: a container serves one request at a time, so a few connections cover its parallel reads. */
  maxPoolSize?: number;
}

/**
 * Creates (does not connect) a client for `uri`; the driver connects on first use, and a Lambda keeps the
 * client at module scope so warm invocations reuse the pool. Throws MongoParseError for a malformed URI.
 *
 * Options given in the URI itself are overridden by these settings.
 */
export function createMongoClient(uri: string, settings: MongoClientSettings = {}): MongoClient {
  return new MongoClient(uri, {
    serverSelectionTimeoutMS: settings.serverSelectionTimeoutMs ?? 5_000,
    connectTimeoutMS: settings.connectTimeoutMs ?? 5_000,
    socketTimeoutMS: settings.socketTimeoutMs ?? 10_000,
    maxPoolSize: settings.maxPoolSize ?? 10,
    // Many containers each holding idle connections can exhaust a cluster's connection limit.
    minPoolSize: 0,
    maxIdleTimeMS: 60_000,
    // Safe for the port's writes: a retried findAndModify/insert is deduplicated by the server's txnNumber.
    retryWrites: true,
    retryReads: true,
    appName: 'lockless',
    // Driver 7.9 otherwise loads `os` with a dynamic import() for its handshake metadata. Where that fails (a
    // vm sandbox such as Jest's without --experimental-vm-modules) the error is swallowed, the handshake goes
    // out without its required `driver` field and the server refuses every connection.
    runtimeAdapters: { os },
  });
}
