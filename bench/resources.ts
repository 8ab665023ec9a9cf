/**
 * Everything a run starts (database servers, serverless-offline, the worker, tables and databases) is
 * registered here with the one function that releases exactly it. They are released in reverse order when the
 * run ends, fails, or is interrupted (Ctrl-C, SIGTERM); nothing else is ever signalled.
 */
type Release = () => Promise<unknown>;

export class Resources {
  private readonly held: { label: string; release: Release }[] = [];
  private releasing: Promise<void> | undefined;

  constructor(private readonly log: (line: string) => void) {}

  add(label: string, release: Release): void {
    this.held.push({ label, release });
  }

  /** Releases one resource now (and forgets it). */
  async release(label: string): Promise<void> {
    const index = this.held.findIndex((r) => r.label === label);
    if (index < 0) return;
    const [resource] = this.held.splice(index, 1);
    await this.run(resource!);
  }

  releaseAll(): Promise<void> {
    // Concurrent callers (a signal during the normal release) share one pass.
    this.releasing ??= (async () => {
      while (this.held.length > 0) await this.run(this.held.pop()!);
    })().finally(() => {
      this.releasing = undefined;
    });
    return this.releasing;
  }

  private async run({ label, release }: { label: string; release: Release }): Promise<void> {
    try {
      await release();
    } catch (err) {
      this.log(`could not release ${label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/**
 * Releases everything and exits on Ctrl-C or SIGTERM. The handlers stay installed: Ctrl-C reaches this process
 * twice (from the terminal and relayed by npm/tsx), and a second, unhandled SIGINT would kill it mid-release.
 */
export function releaseOnSignals(resources: Resources, log: (line: string) => void): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping what this run started`);
    void resources.releaseAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
