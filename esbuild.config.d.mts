/** Types for esbuild.config.mjs, which scripts import. */
import type { BuildOptions } from 'esbuild';

export declare function bundleOptions(backend: string, options?: { sideFiles?: boolean }): BuildOptions & { metafile: true };
export declare const SIDE_FILES: {
  adapter: (backend: string) => string;
  metrics: () => string;
  ssm: () => string;
};
export declare function functionEntryPoints(names: string[], backend: string): Record<string, string>;
export declare function handlerNames(): string[];
export declare function buildAll(options?: {
  backend?: string;
  outdir?: string;
  quiet?: boolean;
}): Promise<{ names: string[]; sizes: Record<string, number>; backend: string }>;
