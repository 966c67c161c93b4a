// Summarises a .cpuprofile: self time by package (or area) and the hottest functions.
//   node tools/bench/profile-summary.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node tools/bench/profile-summary.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Self time per node: samples x interval.
const hits = new Map();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const totalSamples = profile.samples.length;
const ms = (count) => ((profile.endTime - profile.startTime) / 1000) * (count / totalSamples);

function area(url, functionName) {
  if (!url) {
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return '(program: native/unattributed)';
    return '(native)';
  }
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:'))
    return `node:${url
      .slice(5)
      .split('/')[0]
      .replace(/^internal$/, 'internal')}`;
  const dist = url.indexOf('/dist/');
  if (dist !== -1)
    return `keyward ${url
      .slice(dist + 6)
      .split('/')
      .slice(0, 2)
      .join('/')}`;
  const bench = url.indexOf('/tools/bench/');
  if (bench !== -1) return `bench ${url.slice(bench + 13)}`;
  return url;
}

const byArea = new Map();
const byFunction = new Map();
for (const node of profile.nodes) {
  const count = hits.get(node.id) ?? 0;
  if (count === 0) continue;
  const { url, functionName, lineNumber } = node.callFrame;
  const a = area(url, functionName);
  byArea.set(a, (byArea.get(a) ?? 0) + count);
  const short = url ? url.replace(/^.*\/node_modules\//, '').replace(/^.*\/dist\//, 'dist/') : '';
  const key = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
  byFunction.set(key, (byFunction.get(key) ?? 0) + count);
}

const idle = byArea.get('(idle)') ?? 0;
const busy = totalSamples - idle;
const pct = (count) => `${((count / busy) * 100).toFixed(1).padStart(5)} %`;
process.stdout.write(
  `${file}: ${(ms(totalSamples) / 1000).toFixed(1)} s profiled, ${(ms(busy) / 1000).toFixed(1)} s on CPU (percentages are of on-CPU time)\n\n`,
);
process.stdout.write('Self time by area:\n');
for (const [name, count] of [...byArea]
  .filter(([n]) => n !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)) {
  process.stdout.write(`  ${pct(count)}  ${name}\n`);
}
process.stdout.write(`\nHottest functions (self time):\n`);
for (const [name, count] of [...byFunction]
  .filter(([n]) => !n.startsWith('(idle)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)) {
  process.stdout.write(`  ${pct(count)}  ${name}\n`);
}
