// `npm run chaos`: faults under load (apps/gateway/test/faults-under-load.e2e-spec.ts), on a
// NATS cluster, PostgreSQL and replicas of the run's own, on loopback; then the figures as the
// table of docs/reliability.md. KEYWARD_CHAOS_REPORT names the JSON file (.data/chaos.json).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './lib/stack.mjs';

const report = process.env.KEYWARD_CHAOS_REPORT ?? join(ROOT, '.data', 'chaos.json');
mkdirSync(dirname(report), { recursive: true });
rmSync(report, { force: true });
const run = spawnSync(process.execPath, [join(ROOT, 'tools', 'test.mjs'), 'apps/gateway/test/faults-under-load.e2e-spec.ts'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, KEYWARD_CHAOS_REPORT: report },
});
if (existsSync(report)) {
  const { at, retries, retryPauseMs, phases } = JSON.parse(readFileSync(report, 'utf8'));
  const rows = phases.map(
    (p) =>
      `| ${p.fault} | ${p.requests} | ${p.retried} | ${p.failedAfterRetry} | ${p.acknowledgedWrites} | ${p.lostWrites} | ${p.deletionsIncomplete} of ${p.deletionsStarted} | ${p.recoverySeconds === null ? 'not within 30 s' : `${p.recoverySeconds.toFixed(2)} s`} |`,
  );
  process.stdout.write(
    [
      '',
      `Faults under load, ${at} (client retry: ${retries} more attempts, ${retryPauseMs} ms apart, on the other gateway)`,
      '',
      '| fault | requests | retried | failed after retry | acknowledged writes | writes lost | deletions not completed | recovery |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'),
  );
}
process.exit(run.status ?? 1);
