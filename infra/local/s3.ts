// The S3 emulator (s3rver), in this process, keeping objects under `$ATENDE_DATA_DIR/s3`. It checks
// SigV4 signatures (also of presigned URLs and POST policies) with the key pair in localCredentials.
// Unlike S3 it does not enforce a POST policy's conditions (content-length-range, starts-with).
import S3rver, { type S3rverContext } from 's3rver';

export interface RunningS3 {
  url: string;
  stop(): Promise<void>;
}

export interface S3Options {
  port: number;
  directory: string;
  bucketName: string;
  /** More buckets, without CORS (the inbound mail's). */
  otherBuckets?: string[];
  /** Browser origins allowed to upload with a presigned POST and to download. */
  webOrigins: string[];
}

export function corsConfiguration(origins: string[]): string {
  const allowed = origins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join('');
  const methods = ['GET', 'HEAD', 'PUT', 'POST'].map((m) => `<AllowedMethod>${m}</AllowedMethod>`).join('');
  return (
    `<CORSConfiguration><CORSRule>${allowed}${methods}<AllowedHeader>*</AllowedHeader>` +
    '<ExposeHeader>ETag</ExposeHeader><ExposeHeader>Location</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds>' +
    '</CORSRule></CORSConfiguration>'
  );
}

export async function startS3(options: S3Options): Promise<RunningS3> {
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    silent: true,
    directory: options.directory,
    configureBuckets: [
      { name: options.bucketName, configs: [corsConfiguration(options.webOrigins)] },
      ...(options.otherBuckets ?? []).map((name) => ({ name, configs: [] })),
    ],
  });
  // Before the router (the last middleware), after the one that writes plain objects as XML.
  server.middleware.splice(server.middleware.length - 1, 0, listObjectVersions);
  await server.run();
  return { url: `http://127.0.0.1:${options.port}`, stop: () => server.close() };
}

/**
 * `ListObjectVersions` (GET /<bucket>?versions), which s3rver refuses (405) while S3 answers it for every
 * bucket: erasing a person's files lists a key's versions to delete each (shared/store/attachments.ts). The
 * emulator keeps one version per key, so each object is listed as S3 lists an object of an unversioned
 * bucket: version id "null", the latest. Unlike the rest of the emulator, this answer checks no signature.
 */
async function listObjectVersions(ctx: S3rverContext, next: () => Promise<void>): Promise<void> {
  const bucket = /^\/([^/]+)\/?$/.exec(ctx.path)?.[1];
  if (ctx.method !== 'GET' || bucket === undefined || !('versions' in ctx.query)) return next();
  const prefix = ctx.query.prefix ?? '';
  const maxKeys = Math.min(1000, Number(ctx.query['max-keys'] ?? 1000));
  const { objects, isTruncated } = await ctx.store.listObjects(bucket, { prefix, maxKeys });
  ctx.body = {
    ListVersionsResult: {
      '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
      Name: bucket,
      Prefix: prefix,
      MaxKeys: maxKeys,
      IsTruncated: isTruncated,
      Version: objects.map((object) => ({
        Key: object.key,
        VersionId: 'null',
        IsLatest: true,
        LastModified: new Date(object.metadata['last-modified'] ?? Date.now()).toISOString(),
        ETag: object.metadata.etag,
        Size: Number(object.metadata['content-length'] ?? 0),
        StorageClass: 'STANDARD',
      })),
    },
  };
}
