import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const ADMIN_PASSWORD_FILE = 'admin-password';

/**
 * Shows a generated admin password exactly once, on standard output and not through the logger,
 * and keeps it in a file only its owner can read.
 */
export async function announceGeneratedAdminPassword(dataDir: string, password: string): Promise<string> {
  const dir = resolve(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, ADMIN_PASSWORD_FILE);
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  const rule = '='.repeat(72);
  process.stdout.write(
    [
      '',
      rule,
      '  Keyward created the admin account. Sign in as user "admin" with:',
      '',
      `      ${password}`,
      '',
      `  It is also saved in ${file} (readable by its owner only).`,
      '  This password is shown once. Change it with POST /v1/user/credentials.',
      rule,
      '',
    ].join('\n'),
  );
  return file;
}
