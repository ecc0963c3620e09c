// The protocol servers (servers/protocols.mjs) behave as described there, checked with the real
// clients: socket.io-client for Socket.IO 4, a raw WebSocket speaking Engine.IO 3 for Socket.IO 2
// clients, a raw WebSocket for JSON-RPC 2.0, graphql-ws's own client for graphql-transport-ws
// and a raw WebSocket for the legacy graphql-ws protocol, MQTT.js for mosquitto, and stompjs for
// RabbitMQ's Web STOMP. So the servers are known good before the page is tested against them.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { io } from 'socket.io-client';
import { createClient } from 'graphql-ws';
import mqtt from 'mqtt';
import { Client as StompClient } from '@stomp/stompjs';
import WebSocket from 'ws';
import { startProtocolServers } from '../harness.js';

let servers;
before(async () => { servers = await startProtocolServers(); });
after(async () => { await servers?.close(); });

const BYTES = Buffer.from(Array.from({ length: 16 }, (_, i) => i));
const LIMIT = { timeout: 15_000 };

/** Resolves to the arguments of the next `event` on `emitter`. */
const next = (emitter, event) => new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));

/** A socket.io-client socket of its own (no shared manager, no reconnection). */
function socketIo(namespace = '/', options = {}) {
  return io(servers.socketio + namespace, { transports: ['websocket'], forceNew: true, reconnection: false, ...options });
}

function connected(socket) {
  return new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
}

/** Emits `event` with `args` asking for an ack; resolves to the ack's arguments. */
function ack(socket, event, ...args) {
  return new Promise((resolve, reject) => {
    socket.timeout(5000).emit(event, ...args, (err, ...reply) => (err ? reject(err) : resolve(reply)));
  });
}

/** Runs `body` with a connected socket, and disconnects it whatever happens. */
async function withSocket(body, namespace = '/', options = {}) {
  const socket = socketIo(namespace, options);
  try {
    await connected(socket);
    return await body(socket);
  } finally {
    socket.disconnect();
  }
}

