// The S3 emulator (s3rver), in this process, keeping objects under `$ATENDE_DATA_DIR/s3`. It checks
// SigV4 signatures (also of presigned URLs and POST policies) with the key pair in localCredentials.
// Unlike S3 it does not enforce a POST policy's conditions (content-length-range, starts-with).
import S3rver from 's3rver';

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
  await server.run();
  return { url: `http://127.0.0.1:${options.port}`, stop: () => server.close() };
}
