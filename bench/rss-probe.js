// Preloaded into each command bench/run.ts times (NODE_OPTIONS=--require): at exit, the
// process's peak resident set size in KiB, threads included, into the file the bench names.
const fs = require('fs');

process.on('exit', () => {
  const file = process.env.VELERO_NODE_AGENT_BENCH_RSS;
  if (file) fs.writeFileSync(file, String(process.resourceUsage().maxRSS));
});
