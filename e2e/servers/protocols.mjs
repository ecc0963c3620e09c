// The protocol servers the Socket.IO, JSON-RPC, GraphQL, MQTT and STOMP end-to-end tests run against: a
// Socket.IO 4 server (socket.io, which also lets Engine.IO 3 / Socket.IO 2 clients in), a
// JSON-RPC 2.0 server over WebSocket (json-rpc-2.0 on top of ws) and the two GraphQL servers
// of graphql.mjs, each on its own free port on 127.0.0.1, Debian's mosquitto (mqtt.mjs) and
// Debian's RabbitMQ with Web STOMP (stomp.mjs).
//
// The first line on stdout is JSON, and the only thing this process writes there:
//   {"socketio":"ws://127.0.0.1:PORT","jsonrpc":"ws://127.0.0.1:PORT/rpc",
//    "graphql":"ws://127.0.0.1:PORT/graphql","graphqlLegacy":"ws://127.0.0.1:PORT/legacy",
//    "mqtt":"ws://127.0.0.1:PORT","stomp":"ws://127.0.0.1:PORT/ws"}
// (the Socket.IO URL without its path: clients add /socket.io/). It then runs until SIGTERM or
// SIGINT, and exits 0. e2e/tests/servers.test.js checks every behaviour below.
//
// Socket.IO, namespace "/":
//   on connect          emits "welcome" {id: socket.id}
//   "echo" ...args      emits "echo" ...args back (and acks with ...args if an ack was asked for)
//   "ping-ack" ...args  acks ["pong", ...args]
//   "slow" ms           acks ["slow", ms] after ms milliseconds
//   "binary"            acks [<Buffer 00..0f>], then emits "bytes" <Buffer 00..0f>
//   "ask" ...args       emits "question" ...args asking for an ack; the client's ack ...answer
//                       comes back as "answered" ...answer (and "ask" acks ["asked"] if asked to)
//   "flood" count size  emits "tick" count times, each a string of size characters, as fast as
//                       the socket drains (the benchmark's Socket.IO flood)
// Socket.IO, namespace "/admin": auth.token must be "letmein", else the connect fails with
//   message "Not authorized" and data {reason: "bad token"}; "whoami" acks ["admin"].
// pingInterval and pingTimeout are 1000 ms each (WSPROBE_SOCKETIO_PING_MS changes both: the
// benchmark's raw client does not answer pings).
//
// JSON-RPC 2.0 at /rpc: subtract ([a, b] or {minuend, subtrahend}), sum ([numbers]),
// delay ([ms] or {ms}: answers ms after ms), fail (error -32000 "deliberate failure" with data),
// notify_hello (a notification, accepted silently), subscribe_ticks / unsubscribe_ticks (the
// server then sends the notification "tick" {n: 1}, {n: 2}, ... every 500 ms). Unknown methods
// get -32601, batches are answered as one array, unparsable text gets -32700.

import { createServer } from 'node:http';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer } from 'ws';
import { startGraphql } from './graphql.mjs';
import { startMosquitto } from './mqtt.mjs';
import { startRabbitmq } from './stomp.mjs';
import {
  JSONRPCErrorCode, JSONRPCErrorException, JSONRPCServer, createJSONRPCErrorResponse, createJSONRPCNotification,
} from 'json-rpc-2.0';

const HOST = '127.0.0.1';

/** Bytes 0 to 15, the binary payload of "binary" and "bytes". */
const BYTES = Buffer.from(Array.from({ length: 16 }, (_, i) => i));

/** Splits an event's arguments into its arguments and the ack callback, if the client asked for one. */
function withAck(args) {
  return typeof args.at(-1) === 'function' ? [args.slice(0, -1), args.at(-1)] : [args, null];
}

/** Listens on `port` (0: a free one, as the tests do; the serve command asks for fixed ones). */
function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve(server.address().port));
  });
}

// --- Socket.IO ---

const socketIoHttp = createServer();
const io = new SocketIoServer(socketIoHttp, {
  path: '/socket.io/',
  transports: ['polling', 'websocket'],
  pingInterval: Number.parseInt(process.env.WSPROBE_SOCKETIO_PING_MS ?? '1000', 10) || 1000,
  pingTimeout: Number.parseInt(process.env.WSPROBE_SOCKETIO_PING_MS ?? '1000', 10) || 1000,
  // Socket.IO 2 clients (Engine.IO protocol 3) may connect to the same server.
  allowEIO3: true,
  // The page is served from another origin; polling needs CORS (WebSocket does not).
  cors: { origin: true },
});

io.on('connection', (socket) => {
  socket.emit('welcome', { id: socket.id });

  socket.on('echo', (...all) => {
    const [args, ack] = withAck(all);
    socket.emit('echo', ...args);
    ack?.(...args);
  });

  socket.on('ping-ack', (...all) => {
    const [args, ack] = withAck(all);
    ack?.('pong', ...args);
  });

  socket.on('slow', (...all) => {
    const [[ms], ack] = withAck(all);
    const wait = Math.max(0, Math.min(Number(ms) || 0, 60_000));
    const timer = setTimeout(() => ack?.('slow', ms), wait);
    socket.once('disconnect', () => clearTimeout(timer));
  });

  socket.on('binary', (...all) => {
    const [, ack] = withAck(all);
    ack?.(BYTES);
    socket.emit('bytes', BYTES);
  });

  socket.on('flood', (...all) => {
    const [[count, size]] = withAck(all);
    const n = Math.max(0, Math.min(Number(count) || 0, 10_000_000));
    const text = 'x'.repeat(Math.max(0, Math.min(Number(size) || 0, 1 << 20)));
    let sent = 0;
    // In slices, so the server keeps answering pings while it floods.
    const slice = () => {
      if (socket.disconnected) return;
      const end = Math.min(n, sent + 1000);
      for (; sent < end; sent++) socket.emit('tick', text);
      if (sent < n) setImmediate(slice);
    };
    slice();
  });

  socket.on('ask', (...all) => {
    const [args, ack] = withAck(all);
    ack?.('asked');
    socket.emit('question', ...args, (...answer) => socket.emit('answered', ...answer));
  });
});

