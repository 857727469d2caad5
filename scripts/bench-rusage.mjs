// Preloaded into a benchmarked process: on exit, writes its peak RSS (KiB) and CPU time to BENCH_RUSAGE_OUT.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const out = process.env.BENCH_RUSAGE_OUT;
  if (!out) return;
  const u = process.resourceUsage();
  writeFileSync(out, JSON.stringify({ maxRssKiB: u.maxRSS, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000 }));
});
