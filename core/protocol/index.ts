// The wire, in one place: pixel batches (binary frames and `since`), the socket's text
// messages, close codes and session cookie, and the Redis feed between store and socket servers.
export * from './pixel-batch.ts';
export * from './messages.ts';
export * from './feed.ts';
