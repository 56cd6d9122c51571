// What the WebSocket API's runtime code enforces besides the frames themselves (shared/realtime/frames.ts);
// infra/routes.ts configures API Gateway from the same constants.

/** docs/api.md: WebSocket frames over 32 KiB are refused with payload_too_large. */
export const wsFrameLimit = 32 * 1024;

/** The `$connect` query parameter carrying the one-time connection ticket (the authorizer's identity source). */
export const connectionTicketParameter = 'ticket';
