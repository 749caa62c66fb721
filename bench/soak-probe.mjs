// Loaded into the soak's server process with `--import`: prints the heap
// and RSS every second on stderr, for bench/soak.ts to read.
setInterval(() => {
  const { heapUsed, rss } = process.memoryUsage()
  process.stderr.write(`SOAK-MEMORY ${JSON.stringify({ heapUsed, rss })}\n`)
}, 1000).unref()
