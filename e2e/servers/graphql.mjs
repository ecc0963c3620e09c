// The GraphQL servers the end-to-end tests run against, both on one schema: graphql-ws (the
// graphql-transport-ws protocol) at /graphql, and subscriptions-transport-ws (the legacy
// graphql-ws protocol) at /legacy, each on its own free port on 127.0.0.1.
//
// Schema:
//   query    hello(name: String = "world"): String          "Hello, <name>!"
//   query    add(a: Int!, b: Int!): Int
//   mutation shout(text: String!): String                   text in upper case
//   subscription greetings(count: Int = 3, everyMs: Int = 50): String
//            "Hi", "Bonjour", "Hola", ... count of them, then complete
//   subscription ticks(everyMs: Int = 200): Int              1, 2, 3, ... until stopped
//   subscription flood(count: Int!, size: Int = 0): String  count strings of size "x", as fast
//            as the socket takes them (the benchmark's GraphQL flood), then complete
// connection_init: a payload whose token is anything but "letmein" is refused (graphql-ws closes
// with 4403 Forbidden; the legacy server answers connection_error "Not authorized"); no token
// at all is let in.

import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { buildSchema, execute, parse, subscribe, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { SubscriptionServer } from 'subscriptions-transport-ws';

const schema = buildSchema(`
  type Query { hello(name: String = "world"): String, add(a: Int!, b: Int!): Int }
  type Mutation { shout(text: String!): String }
  type Subscription {
    greetings(count: Int = 3, everyMs: Int = 50): String
    ticks(everyMs: Int = 200): Int
    flood(count: Int!, size: Int = 0): String
  }
`);

const WORDS = ['Hi', 'Bonjour', 'Hola', 'Ciao', 'Hallo', 'Ola', 'Ahoj', 'Hej'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const clampMs = (ms) => Math.max(1, Math.min(Number(ms) || 1, 10_000));

const root = {
  hello: ({ name }) => `Hello, ${name}!`,
  add: ({ a, b }) => a + b,
  shout: ({ text }) => text.toUpperCase(),
  greetings: async function* greetings({ count, everyMs }) {
    for (let i = 0; i < Math.max(0, Math.min(count, 1000)); i++) {
      await sleep(clampMs(everyMs));
      yield { greetings: WORDS[i % WORDS.length] };
    }
  },
  flood: async function* flood({ count, size }) {
    const text = 'x'.repeat(Math.max(0, Math.min(size, 1 << 20)));
    for (let i = 0; i < Math.max(0, Math.min(count, 10_000_000)); i++) {
      // In slices, so the server keeps reading (a Stop) while it floods.
      if (i % 1000 === 999) await new Promise(setImmediate);
      yield { flood: text };
    }
  },
  ticks: async function* ticks({ everyMs }) {
    for (let n = 1; ; n++) {
      await sleep(clampMs(everyMs));
      yield { ticks: n };
    }
  },
};

/** Whether a connection_init payload may in: no token, or the right one. */
const allowed = (params) => params?.token === undefined || params.token === 'letmein';

function modern(http) {
  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  useServer({
    schema,
    roots: { query: root, mutation: root, subscription: root },
    onConnect: (ctx) => allowed(ctx.connectionParams),
  }, wss);
}

function legacy(http) {
  SubscriptionServer.create({
    schema,
    rootValue: root,
    execute,
    subscribe,
    parse,
    validate,
    onConnect: (params) => {
      if (!allowed(params)) throw new Error('Not authorized');
      return true;
    },
    keepAlive: 10_000,
  }, { server: http, path: '/legacy' });
}

/** Starts both servers on `listen`'s ports; resolves to their URLs. */
export async function startGraphql(listen, ports) {
  const modernHttp = createServer((_req, res) => res.writeHead(426).end());
  const legacyHttp = createServer((_req, res) => res.writeHead(426).end());
  modern(modernHttp);
  legacy(legacyHttp);
  const [modernPort, legacyPort] = await Promise.all([
    listen(modernHttp, ports.modern),
    listen(legacyHttp, ports.legacy),
  ]);
  return {
    graphql: `ws://127.0.0.1:${modernPort}/graphql`,
    graphqlLegacy: `ws://127.0.0.1:${legacyPort}/legacy`,
  };
}