describe('Socket.IO 4', () => {
  test('the first line names both servers on 127.0.0.1', () => {
    assert.match(servers.socketio, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.match(servers.jsonrpc, /^ws:\/\/127\.0\.0\.1:\d+\/rpc$/);
  });

  test('a client that connects is welcomed with its id', LIMIT, async () => {
    const socket = socketIo();
    try {
      const welcome = next(socket, 'welcome');
      await connected(socket);
      assert.deepEqual(await welcome, [{ id: socket.id }]);
    } finally {
      socket.disconnect();
    }
  });

  test('flood emits as many ticks as asked, each of the size asked', LIMIT, (t) => withSocket(async (socket) => {
    const ticks = [];
    const all = new Promise((resolve) => socket.on('tick', (text) => {
      ticks.push(text);
      if (ticks.length === 2500) resolve();
    }));
    socket.emit('flood', 2500, 7);
    await all;
    assert.ok(ticks.every((text) => text === 'xxxxxxx'));
  }));

  test('echo comes back with the same arguments', LIMIT, (t) => withSocket(async (socket) => {
    const echo = next(socket, 'echo');
    socket.emit('echo', 'x', 1, { a: [true, null] });
    assert.deepEqual(await echo, ['x', 1, { a: [true, null] }]);
  }));

  test('ping-ack acks with "pong" and the arguments', LIMIT, () => withSocket(async (socket) => {
    assert.deepEqual(await ack(socket, 'ping-ack', 'a', 1), ['pong', 'a', 1]);
    assert.deepEqual(await ack(socket, 'ping-ack'), ['pong']);
  }));

  test('slow acks after the milliseconds asked for, and a shorter ack timeout runs out first', LIMIT, () => withSocket(async (socket) => {
    const started = Date.now();
    assert.deepEqual(await ack(socket, 'slow', 300), ['slow', 300]);
    assert.ok(Date.now() - started >= 300, `acked after ${Date.now() - started} ms`);
    const err = await new Promise((resolve) => socket.timeout(100).emit('slow', 600, (e) => resolve(e)));
    assert.ok(err instanceof Error, 'the ack timed out');
  }));

  test('binary acks with bytes 0..15 and emits them as "bytes"', LIMIT, () => withSocket(async (socket) => {
    const bytes = next(socket, 'bytes');
    const [reply] = await ack(socket, 'binary');
    assert.deepEqual(Buffer.from(reply), BYTES);
    const [event] = await bytes;
    assert.deepEqual(Buffer.from(event), BYTES);
  }));

  test('ask: the server asks a question with an ack, and says what the client answered', LIMIT, () => withSocket(async (socket) => {
    const question = new Promise((resolve) => socket.once('question', (...args) => {
      const answer = args.pop();
      assert.equal(typeof answer, 'function', 'the server asks for an ack');
      answer('my answer', 42);
      resolve(args);
    }));
    const answered = next(socket, 'answered');
    socket.emit('ask', 'q?');
    assert.deepEqual(await question, ['q?']);
    assert.deepEqual(await answered, ['my answer', 42]);
  }));

  test('/admin refuses a bad or missing token with "Not authorized" and its data', LIMIT, async () => {
    for (const options of [{ auth: { token: 'nope' } }, {}]) {
      const socket = socketIo('/admin', options);
      try {
        const err = await connected(socket).then(() => assert.fail('connected without the token'), (e) => e);
        assert.equal(err.message, 'Not authorized');
        assert.deepEqual(err.data, { reason: 'bad token' });
        assert.equal(socket.connected, false);
      } finally {
        socket.disconnect();
      }
    }
  });

  test('/admin lets the right token in, and whoami acks "admin"', LIMIT, () => withSocket(async (socket) => {
    assert.deepEqual(await ack(socket, 'whoami'), ['admin']);
  }, '/admin', { auth: { token: 'letmein' } }));

  test('a client stays connected past several ping intervals (1 s each)', LIMIT, () => withSocket(async (socket) => {
    let pings = 0;
    socket.io.engine.on('ping', () => { pings += 1; });
    let disconnected = null;
    socket.on('disconnect', (reason) => { disconnected = reason; });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    assert.equal(disconnected, null);
    assert.ok(socket.connected);
    assert.ok(pings >= 3, `${pings} pings in 3.5 s`);
  }));

  test('long polling works too', LIMIT, () => withSocket(async (socket) => {
    assert.equal(socket.io.engine.transport.name, 'polling');
    assert.deepEqual(await ack(socket, 'ping-ack', 'p'), ['pong', 'p']);
  }, '/', { transports: ['polling'] }));
});

describe('Socket.IO 2 clients (Engine.IO 3, allowEIO3)', () => {
  test('a raw WebSocket speaking EIO=3 is opened, connected to "/" and echoed', LIMIT, async () => {
    const ws = new WebSocket(`${servers.socketio}/socket.io/?EIO=3&transport=websocket`);
    const inbox = [];
    let arrived = () => {};
    ws.on('message', (data, isBinary) => {
      inbox.push(isBinary ? data : String(data));
      arrived();
    });
    const frame = async (predicate) => {
      for (;;) {
        const i = inbox.findIndex(predicate);
        if (i >= 0) return inbox.splice(i, 1)[0];
        await new Promise((resolve) => { arrived = resolve; });
      }
    };
    try {
      await once(ws, 'open');
      const open = await frame(() => true);
      assert.match(open, /^0\{/);
      const handshake = JSON.parse(open.slice(1));
      assert.equal(typeof handshake.sid, 'string');
      assert.equal(handshake.pingInterval, 1000);
      assert.equal(handshake.pingTimeout, 1000);
      // Socket.IO 2 clients are connected to "/" without asking.
      assert.equal(await frame(() => true), '40');
      ws.send('42["echo","x"]');
      assert.equal(await frame((f) => f.startsWith('42["echo"')), '42["echo","x"]');
      // In Engine.IO 3 the client pings and the server answers.
      ws.send('2');
      assert.equal(await frame((f) => f === '3'), '3');
    } finally {
      ws.close();
      await once(ws, 'close');
    }
  });
});

/** A raw WebSocket to the JSON-RPC server: `send` a message (objects are sent as JSON),
 *  `receive` the next one parsed. */
async function jsonRpc() {
  const ws = new WebSocket(servers.jsonrpc);
  const inbox = [];
  let arrived = () => {};
  ws.on('message', (data) => {
    inbox.push(JSON.parse(String(data)));
    arrived();
  });
  await once(ws, 'open');
  return {
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async receive() {
      while (!inbox.length) await new Promise((resolve) => { arrived = resolve; });
      return inbox.shift();
    },
    async close() {
      ws.close();
      await once(ws, 'close');
    },
  };
}

async function withRpc(body) {
  const rpc = await jsonRpc();
  try {
    return await body(rpc);
  } finally {
    await rpc.close();
  }
}

describe('JSON-RPC 2.0', () => {
  test('subtract with positional params, ids 1 and 0', LIMIT, () => withRpc(async (rpc) => {
    rpc.send({ jsonrpc: '2.0', method: 'subtract', params: [42, 23], id: 1 });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', result: 19, id: 1 });
    rpc.send({ jsonrpc: '2.0', method: 'subtract', params: [23, 42], id: 0 });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', result: -19, id: 0 });
  }));

  test('subtract with named params', LIMIT, () => withRpc(async (rpc) => {
    rpc.send({ jsonrpc: '2.0', method: 'subtract', params: { subtrahend: 23, minuend: 42 }, id: 'n' });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', result: 19, id: 'n' });
  }));

  test('sum adds an array of numbers; bad params are -32602', LIMIT, () => withRpc(async (rpc) => {
    rpc.send({ jsonrpc: '2.0', method: 'sum', params: [1, 2, 4.5], id: 2 });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', result: 7.5, id: 2 });
    rpc.send({ jsonrpc: '2.0', method: 'sum', params: 'x', id: 3 });
    assert.equal((await rpc.receive()).error.code, -32602);
  }));

  test('an unknown method is -32601, unparsable text -32700', LIMIT, () => withRpc(async (rpc) => {
    rpc.send({ jsonrpc: '2.0', method: 'foobar', id: '1' });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: '1' });
    rpc.send('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]');
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
  }));

  test('fail is error -32000 "deliberate failure" with data', LIMIT, () => withRpc(async (rpc) => {
    rpc.send({ jsonrpc: '2.0', method: 'fail', params: [1], id: 5 });
    assert.deepEqual(await rpc.receive(), {
      jsonrpc: '2.0',
      error: { code: -32000, message: 'deliberate failure', data: { reason: 'fail always fails', params: [1] } },
      id: 5,
    });
  }));

  test('notify_hello, a notification, is not answered', LIMIT, () => withRpc(async (rpc) => {
    rpc.send({ jsonrpc: '2.0', method: 'notify_hello', params: [7] });
    rpc.send({ jsonrpc: '2.0', method: 'nothing_here' });
    rpc.send({ jsonrpc: '2.0', method: 'sum', params: [1], id: 'after' });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', result: 1, id: 'after' });
  }));

  test('a batch with calls, a notification, an invalid request and an unknown method', LIMIT, () => withRpc(async (rpc) => {
    rpc.send([
      { jsonrpc: '2.0', method: 'sum', params: [1, 2, 4], id: '1' },
      { jsonrpc: '2.0', method: 'notify_hello', params: [7] },
      { jsonrpc: '2.0', method: 'subtract', params: [42, 23], id: '2' },
      { foo: 'boo' },
      { jsonrpc: '2.0', method: 'foo.get', params: { name: 'myself' }, id: '5' },
      { jsonrpc: '2.0', method: 'fail', id: '9' },
    ]);
    const responses = await rpc.receive();
    assert.ok(Array.isArray(responses));
    const byId = (a, b) => String(a.id).localeCompare(String(b.id));
    assert.deepEqual(responses.sort(byId), [
      { jsonrpc: '2.0', result: 7, id: '1' },
      { jsonrpc: '2.0', result: 19, id: '2' },
      { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: '5' },
      { jsonrpc: '2.0', error: { code: -32000, message: 'deliberate failure', data: { reason: 'fail always fails', params: null } }, id: '9' },
      { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null },
    ].sort(byId));
    // A batch with one answer is still answered with an array; an empty one is an Invalid Request.
    rpc.send([{ jsonrpc: '2.0', method: 'sum', params: [2], id: 6 }, { jsonrpc: '2.0', method: 'notify_hello' }]);
    assert.deepEqual(await rpc.receive(), [{ jsonrpc: '2.0', result: 2, id: 6 }]);
    rpc.send([]);
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null });
    // Nothing is answered to a batch of notifications: the next answer is the next call's.
    rpc.send([{ jsonrpc: '2.0', method: 'notify_hello' }, { jsonrpc: '2.0', method: 'notify_hello' }]);
    rpc.send({ jsonrpc: '2.0', method: 'sum', params: [3], id: 7 });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', result: 3, id: 7 });
  }));

  test('delay answers no sooner than asked, with positional or named params', LIMIT, () => withRpc(async (rpc) => {
    let started = Date.now();
    rpc.send({ jsonrpc: '2.0', method: 'delay', params: [300], id: 1 });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', result: 300, id: 1 });
    assert.ok(Date.now() - started >= 300, `answered after ${Date.now() - started} ms`);
    started = Date.now();
    rpc.send({ jsonrpc: '2.0', method: 'delay', params: { ms: 200 }, id: 2 });
    rpc.send({ jsonrpc: '2.0', method: 'sum', params: [1], id: 3 });
    // The quick call is answered first: calls do not wait for each other.
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', result: 1, id: 3 });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', result: 200, id: 2 });
    assert.ok(Date.now() - started >= 200, `answered after ${Date.now() - started} ms`);
  }));

  test('subscribe_ticks brings a "tick" notification every 500 ms, until unsubscribe_ticks', LIMIT, () => withRpc(async (rpc) => {
    rpc.send({ jsonrpc: '2.0', method: 'subscribe_ticks', id: 1 });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', result: 'subscribed', id: 1 });
    const started = Date.now();
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', method: 'tick', params: { n: 1 } });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', method: 'tick', params: { n: 2 } });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', method: 'tick', params: { n: 3 } });
    const took = Date.now() - started;
    assert.ok(took >= 900 && took < 3000, `three ticks in ${took} ms`);
    rpc.send({ jsonrpc: '2.0', method: 'unsubscribe_ticks', id: 2 });
    // A tick may cross the unsubscribe on the wire; none comes after its answer.
    let answer = await rpc.receive();
    if (answer.method === 'tick') answer = await rpc.receive();
    assert.deepEqual(answer, { jsonrpc: '2.0', result: 'unsubscribed', id: 2 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    rpc.send({ jsonrpc: '2.0', method: 'sum', params: [0], id: 3 });
    assert.deepEqual(await rpc.receive(), { jsonrpc: '2.0', result: 0, id: 3 });
  }));
});

