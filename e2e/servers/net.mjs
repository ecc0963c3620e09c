// What the brokers' starters share: a free loopback port, and waiting until a port listens.

import { connect, createServer } from 'node:net';

/** A port free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on 127.0.0.1:`port`, or rejects after `ms`,
 *  naming `what` did not listen. */
export async function listening(port, ms, what) {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`${what} did not listen on ${port} in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
