// Preloaded (NODE_OPTIONS=--require) into the benchmarked processes when BENCH_CPU_PROF is set.
// The first SIGWINCH (ignored by default, and not one of the signals Nest's shutdown hooks trap) starts the V8 sampling profiler, the next one writes
// $BENCH_CPU_PROF_DIR/$BENCH_CPU_PROF_NAME-<n>.cpuprofile, and so on, so the bench profiles only its
// measured windows, not start-up. (--cpu-prof cannot be used: Nest re-raises SIGTERM, and a
// process killed by a signal never writes its profile.)
'use strict';
const { Session } = require('node:inspector');
const { writeFileSync, renameSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_CPU_PROF_DIR;
const name = process.env.BENCH_CPU_PROF_NAME || `pid${process.pid}`;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let count = 0;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      count += 1;
      const file = join(dir, `${name}-${count}.cpuprofile`);
      // Written under a temporary name first, so a reader never sees half a file.
      writeFileSync(`${file}.partial`, JSON.stringify(result.profile));
      renameSync(`${file}.partial`, file);
    });
  });
}
