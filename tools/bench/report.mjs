// Turns benchmark results into a markdown table, and keeps docs/benchmarks.md up to date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

export function statusOf(result) {
  return result.errors > 0 || result.non2xx > 0 || result.mismatches > 0 ? 'FAILED' : 'ok';
}

export function resultsMarkdown({ machine, date, settings, runs, ratio, costRatio, pairNote, busyBefore, profiled = false }) {
  const lines = [];
  if (profiled) {
    lines.push('**Profiled run (BENCH_CPU_PROF): the profiler slows the services down; these figures are not comparable.**');
    lines.push('');
  }
  lines.push(`Run on ${date} — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, Node.js ${machine.node} (${machine.platform}), commit ${machine.commit}.`);
  lines.push('');
  lines.push(
    `Settings: autocannon, ${settings.connections} connections, pipelining 1, ${settings.warmupSeconds} s warm-up (discarded) then ${settings.durationSeconds} s measured per scenario; ` +
      `account \`bench\` with ${settings.users} users, connection *i* authenticates as user *i* mod ${settings.users}; ${settings.logLevel ? `**LOG_LEVEL=${settings.logLevel}, not the default**` : 'every service at its default settings (log level info, one request line each)'}; ` +
      `load generator, services, PostgreSQL and NATS all on this machine.`,
  );
  lines.push('');
  lines.push('| Scenario | req/s | p50 (ms) | p99 (ms) | 2xx | non-2xx | errors (timeouts) | CPU per request (ms) | status |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const run of runs) {
    const r = run.result;
    lines.push(
      `| ${run.label} | ${fmt(r.requests.average)} | ${fmt(r.latency.p50, 1)} | ${fmt(r.latency.p99, 1)} | ${fmt(r['2xx'])} | ${fmt(r.non2xx)} | ${fmt(r.errors)} (${fmt(r.timeouts)}) | ${fmt(run.cpuPerRequestMs, 3)} | ${statusOf(r)} |`,
    );
  }
  lines.push('');
  lines.push(
    `**Keyward \`GET /v1/account\` / floor = ${ratio === null ? 'n/a' : ratio.toFixed(2)}** (target ≥ 0.60)` +
      (ratio !== null && ratio < 0.6 ? ' — below target.' : ratio === null ? '' : ' — meets target.'),
  );
  if (pairNote) {
    const noisy = pairNote.noise > pairNote.limit;
    lines.push('');
    lines.push(
      (pairNote.attempts > 1
        ? `The two runs behind the ratio were measured ${pairNote.attempts} times because other work competed with them; the cleanest pair (attempt ${pairNote.kept}) is shown. `
        : '') +
        (noisy
          ? `**Unreliable: other work still took ${pairNote.noise} % of a core during that pair** (limit ${pairNote.limit} %); compare CPU per request instead, or run again on a quiet machine.`
          : `Other work took at most ${pairNote.noise} % of a core during that pair (limit ${pairNote.limit} %).`),
    );
  }
  lines.push('');
  lines.push(
    `CPU per request is the CPU time of every process serving the scenario (services, PostgreSQL, NATS, load generator) ` +
      `divided by the requests served; it moves less than req/s when other work shares the machine. ` +
      `Floor CPU per request / Keyward \`GET /v1/account\` CPU per request = ${costRatio === null ? 'n/a' : costRatio.toFixed(2)}.`,
  );
  lines.push('');
  const groups = [...new Set(runs.flatMap((run) => Object.keys(run.cpu.percentOfOneCore)))];
  lines.push(`CPU during the measured window, in % of one core (the machine has ${machine.cores}; 100 % = one core busy):`);
  lines.push('');
  lines.push(`| Scenario | ${groups.join(' | ')} | machine busy |`);
  lines.push(`|---|${groups.map(() => '---:').join('|')}|---:|`);
  for (const run of runs) {
    lines.push(`| ${run.label} | ${groups.map((g) => (g in run.cpu.percentOfOneCore ? run.cpu.percentOfOneCore[g] : '–')).join(' | ')} | ${run.cpu.machineBusyPercent} % |`);
  }
  lines.push('');
  const noisiest = Math.max(...runs.map((run) => run.cpu.percentOfOneCore.other ?? 0));
  lines.push(
    `The machine was ${busyBefore} % busy just before the first measured run. "other" is everything else the machine did ` +
      `(other programs, the kernel, steal)` +
      (noisiest > 15
        ? `; it reached ${noisiest} % of a core in one scenario, so other work competed with this run and the figures are lower than on a quiet machine.`
        : '; it stayed low, so the run had the machine to itself.'),
  );
  return lines.join('\n');
}

