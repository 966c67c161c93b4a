// The floor's back end: answers each NATS request with one primary-key read from PostgreSQL.
// No framework: a queue subscription, a pg pool the size of identity's default, JSON in and out.
//
// Env: NATS_URL, FLOOR_SUBJECT, DATABASE_URL, FLOOR_POOL_SIZE.
import { connect } from 'nats';
import pg from 'pg';

const SQL = 'SELECT id, name, email, type, state, created_at, last_updated FROM identity.accounts WHERE id = $1';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.FLOOR_POOL_SIZE ?? 10),
  application_name: 'keyward-bench-floor',
});
const nc = await connect({ servers: process.env.NATS_URL, name: 'keyward-bench-floor-responder' });
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function reply(msg, body) {
  msg.respond(encoder.encode(JSON.stringify(body)));
}

nc.subscribe(process.env.FLOOR_SUBJECT, {
  queue: 'floor',
  // A callback, not `for await`: requests are handled concurrently, as identity's listener does.
  callback: (error, msg) => {
    if (error) return;
    let id;
    try {
      id = JSON.parse(decoder.decode(msg.data)).id;
    } catch {
      return reply(msg, { status: 400 });
    }
    pool.query(SQL, [id]).then(
      ({ rows }) => {
        const row = rows[0];
        if (!row) return reply(msg, { status: 404 });
        reply(msg, {
          status: 200,
          account: {
            name: row.name,
            email: row.email,
            type: row.type,
            state: row.state,
            created_at: row.created_at.toISOString(),
            last_updated: row.last_updated.toISOString(),
          },
        });
      },
      () => reply(msg, { status: 500 }),
    );
  },
});
await nc.flush();

async function shutdown() {
  await nc.drain().catch(() => undefined);
  await pool.end().catch(() => undefined);
  process.exit(0);
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
