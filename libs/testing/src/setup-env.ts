import { randomBytes } from 'node:crypto';

// Runs before each test file: the file gets a subject space of its own on the shared NATS server,
// so test files running in parallel, and any running stack, never answer each other's requests.
process.env['KEYWARD_NATS_PREFIX'] = `test${randomBytes(5).toString('hex')}`;
process.env['LOG_LEVEL'] ??= 'silent';
