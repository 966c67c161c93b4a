import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertMayWrite, type KeywardConfig, permissionWarning, readConfig, writeConfig } from './config-file';

const config = (token: string): KeywardConfig => ({ registry: { token, username: 'alice', base: 'http://127.0.0.1:8228' } });

describe('the config file', () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-config-'));
    path = join(dir, '.keyward');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is written with mode 0600 and read back', () => {
    writeConfig(path, config('kwt_1'), false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readConfig(path)).toEqual(config('kwt_1'));
    expect(permissionWarning(path)).toBeUndefined();
  });

  it('is not replaced by a different one unless forced; an identical one is fine', () => {
    writeConfig(path, config('kwt_1'), false);
    expect(() => writeConfig(path, config('kwt_1'), false)).not.toThrow();
    expect(() => writeConfig(path, config('kwt_2'), false)).toThrow('already exists: pass --force');
    expect(() => assertMayWrite(path, false)).toThrow('already exists');
    writeConfig(path, config('kwt_2'), true);
    expect(readConfig(path)?.registry.token).toBe('kwt_2');
  });

  it('makes a replaced file private even if it was not', () => {
    writeFileSync(path, 'old', { mode: 0o644 });
    expect(permissionWarning(path)).toContain('readable by others (mode 644)');
    writeConfig(path, config('kwt_3'), true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('is absent when there is no file, and refused when it is not a token file', () => {
    expect(readConfig(path)).toBeUndefined();
    writeFileSync(path, 'not json');
    expect(() => readConfig(path)).toThrow('is not JSON');
    writeFileSync(path, '{"registry": {}}');
    expect(() => readConfig(path)).toThrow('has no registry.token');
    expect(readFileSync(path, 'utf8')).toBe('{"registry": {}}');
  });
});
