/** Types for esbuild.config.mjs, which scripts import. */
import type { BuildOptions } from 'esbuild';

export declare function bundleOptions(backend: string): BuildOptions & { metafile: true };
export declare function handlerNames(): string[];
export declare function buildAll(options?: {
  backend?: string;
  outdir?: string;
  quiet?: boolean;
}): Promise<{ names: string[]; sizes: Record<string, number>; backend: string }>;
