// Container health check: `node tools/healthcheck.mjs [identity|credentials|reaper|gateway]`
// (default: $KEYWARD_SERVICE) exits 0 when the service answers. identity, credentials and the
// reaper: their <service>.health.check request over NATS, with the container's NATS credentials,
// reports the database up. gateway: GET /health/ready on this container's port.
import { serviceHealth } from './lib/stack.mjs';

const service = process.argv[2] ?? process.env.KEYWARD_SERVICE;

async function check() {
  if (service === 'identity' || service === 'credentials' || service === 'reaper') {
    const health = await serviceHealth(service, process.env, 3000);
    if (health?.database !== 'up') throw new Error(`${service} reports the database ${health?.database ?? 'unknown'}`);
    return;
  }
  if (service === 'gateway') {
    const port = process.env.KEYWARD_PORT || 8228;
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`/health/ready answered ${response.status}: ${await response.text()}`);
    return;
  }
  throw new Error(`unknown service "${service ?? ''}": expected identity, credentials, reaper or gateway`);
}

try {
  await check();
  process.exit(0);
} catch (error) {
  process.stderr.write(`${service ?? 'keyward'} is unhealthy: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
