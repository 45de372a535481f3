// Benchmarks run until done; on Ctrl-C they exit through process.exit so that every server
// they started is killed with them (see killWithParent).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
