// A socket server's counters, for benchmarks, tests and /metrics (socket-metrics.ts).
export function newSocketStats() {
  return {
    framesSent: 0, bytesSent: 0, slowConsumersClosed: 0, upgradesRefused: 0, socketErrors: 0, resyncs: 0, resets: 0,
    /** Reconnecting clients caught up from memory, and those who had to go to HTTP (too far behind, or another epoch). */
    resumedFromMemory: 0, resumesMissed: 0, resizes: 0, digestsSent: 0,
    /** Clients whose copy differed from a digest, and the tiles and pixels they repaired. */
    clientMismatches: 0, mismatchedTiles: 0, mismatchedPixels: 0,
  };
}

export type SocketStats = ReturnType<typeof newSocketStats>;
