// The image's health check (Dockerfile HEALTHCHECK, and docker-compose.yml's for credentials and
// the reaper): `node deploy/healthcheck.mjs [identity|credentials|reaper|gateway]` (default:
// $KEYWARD_SERVICE) exits 0 when the service answers. The checks themselves are in
// tools/healthcheck.mjs: each NATS service's <service>.health.check over NATS with the
// container's NATS user, the gateway's /health/ready.
await import('../tools/healthcheck.mjs');
