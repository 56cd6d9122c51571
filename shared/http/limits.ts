/** docs/api.md: a request body over 64 KiB is refused with 413 payload_too_large, unless its handler allows more. */
export const defaultBodyLimit = 64 * 1024;
