// `npm run rotate-keys`: re-seals every stored secret value under the first key of
// KEYWARD_MASTER_KEYS (DATABASE_URL names the database). Safe beside the running service and
// safe to run again; once it reports success, older keys can be removed from the ring.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from './lib/stack.mjs';

ensureBuilt();
const result = spawnSync(
  process.execPath,
  ['-r', 'tsconfig-paths/register', join(ROOT, 'dist', 'apps', 'credentials', 'src', 'main.js'), 'rotate-keys'],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, TS_NODE_BASEURL: join(ROOT, 'dist'), TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } },
);
process.exit(result.status ?? 1);
