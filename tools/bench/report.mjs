// Turns benchmark results into a markdown table, and keeps docs/benchmarks.md up to date.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

export function statusOf(result) {
  return result.errors > 0 || result.non2xx > 0 || result.mismatches > 0 ? 'FAILED' : 'ok';
}

/** What each ratio is, and its aim. `higher`: the ratio must reach `aim`; else stay under it. */
export const AIMS = [
  { key: 'basic', what: 'HTTP Basic `GET /v1/account` / floor', aim: 0.9, higher: true },
  { key: 'bearer', what: 'bearer token `GET /v1/account` / floor', aim: 0.9, higher: true },
  { key: 'signed', what: 'signed request `GET /v1/account` / HTTP Basic', aim: 0.9, higher: true },
  { key: 'users', what: 'users list (50) / floor', aim: 0.6, higher: true },
  { key: 'creates', what: 'credential create / floor', aim: 0.5, higher: true },
  { key: 'page', what: 'page of 100 by cursor, account of 10,000 / floor', aim: 0.4, higher: true },
  { key: 'flat', what: 'page of 100 by cursor, account of 1,000,000 / account of 10,000 (flat: ≥ 0.9)', aim: 0.9, higher: true },
  { key: 'reapSeconds', what: 'seconds to reap 1,000,000 credentials, 10,000 projects, 10,000 secrets', aim: 10, higher: false, unit: 's' },
  { key: 'duringReap', what: 'gateway throughput for other accounts during the reap / before it', aim: 0.5, higher: true },
];

function aimsTable(ratios) {
  const lines = ['| Aim | measured | target | |', '|---|---:|---:|---|'];
  for (const { key, what, aim, higher, unit } of AIMS) {
    const value = ratios[key];
    const met = Number.isFinite(value) && (higher ? value >= aim : value < aim);
    const shown = Number.isFinite(value) ? `${value.toFixed(2)}${unit ? ` ${unit}` : ''}` : 'n/a';
    lines.push(`| ${what} | ${shown} | ${higher ? '≥' : '<'} ${aim}${unit ? ` ${unit}` : ''} | ${met ? 'met' : '**not met**'} |`);
  }
  return lines;
}

export function resultsMarkdown({ machine, date, settings, runs, ratios, reap, delivery = [], costRatio, pairNote, busyBefore, profiled = false }) {
  const lines = [];
  if (profiled) {
    lines.push('**Profiled run (BENCH_CPU_PROF): the profiler slows the services down; these figures are not comparable.**');
    lines.push('');
  }
  lines.push(
    `Run on ${date} — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, Node.js ${machine.node} (${machine.platform}), commit ${machine.commit}.`,
  );
  lines.push('');
  lines.push(
    `Settings: autocannon, ${settings.connections} connections, pipelining 1, ${settings.warmupSeconds} s warm-up (discarded) then ${settings.durationSeconds} s measured per scenario; ` +
      `account \`bench\` with ${settings.users} users, connection *i* authenticates as user *i* mod ${settings.users}; ${settings.logLevel ? `**LOG_LEVEL=${settings.logLevel}, not the default**` : 'every service at its default settings (log level info, one request line each)'}; ` +
      `load generator, services, PostgreSQL and NATS all on this machine.`,
  );
  lines.push('');
  lines.push(...aimsTable(ratios));
  lines.push('');
  lines.push('| Scenario | req/s | p50 (ms) | p99 (ms) | 2xx | non-2xx | errors (timeouts) | CPU per request (ms) | status |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const run of runs) {
    const r = run.result;
    lines.push(
      `| ${run.label} | ${fmt(r.requests.average)} | ${fmt(r.latency.p50, 1)} | ${fmt(r.latency.p99, 1)} | ${fmt(r['2xx'])} | ${fmt(r.non2xx)} | ${fmt(r.errors)} (${fmt(r.timeouts)}) | ${fmt(run.cpuPerRequestMs, 3)} | ${statusOf(r) === 'ok' && run.disturbed ? `disturbed (other work ${run.cpu.percentOfOneCore.other} % of a core)` : statusOf(r)} |`,
    );
  }
  lines.push('');
  if (delivery.length > 0) {
    lines.push(
      'Delivery into Kubernetes (the credentials service with `KEYWARD_KUBECONFIG` at a loopback fake API server, default settings otherwise): ' +
        delivery
          .map(
            (d) =>
              `a docker-registry credential of scope all in an account of ${fmt(d.projects)} projects was in all ${fmt(d.projects)} namespaces **${d.seconds.toFixed(2)} s** after \`POST /v1/credentials\` (which answered in ${fmt(d.createMs, 1)} ms)`,
          )
          .join('; ') +
        '.',
    );
    lines.push('');
  }
  if (reap)
    lines.push(
      `Reaping an account of ${fmt(reap.credentials)} credentials, ${fmt(reap.projects)} projects and ${fmt(reap.secrets)} secrets ` +
        `(from \`DELETE /v1/accounts/{account}\` to its \`GET\` answering 404, default reaper settings) took **${reap.seconds.toFixed(2)} s**; ` +
        `left afterwards: ${reap.left.credentials} credentials, ${reap.left.projects} projects, ${reap.left.secrets} secrets. ` +
        `Meanwhile \`GET /v1/account\` for the account \`bench\` was answered at ${fmt(reap.during.result.requests.average)} req/s, against ${fmt(reap.idle.result.requests.average)} just before.`,
    );
  lines.push('');
  lines.push('A scenario marked *disturbed* had other work take more than 25 % of a core during it: its figures are lower than on a quiet machine.');
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
    lines.push(
      `| ${run.label} | ${groups.map((g) => (g in run.cpu.percentOfOneCore ? run.cpu.percentOfOneCore[g] : '–')).join(' | ')} | ${run.cpu.machineBusyPercent} % |`,
    );
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

/** The head of docs/benchmarks.md when the file is missing; the method is written there by hand. */
const METHOD = `# Benchmarks

\`npm run bench\` (\`tools/bench/run.mjs\`): the method is described in the comments of that script.

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
