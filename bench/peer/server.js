'use strict';
// Socket.IO 4 peer for the Switchboard benchmark: one process = one node, nodes share Redis
// through an adapter. The bench starts one per node, like it starts Switchboard nodes, and
// drives it with the same load generator (Engine.IO 4 over WebSocket).
//
//   node server.js --port 9001 --redis redis://127.0.0.1:6379 --name peer-1 [--max-seconds 600]
//                  [--adapter redis|redis-streams]
//
// --adapter redis (default): @socket.io/redis-adapter (Redis PUB/SUB, no recovery).
// --adapter redis-streams: @socket.io/redis-streams-adapter (a Redis stream, at its default
// options) with connectionStateRecovery on: the Socket.IO setup that can resume a session and
// replay what it missed, so the one closest to Switchboard's guarantees. Every emit then carries
// an offset as an extra last argument.
//
// Channels are rooms. A connection joins the rooms listed in its CONNECT auth ({"rooms":[..]}).
// Publishing: the client event "p" (room, data) -> io.to(room).emit("m", data), or
// POST /publish {"room","data"}. Server-to-client RPC: POST /invoke {"room","method","data",
// "timeout"} -> io.to(room).timeout(ms).emitWithAck("invoke", {method, data}); agents join the
// room "rk:<routing key>". GET /health, GET /stats (rss, heap after a GC when --expose-gc).
const http = require('http');
const { Server } = require('socket.io');
const redisAdapter = require('@socket.io/redis-adapter');
const redisStreamsAdapter = require('@socket.io/redis-streams-adapter');
const { createClient } = require('redis');

function arg(name, def) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

const port = parseInt(arg('port', '9001'), 10);
const host = arg('host', '127.0.0.1');
const redisUrl = arg('redis', 'redis://127.0.0.1:6379');
const name = arg('name', 'peer');
const maxSeconds = parseInt(arg('max-seconds', '0'), 10);
const adapterName = arg('adapter', 'redis');
if (adapterName !== 'redis' && adapterName !== 'redis-streams') {
  console.error(`unknown --adapter ${adapterName} (redis or redis-streams)`);
  process.exit(2);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

function reply(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function main() {
  // The PUB/SUB adapter wants a publishing and a subscribed client; the streams adapter takes one
  // client (node-redis v4) and makes its own blocking XREAD connection from it.
  const pub = createClient({ url: redisUrl });
  const clients = adapterName === 'redis' ? [pub, pub.duplicate()] : [pub];
  clients.forEach((c) => c.on('error', (e) => console.error('redis error', e.message)));
  await Promise.all(clients.map((c) => c.connect()));
  const streams = adapterName === 'redis-streams';

  let io;
  const server = http.createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === '/health') {
        return reply(res, 200, { status: 'ok', name });
      }
      if (req.method === 'GET' && req.url === '/stats') {
        if (global.gc) global.gc();
        const m = process.memoryUsage();
        return reply(res, 200, { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external,
          sockets: io.engine.clientsCount });
      }
      if (req.method === 'POST' && req.url === '/publish') {
        const b = await readBody(req);
        io.to(b.room).emit('m', b.data);
        return reply(res, 200, { result: {} });
      }
      if (req.method === 'POST' && req.url === '/invoke') {
        const b = await readBody(req);
        try {
          const answers = await io.to(b.room).timeout(b.timeout || 5000).emitWithAck('invoke', { method: b.method, data: b.data });
          if (!answers.length) return reply(res, 404, { error: { code: 404, message: 'not connected' } });
          return reply(res, 200, { result: { data: answers[0] } });
        } catch (e) {
          return reply(res, 504, { error: { code: 504, message: 'timeout' } });
        }
      }
      reply(res, 404, { error: { code: 404, message: 'not found' } });
    } catch (e) {
      reply(res, 500, { error: { code: 500, message: String(e) } });
    }
  });
  server.keepAliveTimeout = 120000;

  io = new Server(server, {
    transports: ['websocket'],
    serveClient: false,
    perMessageDeflate: false,
    maxHttpBufferSize: 1e6,
    pingInterval: 25000,
    pingTimeout: 20000,
    adapter: streams ? redisStreamsAdapter.createAdapter(pub) : redisAdapter.createAdapter(clients[0], clients[1]),
    // Socket.IO's defaults (2 min, middlewares skipped on recovery); only meaningful with an adapter that
    // keeps what was sent, which the PUB/SUB one does not.
    connectionStateRecovery: streams ? {} : undefined,
  });

  io.on('connection', (socket) => {
    const rooms = socket.handshake.auth && socket.handshake.auth.rooms;
    if (Array.isArray(rooms) && rooms.length) socket.join(rooms);
    socket.on('p', (room, data) => {
      io.to(room).emit('m', data);
    });
  });

  server.listen(port, host, () =>
    console.log(`${name} listening on ${host}:${port} (socket.io 4, ${adapterName} adapter ${redisUrl})`));

  const stop = () => {
    io.close();
    server.close();
    Promise.allSettled(clients.map((c) => c.quit())).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (maxSeconds > 0) setTimeout(stop, maxSeconds * 1000).unref();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
