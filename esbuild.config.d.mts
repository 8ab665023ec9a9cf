/** Types for esbuild.config.mjs, which scripts import. */
export declare function handlerNames(): string[];
export declare function buildAll(options?: {
  backend?: string;
  outdir?: string;
  quiet?: boolean;
}): Promise<{ names: string[]; sizes: Record<string, number>; backend: string }>;
