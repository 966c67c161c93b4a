import { Command } from 'commander';
import { acceptGlobalOptionsEverywhere, globalOptionList, globalOptions } from './command';
import { type GlobalOptions } from './settings/settings';

/** A program shaped like keyward's: global options, a group, a leaf, and a leaf with its own --url. */
function program(seen: Array<{ global: GlobalOptions; own: Record<string, unknown> }>): Command {
  const sut = new Command('keyward').enablePositionalOptions().exitOverride();
  for (const option of globalOptionList()) sut.addOption(option);
  const record = function (this: Command) {
    seen.push({ global: globalOptions(this), own: this.opts() });
  };
  const account = sut.command('account');
  account.command('list').action(record);
  sut.command('credential').command('create').option('--url <url>').option('--name <name>').action(record);
  acceptGlobalOptionsEverywhere(sut);
  return sut;
}

describe(globalOptions.name, () => {
  const parse = (args: string[]) => {
    const seen: Array<{ global: GlobalOptions; own: Record<string, unknown> }> = [];
    program(seen).parse(['node', 'keyward', ...args]);
    return seen[0];
  };

  it('takes the global options before the command, after it, or between its words', () => {
    expect(parse(['--u', 'a', 'account', 'list'])?.global).toEqual({ u: 'a' });
    expect(parse(['account', 'list', '--json', '--u', 'b'])?.global).toEqual({ json: true, u: 'b' });
    expect(parse(['account', '--as-account', 'x', 'list'])?.global).toEqual({ asAccount: 'x' });
  });

  it('lets the one given nearer the command win', () => {
    expect(parse(['--u', 'a', 'account', 'list', '--u', 'b'])?.global).toEqual({ u: 'b' });
  });

  it("keeps a command's own option of a global name out of the global options", () => {
    const seen = parse(['--url', 'http://gw:8228', 'credential', 'create', '--url', 'registry.example', '--json']);
    expect(seen?.global).toEqual({ url: 'http://gw:8228', json: true });
    expect(seen?.own).toMatchObject({ url: 'registry.example' });
  });
});
