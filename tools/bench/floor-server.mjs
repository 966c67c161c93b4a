// The floor's front end: a plain node:http server that turns each GET /account into one NATS
// request/reply to floor-responder.mjs and answers with the account as JSON. No framework, no auth.
//
// Env: NATS_URL, FLOOR_SUBJECT, FLOOR_PORT, FLOOR_ACCOUNT_ID.
import { createServer } from 'node:http';
import { connect } from 'nats';

const nc = await connect({ servers: process.env.NATS_URL, name: 'keyward-bench-floor-server' });
const subject = process.env.FLOOR_SUBJECT;
const payload = new TextEncoder().encode(JSON.stringify({ id: process.env.FLOOR_ACCOUNT_ID }));
const decoder = new TextDecoder();

function send(res, status, body) {
  const data = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

const server = createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/account') return send(res, 404, { message: 'Not found' });
  nc.request(subject, payload, { timeout: 5000 }).then(
    (msg) => {
      const answer = JSON.parse(decoder.decode(msg.data));
      send(res, answer.status, answer.account);
    },
    () => send(res, 503, { message: 'Service unavailable' }),
  );
});
server.listen(Number(process.env.FLOOR_PORT), '127.0.0.1');

function shutdown() {
  server.close();
  server.closeAllConnections();
  nc.drain()
    .catch(() => undefined)
    .finally(() => process.exit(0));
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
