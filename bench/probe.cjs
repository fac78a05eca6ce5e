// Preloaded into every Node.js process Terraform starts during a measured apply (NODE_OPTIONS
// `--require`), the floor's `node -e 0` and our CLI alike: on exit it appends one JSON line with
// the process's own wall time, CPU time and peak memory to $BENCH_PROBE_FILE.
const { appendFileSync, readFileSync } = require("node:fs");
const { performance } = require("node:perf_hooks");

/**
 * The process's own peak resident memory. Not getrusage's maxRSS: Linux carries that across
 * exec, so a program Terraform starts would report Terraform's size at the fork.
 */
function peakRssKb() {
  const status = readFileSync("/proc/self/status", "utf8");
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
}

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  process.on("exit", (code) => {
    const usage = process.resourceUsage();
    const line = {
      argv: process.argv.slice(1),
      code,
      wallMs: performance.now(),
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      maxRssKb: peakRssKb(),
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