/** A graphql-ws client of its own; `params` is the connection_init payload. */
function graphqlClient(params, onClosed) {
  return createClient({
    url: servers.graphql, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0,
    connectionParams: params, on: { closed: onClosed ?? (() => {}) }, onNonLazyError: () => {},
  });
}

/** Every result of `payload` on `client`, until it completes. */
async function results(client, payload) {
  const all = [];
  for await (const result of client.iterate(payload)) all.push(result);
  return all;
}

/** A raw WebSocket speaking the legacy protocol; resolves to it and its message queue. */
async function legacySocket(params) {
  const socket = new WebSocket(servers.graphqlLegacy, 'graphql-ws');
  const messages = [];
  const waiting = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    const taker = waiting.shift();
    if (taker) taker(message);
    else messages.push(message);
  });
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init', payload: params }));
  const nextMessage = () => (messages.length ? Promise.resolve(messages.shift()) : new Promise((resolve) => waiting.push(resolve)));
  return { socket, nextMessage };
}

describe('GraphQL', () => {
  test('graphql-transport-ws: a query, a mutation, and a subscription that completes', LIMIT, async () => {
    const client = graphqlClient({});
    try {
      assert.deepEqual(await results(client, { query: '{ hello(name: "wsprobe") }' }), [{ data: { hello: 'Hello, wsprobe!' } }]);
      assert.deepEqual(await results(client, { query: 'mutation { shout(text: "hey") }' }), [{ data: { shout: 'HEY' } }]);
      const greetings = await results(client, { query: 'subscription($n: Int) { greetings(count: $n) }', variables: { n: 2 } });
      assert.deepEqual(greetings.map((r) => r.data.greetings), ['Hi', 'Bonjour']);
      const flood = await results(client, { query: 'subscription { flood(count: 2500, size: 3) }' });
      assert.equal(flood.length, 2500);
      assert.ok(flood.every((r) => r.data.flood === 'xxx'));
    } finally {
      await client.dispose();
    }
  });

  test('graphql-transport-ws: ticks run until stopped; a wrong token is closed with 4403', LIMIT, async () => {
    const client = graphqlClient({ token: 'letmein' });
    try {
      const ticks = [];
      for await (const result of client.iterate({ query: 'subscription { ticks(everyMs: 20) }' })) {
        ticks.push(result.data.ticks);
        if (ticks.length === 3) break;
      }
      assert.deepEqual(ticks, [1, 2, 3]);
    } finally {
      await client.dispose();
    }
    const closed = new Promise((resolve) => {
      const refused = graphqlClient({ token: 'wrong' }, (event) => resolve(event.code));
      setTimeout(() => refused.dispose(), 5000);
    });
    assert.equal(await closed, 4403);
  });

  test('legacy graphql-ws: ack, start, data, complete; a wrong token gets connection_error', LIMIT, async () => {
    const { socket, nextMessage } = await legacySocket({});
    try {
      assert.equal((await nextMessage()).type, 'connection_ack');
      socket.send(JSON.stringify({ id: '1', type: 'start', payload: { query: '{ add(a: 2, b: 3) }' } }));
      let message = await nextMessage();
      while (message.type === 'ka') message = await nextMessage();
      assert.deepEqual(message, { id: '1', type: 'data', payload: { data: { add: 5 } } });
      assert.deepEqual(await nextMessage(), { id: '1', type: 'complete', payload: null });
    } finally {
      socket.close();
    }
    const refused = await legacySocket({ token: 'wrong' });
    try {
      assert.deepEqual(await refused.nextMessage(), { type: 'connection_error', payload: { message: 'Not authorized' } });
    } finally {
      refused.socket.close();
    }
  });
});

