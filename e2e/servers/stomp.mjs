// The STOMP broker the end-to-end tests run against: Debian's rabbitmq-server with its Web STOMP
// plugin, at ws://127.0.0.1:PORT/ws, user "wsprobe" whose password is "letmein" (the default
// "guest" user is not created), virtual host "/". Every listener (Web STOMP, and the Erlang
// distribution and its port mapper, which RabbitMQ cannot run without) is on 127.0.0.1 only; the
// AMQP and plain STOMP listeners are off. Nothing is kept between runs: the node's files live in
// a temporary directory removed on exit. RabbitMQ takes about five seconds to start, which is why
// it starts once per run, here.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, listening } from './net.mjs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';

/** Starts RabbitMQ with Web STOMP on `wsPort` (0: a free one); resolves to { stomp, close }. */
export async function startRabbitmq(wsPort) {
  if (!existsSync(SERVER)) {
    throw new Error(`${SERVER} is missing (scripts/setup.sh installs Debian's rabbitmq-server)`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'wsprobe-rabbitmq-'));
  const [ws, dist, epmd] = [wsPort || (await freePort()), await freePort(), await freePort()];
  const config = path.join(dir, 'rabbitmq.conf');
  writeFileSync(config, [
    'listeners.tcp = none',
    'stomp.listeners.tcp = none',
    `web_stomp.tcp.port = ${ws}`,
    'web_stomp.tcp.ip = 127.0.0.1',
    'default_user = wsprobe',
    'default_pass = letmein',
    'default_vhost = /',
    'log.console = true',
    'log.console.level = error',
    'log.file = false',
    '',
  ].join('\n'));
  const plugins = path.join(dir, 'enabled_plugins');
  writeFileSync(plugins, '[rabbitmq_web_stomp].\n');
  const env = {
    ...process.env,
    HOME: dir,
    RABBITMQ_CONFIG_FILE: config,
    RABBITMQ_ENABLED_PLUGINS_FILE: plugins,
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_PID_FILE: path.join(dir, 'pid'),
    RABBITMQ_NODENAME: `wsprobe-${process.pid}@localhost`,
    RABBITMQ_DIST_PORT: String(dist),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_EPMD_PORT: String(epmd),
  };
  // Erlang would start the port mapper as a daemon that outlives the run; started here in the
  // foreground on a port of its own, it is a child like the broker and stops with it. Each runs
  // in a process group of its own, so that stopping the start script stops the Erlang VM too.
  const mapper = spawn('epmd', ['-port', String(epmd), '-address', '127.0.0.1'], { env, detached: true, stdio: 'ignore' });
  let child = null;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const group of [child, mapper]) {
      try { if (group) process.kill(-group.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  try {
    await listening(epmd, 10_000, 'the Erlang port mapper');
    child = spawn(SERVER, [], { env, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await Promise.race([
      listening(ws, 60_000, 'RabbitMQ'),
      exited.then((code) => { throw new Error(`rabbitmq-server exited with ${code} before it listened`); }),
    ]);
  } catch (e) {
    stop();
    throw e;
  }
  return { stomp: `ws://127.0.0.1:${ws}/ws`, close: stop };
}
