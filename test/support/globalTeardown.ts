/** Stops exactly the servers globalSetup started (by the handles it kept), and nothing else. */
export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.__locklessServers;
  if (!servers) return;
  await Promise.allSettled([servers.dynamo?.stop(), servers.mongo?.stop()]);
  globalThis.__locklessServers = undefined;
}
