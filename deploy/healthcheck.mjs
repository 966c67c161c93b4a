// The image's health check: `node deploy/healthcheck.mjs [identity|credentials|gateway]`
// (default: $KEYWARD_SERVICE) exits 0 when the service answers.
//
// credentials: its credentials.health.check request over NATS, with the container's NATS
// credentials, reports the database up. identity and gateway: tools/healthcheck.mjs, which
// checks them and exits.
import { serviceHealth } from '../tools/lib/stack.mjs';

const service = process.argv[2] ?? process.env.KEYWARD_SERVICE;

if (service === 'credentials') {
  try {
    const health = await serviceHealth('credentials', process.env, 3000);
    if (health?.database !== 'up') throw new Error(`credentials reports the database ${health?.database ?? 'unknown'}`);
    process.exit(0);
  } catch (error) {
    process.stderr.write(`credentials is unhealthy: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
} else {
  await import('../tools/healthcheck.mjs');
}
