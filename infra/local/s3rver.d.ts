// s3rver ships no types; this covers the part the local stack uses.
declare module 's3rver' {
  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs: (string | Buffer)[] }[];
  }
  /** The Koa context of a request, as far as the local stack reads and answers it. */
  interface S3rverContext {
    method: string;
    path: string;
    query: Record<string, string | undefined>;
    body: unknown;
    store: {
      listObjects(
        bucket: string,
        options: { prefix?: string; maxKeys?: number },
      ): Promise<{ objects: { key: string; metadata: Record<string, string> }[]; isTruncated: boolean }>;
    };
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    /** Koa's middleware list, composed when the server starts. */
    middleware: ((ctx: S3rverContext, next: () => Promise<void>) => Promise<void>)[];
    run(): Promise<{ address: string; family: string; port: number }>;
    close(): Promise<void>;
  }
}
