// The MQTT broker the end-to-end tests run against: Debian's mosquitto, with a WebSocket listener
// on the loopback interface only and a user "wsprobe" whose password is "letmein" (anonymous
// clients are refused). Mosquitto 2.0 starts a WebSocket listener only beside a plain one, so a
// plain MQTT listener on 127.0.0.1 comes with it. Nothing is kept between runs (persistence off).

import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, listening } from './net.mjs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Debian installs it in /usr/sbin, which a user's PATH may not hold. */
function program(name) {
  for (const candidate of [name, `/usr/sbin/${name}`, `/usr/bin/${name}`]) {
    try {
      execFileSync(candidate, ['-h'], { stdio: 'ignore' });
      return candidate;
    } catch (e) {
      // mosquitto -h exits 3 after printing its help; only a missing program is ENOENT.
      if (e.code !== 'ENOENT') return candidate;
    }
  }
  throw new Error(`${name} is not installed (scripts/setup.sh installs Debian's mosquitto)`);
}

/** Starts mosquitto on `wsPort` (0: a free one); resolves to { mqtt, close }. */
export async function startMosquitto(wsPort) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wsprobe-mosquitto-'));
  // Run as root, mosquitto reads its files as the mosquitto user.
  chmodSync(dir, 0o755);
  const passwords = path.join(dir, 'passwords');
  writeFileSync(passwords, '');
  execFileSync(program('mosquitto_passwd'), ['-b', passwords, 'wsprobe', 'letmein']);
  chmodSync(passwords, 0o644);
  const [ws, plain] = [wsPort || (await freePort()), await freePort()];
  const config = path.join(dir, 'mosquitto.conf');
  writeFileSync(config, [
    'persistence false',
    'allow_anonymous false',
    `password_file ${passwords}`,
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    `listener ${plain} 127.0.0.1`,
    // "lo", not an address: mosquitto's WebSocket listener binds by interface.
    `listener ${ws} lo`,
    'protocol websockets',
    '',
  ].join('\n'));
  chmodSync(config, 0o644);
  const child = spawn(program('mosquitto'), ['-c', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = () => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await Promise.race([
      listening(ws, 10_000, 'mosquitto'),
      exited.then((code) => { throw new Error(`mosquitto exited with ${code} before it listened`); }),
    ]);
  } catch (e) {
    stop();
    throw e;
  }
  return { mqtt: `ws://127.0.0.1:${ws}`, close: stop };
}
