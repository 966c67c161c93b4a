import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AuditAppendRequest, type AuditListRequest, type AuditRecordInput, type AuditRecordView, type Page } from '@keyward/contracts';
import { assertMayAct, DomainError, ErrorCode, GLOBAL_DOMAIN } from '@keyward/domain';
import { ROOT_LOGGER } from '@keyward/nest-common';
import { type Logger as PinoLogger } from 'pino';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityConfig } from '../config';
import { AuditLogRepository } from './audit-log.repository';

/** Records appended in one transaction at most; more wait for the next. */
const GROUP = 500;
const PRUNE_EVERY_MS = 3_600_000;
const PRUNE_BATCH = 10_000;

/** A change Keyward made on its own (the reaper removing a deleted account, a management command). */
export function systemAuditRecord(
  system: string,
  action: string,
  resource: AuditRecordInput['resource'],
  before?: Record<string, unknown>,
  after?: Record<string, unknown>,
): AuditRecordInput {
  return { id: randomUUID(), at: new Date().toISOString(), actor: { system }, action, resource, before, after, result: { outcome: 'success' } };
}

interface Waiting {
  records: AuditRecordInput[];
  resolve: (stored: number) => void;
  reject: (error: unknown) => void;
}

/**
 * The audit log. Appends that arrive together share one transaction (one lock of the chain's
 * head, one insert), so the chain costs the gateway little under load. Every stored record is
 * also written to the JSON log. Records past KEYWARD_AUDIT_RETENTION_DAYS are removed hourly.
 */
@Injectable()
export class AuditService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private waiting: Waiting[] = [];
  private writing?: Promise<void>;
  private pruneTimer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: AuditLogRepository,
    @Inject(IdentityConfig) private readonly config: IdentityConfig,
    @Inject(ROOT_LOGGER) private readonly root: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.KEYWARD_AUDIT_RETENTION_DAYS > 0) {
      this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
      this.pruneTimer.unref();
      void this.prune();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.writing;
  }

  /** Resolves once the records are stored (a record already stored counts as stored). */
  append(request: AuditAppendRequest): Promise<{ stored: number }> {
    if (request.records.length === 0) return Promise.resolve({ stored: 0 });
    return new Promise<number>((resolve, reject) => {
      this.waiting.push({ records: request.records, resolve, reject });
      this.writing ??= this.writeWaiting();
    }).then((stored) => ({ stored }));
  }

  /** Appends inside the caller's transaction: the change and its record commit together. */
  async appendWith(manager: EntityManager, records: AuditRecordInput[]): Promise<void> {
    this.logStored(await this.repository.append(manager, records));
  }

  async list(request: AuditListRequest): Promise<Page<AuditRecordView>> {
    assertMayAct(request.principal, GLOBAL_DOMAIN, 'listAuditRecords');
    if (request.page.after !== undefined && !/^[1-9][0-9]{0,17}$/.test(request.page.after)) {
      throw new DomainError(ErrorCode.BadRequest, 'Query parameter after must be the X-Next-Cursor of the page before');
    }
    const limit = request.page.limit ?? 100;
    const page = await this.repository.list({ ...request, page: { ...request.page, limit } });
    const last = page.items[page.items.length - 1];
    return { ...page, next: page.items.length === limit && last && last.seq > 1 ? String(last.seq) : null };
  }

  private async writeWaiting(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const group: Waiting[] = [];
        let count = 0;
        while (this.waiting.length > 0 && (count === 0 || count + (this.waiting[0]?.records.length ?? 0) <= GROUP)) {
          const next = this.waiting.shift() as Waiting;
          group.push(next);
          count += next.records.length;
        }
        try {
          const stored = await this.dataSource.transaction((manager) =>
            this.repository.append(
              manager,
              group.flatMap((entry) => entry.records),
            ),
          );
          this.logStored(stored);
          for (const entry of group) entry.resolve(entry.records.length);
        } catch (error: unknown) {
          for (const entry of group) entry.reject(error);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  private logStored(records: AuditRecordView[]): void {
    for (const audit of records) {
      this.root.info({ service: 'identity', audit }, 'audit record');
    }
  }

  private async prune(): Promise<void> {
    try {
      let removed = 0;
      for (let round = 0; round < 100; round++) {
        const batch = await this.repository.prune(this.config.KEYWARD_AUDIT_RETENTION_DAYS, PRUNE_BATCH);
        removed += batch;
        if (batch < PRUNE_BATCH) break;
      }
      if (removed > 0) this.logger.log(`Removed ${removed} audit record(s) older than ${this.config.KEYWARD_AUDIT_RETENTION_DAYS} days`);
    } catch (error: unknown) {
      this.logger.warn(`Audit retention failed, tried again within the hour: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