const admin = io.of('/admin');
admin.use((socket, next) => {
  if (socket.handshake.auth?.token === 'letmein') return next();
  const err = new Error('Not authorized');
  err.data = { reason: 'bad token' };
  next(err);
});
admin.on('connection', (socket) => {
  socket.on('whoami', (...all) => {
    const [, ack] = withAck(all);
    ack?.('admin');
  });
});

// --- JSON-RPC 2.0 ---

const invalidParams = () => new JSONRPCErrorException('Invalid params', JSONRPCErrorCode.InvalidParams);
const isNumber = (x) => typeof x === 'number' && Number.isFinite(x);

const rpc = new JSONRPCServer({
  // The library logs every error a method throws; "fail" and bad params are expected ones.
  errorListener: (message, error) => {
    if (!(error instanceof JSONRPCErrorException)) console.error(message, error);
  },
});

rpc.addMethod('subtract', (params) => {
  const [a, b] = Array.isArray(params) ? params : [params?.minuend, params?.subtrahend];
  if (!isNumber(a) || !isNumber(b)) throw invalidParams();
  return a - b;
});

rpc.addMethod('sum', (params) => {
  if (!Array.isArray(params) || !params.every(isNumber)) throw invalidParams();
  return params.reduce((total, x) => total + x, 0);
});

rpc.addMethod('delay', (params, { socket }) => {
  const ms = Array.isArray(params) ? params[0] : params?.ms;
  if (!isNumber(ms) || ms < 0 || ms > 60_000) throw invalidParams();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(ms), ms);
    socket.once('close', () => clearTimeout(timer));
  });
});

rpc.addMethod('fail', (params) => {
  throw new JSONRPCErrorException('deliberate failure', -32000, { reason: 'fail always fails', params: params ?? null });
});

rpc.addMethod('notify_hello', () => 'hello');

rpc.addMethod('subscribe_ticks', (_params, { socket, ticks }) => {
  if (ticks.timer) return 'already subscribed';
  ticks.timer = setInterval(() => {
    ticks.n += 1;
    send(socket, createJSONRPCNotification('tick', { n: ticks.n }));
  }, 500);
  return 'subscribed';
});

rpc.addMethod('unsubscribe_ticks', (_params, { ticks }) => {
  if (!ticks.timer) return 'not subscribed';
  clearInterval(ticks.timer);
  ticks.timer = null;
  return 'unsubscribed';
});

function send(socket, message) {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

const rpcHttp = createServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('JSON-RPC over WebSocket at /rpc\n'));
const wss = new WebSocketServer({ server: rpcHttp, path: '/rpc' });

wss.on('connection', (socket) => {
  const ticks = { timer: null, n: 0 };
  socket.on('close', () => clearInterval(ticks.timer));
  socket.on('message', async (data) => {
    let payload;
    try {
      payload = JSON.parse(data.toString());
    } catch {
      return send(socket, createJSONRPCErrorResponse(null, JSONRPCErrorCode.ParseError, 'Parse error'));
    }
    // The library reads fields of whatever it is given: anything but an object becomes {}, which
    // it answers with "Invalid Request" (id null), as the specification asks.
    const asRequest = (x) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? x : {});
    const batch = Array.isArray(payload);
    let response = await rpc.receive(batch ? payload.map(asRequest) : asRequest(payload), { socket, ticks });
    // The library answers a batch with a single response as that response alone; the
    // specification asks for an array. (An empty batch is one Invalid Request, not an array.)
    if (batch && payload.length > 0 && response !== null && !Array.isArray(response)) response = [response];
    if (response !== null) send(socket, response);
  });
});

// --- start ---

const port = (name) => Number.parseInt(process.env[name] ?? '0', 10) || 0;
const [socketIoPort, rpcPort, graphql, mosquitto, rabbitmq] = await Promise.all([
  listen(socketIoHttp, port('WSPROBE_SOCKETIO_PORT')),
  listen(rpcHttp, port('WSPROBE_JSONRPC_PORT')),
  startGraphql(listen, { modern: port('WSPROBE_GRAPHQL_PORT'), legacy: port('WSPROBE_GRAPHQL_LEGACY_PORT') }),
  startMosquitto(port('WSPROBE_MQTT_PORT')),
  startRabbitmq(port('WSPROBE_STOMP_PORT')),
]);
process.stdout.write(JSON.stringify({
  socketio: `ws://${HOST}:${socketIoPort}`,
  jsonrpc: `ws://${HOST}:${rpcPort}/rpc`,
  ...graphql,
  mqtt: mosquitto.mqtt,
  stomp: rabbitmq.stomp,
}) + '\n');

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
