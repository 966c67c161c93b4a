// Runs a one-off command of a built service against the database in DATABASE_URL, e.g.
//   npm run rotate-keys            (identity, then credentials rotate-keys: re-seal under each one's active key)
//   npm run manage -- add_superuser --username alice
//                                  (identity add_superuser|remove_superuser|add_admin|remove_admin)
// and exits with the command's status.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from './lib/stack.mjs';

const [service, ...args] = process.argv.slice(2);
if (!['identity', 'credentials'].includes(service ?? '')) {
  process.stderr.write('usage: node tools/service-command.mjs identity|credentials <command> [arguments]\n');
  process.exit(2);
}
ensureBuilt();
const result = spawnSync(process.execPath, ['-r', 'tsconfig-paths/register', join(ROOT, 'dist', 'apps', service, 'src', 'main.js'), ...args], {
  cwd: ROOT,
  stdio: 'inherit',
  // Each service gets only its own key ring: identity KEYWARD_TOKEN_KEYS, credentials KEYWARD_MASTER_KEYS.
  env: {
    ...process.env,
    [service === 'identity' ? 'KEYWARD_MASTER_KEYS' : 'KEYWARD_TOKEN_KEYS']: undefined,
    TS_NODE_BASEURL: join(ROOT, 'dist'),
    TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
  },
});
process.exit(result.status ?? 1);