const METHOD = `# Benchmarks

\`npm run bench\` (\`tools/bench/run.mjs\`) measures the gateway and identity service end to end and
compares them with a framework-free floor doing the same I/O. It starts everything it needs and
removes it afterwards: its own database (\`keyward_bench_<pid>\`, dropped at the end), its own NATS
subject prefix (\`bench<pid>\`), a random admin password, a free port and a temporary data
directory, so it never touches a running stack. It needs PostgreSQL at 127.0.0.1:5432 and NATS at
127.0.0.1:4222, builds \`dist/\` when the sources are newer, and takes about a minute (up to two when
other work on the machine makes it measure the ratio's pair of runs again).

Method:

- identity and the gateway run from \`dist/\` with their default settings, as \`npm start\` and
  compose run them (log level \`info\`, one line per request; credential cache on; database pool
  of 10); \`BENCH_LOG_LEVEL\` runs them at another log level, said in the report and never
  written to this file; \`KEYWARD_*\`, \`DATABASE_*\` and \`NATS_*\`
  variables of the calling shell are not passed on. The credentials service runs too, idle (the
  gateway is ready only when every service answers); its CPU counts as "other". The bench creates
  the account \`bench\` and its users through the API, then signs in once as each user, so the
  measured runs hit the credential cache and never pay argon2.
- **Keyward \`GET /v1/account\`**: HTTP Basic, Fastify and Nest, one NATS request to identity, one
  indexed read of \`identity.accounts\` by name.
- **Keyward \`GET /v1/accounts/bench/users\`**: the same, then the account lookup and a page of
  users with their count.
- **Floor**: a plain \`node:http\` server (\`tools/bench/floor-server.mjs\`) doing one NATS
  request/reply per HTTP request (\`nats\` with its default options) to a plain responder
  (\`tools/bench/floor-responder.mjs\`) that does one primary-key read of \`identity.accounts\` with
  \`pg\` (pool of 10) and replies with JSON. No authentication, no framework: the cost of the I/O
  alone on this machine.
- Load: autocannon's programmatic API in the bench process. For each scenario a warm-up run is
  discarded, then the measured run. req/s is autocannon's mean of per-second samples; latencies
  are autocannon's percentiles. Any non-2xx response or connection error marks the scenario
  FAILED (and the command exits non-zero); nothing is filtered out.
- The ratio is Keyward \`GET /v1/account\` req/s over the floor's req/s; the two runs go back to
  back so that drifting background load affects both alike. When unrelated work takes more than
  25 % of a core during either, the pair is measured again (three attempts at most) and the
  cleanest pair is reported, flagged as unreliable if even that one was disturbed.
- The services, PostgreSQL, NATS and the load generator share the same cores, so the figures
  compare designs on one machine; they are not a capacity plan. CPU per request and the CPU table
  (from /proc) show where the cores went; the "other" column shows how much unrelated work
  competed with the run.

Override with \`BENCH_CONNECTIONS\`, \`BENCH_DURATION\`, \`BENCH_WARMUP\`, \`BENCH_USERS\`;
\`BENCH_EXTRA=1\` adds diagnostic scenarios (\`GET /v1\`: authentication only, no bus;
\`GET /health/live\`: no authentication, no bus); \`BENCH_WRITE_DOC=0\` leaves this file alone.
\`BENCH_CPU_PROF=<dir>\` writes a V8 CPU profile of every service for every measured window
(profiled figures never go into this file); \`node tools/bench/profile-summary.mjs <file>\`
summarises one by package and function.

## Latest results

`;

/** Replaces the results block of docs/benchmarks.md, keeping anything written around it. */
export function writeBenchmarksDoc(path, markdown) {
  const block = `${START}\n${markdown}\n${END}`;
  if (existsSync(path)) {
    const current = readFileSync(path, 'utf8');
    const start = current.indexOf(START);
    const end = current.indexOf(END);
    if (start !== -1 && end > start) {
      writeFileSync(path, current.slice(0, start) + block + current.slice(end + END.length));
      return;
    }
  }
  writeFileSync(path, `${METHOD}${block}\n`);
}