/** An MQTT.js client over WebSocket; resolves once connected, rejects with the broker's refusal. */
function mqttClient(options) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(servers.mqtt, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
    client.once('connect', () => resolve(client));
    client.once('error', (e) => { client.end(true); reject(e); });
  });
}

describe('MQTT (mosquitto)', () => {
  test('a wrong password is refused; the right one connects, and QoS 1 and 2 round trips and retained messages work', LIMIT, async () => {
    await assert.rejects(mqttClient({ username: 'wsprobe', password: 'nope' }), /Not authorized|Bad User Name or Password/);
    await assert.rejects(mqttClient({}), /Not authorized|Bad User Name or Password/);
    for (const protocolVersion of [4, 5]) {
      const client = await mqttClient({ username: 'wsprobe', password: 'letmein', protocolVersion });
      try {
        const topic = `check/${protocolVersion}`;
        await client.publishAsync(`${topic}/kept`, 'kept', { qos: 1, retain: true });
        const got = [];
        client.on('message', (t, payload, packet) => got.push([t, payload.toString(), packet.retain]));
        await client.subscribeAsync(`${topic}/#`, { qos: 2 });
        await client.publishAsync(`${topic}/a`, 'one', { qos: 1 });
        await client.publishAsync(`${topic}/b`, 'two', { qos: 2 });
        for (let i = 0; i < 100 && got.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(got, [[`${topic}/kept`, 'kept', true], [`${topic}/a`, 'one', false], [`${topic}/b`, 'two', false]]);
        await client.publishAsync(`${topic}/kept`, '', { qos: 1, retain: true });
      } finally {
        await client.endAsync();
      }
    }
  });
});

/** A stompjs client over `ws`; resolves once CONNECTED, rejects with the broker's ERROR. */
function stompClient(connectHeaders) {
  return new Promise((resolve, reject) => {
    const client = new StompClient({
      brokerURL: servers.stomp,
      connectHeaders,
      reconnectDelay: 0,
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
      webSocketFactory: () => new WebSocket(servers.stomp, ['v12.stomp', 'v11.stomp', 'v10.stomp']),
    });
    client.onConnect = () => resolve(client);
    client.onStompError = (frame) => {
      client.deactivate();
      reject(new Error(`${frame.headers.message}: ${frame.body}`));
    };
    client.activate();
  });
}

describe('STOMP (RabbitMQ Web STOMP)', () => {
  test('a wrong passcode is refused; the right one connects, with receipts, acks, NACK redelivery and an ERROR for a bad destination', LIMIT, async () => {
    await assert.rejects(stompClient({ login: 'wsprobe', passcode: 'nope', host: '/' }), /Bad CONNECT: Access refused/);
    await assert.rejects(stompClient({ login: 'wsprobe', passcode: 'letmein', host: 'elsewhere' }), /Virtual host 'elsewhere' access denied/);
    const client = await stompClient({ login: 'wsprobe', passcode: 'letmein', host: '/' });
    try {
      assert.equal(client.connectedVersion, '1.2');
      const got = [];
      client.subscribe('/queue/check', (message) => got.push(message), { ack: 'client-individual' });
      const receipt = new Promise((resolve) => client.watchForReceipt('r-1', resolve));
      client.publish({ destination: '/queue/check', body: 'one', headers: { receipt: 'r-1', 'x-k': 'a:b' } });
      await receipt;
      for (let i = 0; i < 100 && got.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(got[0]?.body, 'one');
      assert.equal(got[0]?.headers['x-k'], 'a:b');
      got[0].nack();
      for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(got[1]?.body, 'one', 'a NACKed message is delivered again');
      assert.equal(got[1]?.headers.redelivered, 'true');
      got[1].ack();
      const error = new Promise((resolve) => { client.onStompError = resolve; });
      client.subscribe('/bogus/check', () => {});
      const frame = await error;
      assert.equal(frame.headers.message, 'Unknown destination');
    } finally {
      await client.deactivate();
    }
  });
});
