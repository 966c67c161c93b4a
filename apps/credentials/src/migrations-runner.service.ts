import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { KeyRing, KeyRingError, runMigrationsLocked } from '@keyward/nest-common';
import { DataSource } from 'typeorm';
import { CREDENTIALS_SCHEMA } from './database/credentials-data-source';

/**
 * Brings the `credentials` schema up to date before the service takes requests, and refuses to
 * start when stored values are sealed under a key the ring lacks: better a clear message at start
 * than failed exports later.
 */
@Injectable()
export class MigrationsRunner implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keyRing: KeyRing,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrationsLocked(this.dataSource, CREDENTIALS_SCHEMA);
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT split_part(values_sealed, '.', 2) AS key_id FROM credentials.credentials WHERE values_sealed IS NOT NULL
       UNION SELECT DISTINCT split_part(data_sealed, '.', 2) FROM credentials.secrets`,
    )) as Array<{ key_id: string }>;
    const missing = rows.map((row) => row.key_id).filter((id) => !this.keyRing.has(id));
    if (missing.length > 0) {
      throw new KeyRingError(
        `Stored values are sealed under key(s) ${missing.join(', ')}, which KEYWARD_MASTER_KEYS lacks: add them back (after the active key), run rotate-keys, then remove them`,
      );
    }
  }
}
