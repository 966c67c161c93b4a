import { Logger } from '@nestjs/common';
import { CredentialsSubjects, IdentitySubjects } from '@keyward/contracts';
import { type Metrics, type RpcClient } from '@keyward/nest-common';
import { type ReaperConfig } from '../config';
import { type JobRepository } from '../jobs/job.repository';
import { ReaperService } from './reaper.service';

const ACCOUNT_ID = '00000000-0000-4000-8000-0000000000a1';

type Remaining = Record<string, number>;

/**
 * The service over a scripted bus: each purge answers the next of `purges` (an Error is thrown),
 * the account removal answers `removed`. `claimed` is what the job table grants.
 */
function reaperOver(purges: Array<Remaining | Error>, options: { claimed?: boolean; keepsClaim?: boolean } = {}) {
  const sent: string[] = [];
  const script = [...purges];
  const send = jest.fn((subject: string, _request: unknown) => {
    sent.push(subject);
    if (subject === CredentialsSubjects.accountPurge) {
      const next = script.shift();
      if (next === undefined) return Promise.reject(new Error('purged more often than scripted'));
      return next instanceof Error ? Promise.reject(next) : Promise.resolve({ remaining: next });
    }
    if (subject === IdentitySubjects.accountRemove) return Promise.resolve({ removed: true });
    return Promise.reject(new Error(`unexpected ${subject}`));
  });
  const jobs = {
    claim: jest.fn(() => Promise.resolve(options.claimed ?? true)),
    progress: jest.fn((_id: string, _owner: string, _remaining: Remaining) => Promise.resolve(options.keepsClaim ?? true)),
    finish: jest.fn((_id: string, _owner: string, _remaining: Remaining) => Promise.resolve()),
    release: jest.fn((_id: string, _owner: string, _reason: string) => Promise.resolve()),
    backlog: () => Promise.resolve(0),
  };
  const metrics = { histogram: () => ({ observe: () => undefined }), gauge: () => undefined } as unknown as Metrics;
  const config = { KEYWARD_REAPER_LEASE_SECONDS: 30, KEYWARD_REAPER_BATCH_SIZE: 500, KEYWARD_REAPER_PURGE_MS: 1000 } as ReaperConfig;
  const service = new ReaperService(config, { send } as unknown as RpcClient, jobs as unknown as JobRepository, metrics);
  return { service, sent, jobs, send };
}

const left = (credentials: number, projects = 0, secrets = 0, deliveredSecrets = 0): Remaining => ({ credentials, projects, secrets, deliveredSecrets });

describe('ReaperService.reap', () => {
  beforeAll(() => Logger.overrideLogger(false));
  it('purges until nothing is left, records each answer, then removes the account and finishes with the last counts', async () => {
    const { service, sent, jobs } = reaperOver([left(1200, 3, 2), left(200, 3, 2), left(0)]);
    expect(await service.reap(ACCOUNT_ID, 'acme')).toBe('done');
    expect(sent).toEqual([
      CredentialsSubjects.accountPurge,
      CredentialsSubjects.accountPurge,
      CredentialsSubjects.accountPurge,
      IdentitySubjects.accountRemove,
    ]);
    expect(jobs.progress.mock.calls.map((call) => call[2])).toEqual([left(1200, 3, 2), left(200, 3, 2), left(0)]);
    expect(jobs.finish).toHaveBeenCalledWith(ACCOUNT_ID, service.owner, left(0));
  });

  it('never removes the account after a failed purge: the job is released with the reason, the account stays deleting', async () => {
    const { service, sent, jobs } = reaperOver([left(10), new Error('credentials did not answer within 5000 ms')]);
    await expect(service.reap(ACCOUNT_ID, 'acme')).rejects.toThrow('credentials did not answer within 5000 ms');
    expect(sent).not.toContain(IdentitySubjects.accountRemove);
    expect(jobs.release).toHaveBeenCalledWith(ACCOUNT_ID, service.owner, 'credentials did not answer within 5000 ms');
    expect(jobs.finish).not.toHaveBeenCalled();
  });

  it('stops when another replica took the claim over, without removing the account', async () => {
    const { service, sent } = reaperOver([left(10)], { keepsClaim: false });
    await expect(service.reap(ACCOUNT_ID, 'acme')).rejects.toThrow('lost the claim on the account to another replica');
    expect(sent).toEqual([CredentialsSubjects.accountPurge]);
  });

  it('leaves an account another replica is reaping alone', async () => {
    const { service, send } = reaperOver([], { claimed: false });
    expect(await service.reap(ACCOUNT_ID, 'acme')).toBe('busy');
    expect(send).not.toHaveBeenCalled();
  });

  it('shares one run between callers in this process (the consumer and the sweep)', async () => {
    const { service, jobs } = reaperOver([left(0)]);
    const [first, second] = await Promise.all([service.reap(ACCOUNT_ID, 'acme'), service.reap(ACCOUNT_ID, 'acme')]);
    expect([first, second]).toEqual(['done', 'done']);
    expect(jobs.claim).toHaveBeenCalledTimes(1);
  });
});
