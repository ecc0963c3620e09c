// What every end-to-end test stands on: the built page (../dist) served on 127.0.0.1, the
// project's own WebSocket test server on 127.0.0.1, and Debian's Chromium driven headless.
// Everything started here is stopped by `close()`, so the tests end by themselves.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createServer as createTcpServer } from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { createInterface } from 'node:readline';
import { after, before } from 'node:test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const dist = process.env.WSPROBE_DIST ?? path.join(root, 'dist');
const serverBin = process.env.WSPROBE_TEST_SERVER_BIN ?? path.join(root, 'target/debug/wsprobe-test-server');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

/** A throwaway self-signed certificate for 127.0.0.1, made with openssl. */
function selfSignedCertificate() {
  const dir = mkdtempSync(path.join(tmpdir(), 'wsprobe-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
      { stdio: 'ignore' });
    return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Serves `dir` on a free loopback port (over https with `tls`, under the folder `prefix`, such
 *  as '/wsprobe/'); resolves to { url, close }. */
/** Serves `dir` on 127.0.0.1. `gzip`: compressed for browsers that accept it, as a host such as
 *  GitHub Pages does (the benchmark's load times; tests read the files as they are). */
export function serveStatic(dir, { tls = false, prefix = '/', gzip = false } = {}) {
  const make = tls ? (handler) => createTlsServer(selfSignedCertificate(), handler) : createServer;
  const compressed = new Map(); // file -> gzipped body, made once
  const server = make(async (req, res) => {
    const full = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!full.startsWith(prefix)) return res.writeHead(404).end('not found');
    const pathname = '/' + full.slice(prefix.length);
    const file = path.join(dir, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      const type = { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' };
      if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        res.writeHead(200, { ...type, 'content-encoding': 'gzip', vary: 'accept-encoding' }).end(compressed.get(file) ?? compressed.set(file, gzipSync(body, { level: 9 })).get(file));
      } else {
        res.writeHead(200, type).end(body);
      }
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const scheme = tls ? 'https' : 'http';
      resolve({ url: `${scheme}://127.0.0.1:${server.address().port}${prefix}`, close: () => server.close() });
    });
  });
}

/** Starts the test server on a free port; resolves to { ws, close } once it listens.
 *  `bin` picks another build of it (the benchmark uses the release one). */
/** A port on 127.0.0.1 where nothing listens (free a moment ago), for a refused connection.
 *  Not port 1 or the like: browsers never dial those "bad ports" at all. */
export function closedPort() {
  return new Promise((resolve, reject) => {
    const server = createTcpServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function startTestServer({ bin = serverBin } = {}) {
  const child = spawn(bin, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('test server did not start in 20 s')), 20_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`test server exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const ws = line.match(/ws:\/\/\S+/)?.[0];
      if (!ws) return reject(new Error(`unexpected first line from test server: ${line}`));
      resolve({ ws, close: () => child.kill() });
    });
  });
}

const relayBin = process.env.WSPROBE_RELAY_BIN ?? path.join(root, 'target/debug/wsprobe-relay');

/** Starts the relay on a free port with `args`; resolves to { ws, token, printed (every line
 *  of its output so far), close } once it listens. */
export function startRelay(args = []) {
  const child = spawn(relayBin, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('relay did not start in 20 s')), 20_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`relay exited with ${code}`)));
    const printed = [];
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      if (!/^wsprobe relay on ws:\/\/\S+ token: \S+$/.test(line)) {
        reject(new Error(`unexpected first line from the relay: ${line}`));
      }
    });
    lines.on('line', (line) => {
      printed.push(line);
      // The banner's last line: all of it has been read.
      if (line !== 'Stop it with Ctrl+C.') return;
      clearTimeout(timer);
      const [, ws, token] = printed[0].match(/^wsprobe relay on (ws:\/\/\S+) token: (\S+)$/) ?? [];
      resolve({ ws, token, printed, close: () => child.kill() });
    });
  });
}

/** The Socket.IO, JSON-RPC and GraphQL servers and the MQTT and STOMP brokers
 *  (servers/protocols.mjs); resolves to { socketio, jsonrpc, graphql, graphqlLegacy, mqtt, stomp,
 *  close }: socketio is the base URL
 *  ("ws://127.0.0.1:PORT", clients add /socket.io/), the others full ones. When WSPROBE_PROTOCOL_SERVERS
 *  holds their first line (scripts/test.sh starts them once per run), those are used and
 *  `close` leaves them running. */
export function startProtocolServers() {
  const parse = (line, from) => {
    let urls;
    try {
      urls = JSON.parse(line);
    } catch {
      throw new Error(`${from} is not the protocol servers' JSON line: ${line}`);
    }
    const names = ['socketio', 'jsonrpc', 'graphql', 'graphqlLegacy', 'mqtt', 'stomp'];
    if (!names.every((name) => typeof urls?.[name] === 'string')) {
      throw new Error(`${from} does not name all of ${names.join(', ')}: ${line}`);
    }
    return Object.fromEntries(names.map((name) => [name, urls[name]]));
  };
  const given = process.env.WSPROBE_PROTOCOL_SERVERS;
  if (given) {
    try {
      return Promise.resolve({ ...parse(given, 'WSPROBE_PROTOCOL_SERVERS'), close: async () => {} });
    } catch (e) {
      return Promise.reject(e);
    }
  }
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'servers/protocols.mjs');
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('protocol servers did not start in 90 s'));
    }, 90_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`protocol servers could not start: ${e.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`protocol servers exited with ${code ?? signal} before their first line`));
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve({
          ...parse(line, 'the first line of servers/protocols.mjs'),
          /** Stops the servers; resolves once their process has exited. */
          close: () => {
            child.kill();
            return exited;
          },
        });
      } catch (e) {
        child.kill();
        reject(e);
      }
    });
  });
}

/** For a test file that drives the page against the protocol servers: sets both up before its
 *  tests (handing them to `ready` as { env, servers }) and closes them after. */
export function withProtocolServers(ready) {
  let env;
  let servers;
  before(async () => {
    [env, servers] = await Promise.all([setUp(), startProtocolServers()]);
    ready({ env, servers });
  });
  after(async () => {
    await env?.close();
    await servers?.close();
  });
}

/** Resolves once the service worker has installed and controls `page` (after its first visit). */
export async function serviceWorkerControls(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `args` are added to CHROMIUM_ARGS (the benchmark adds memory and gc switches). */
export function launchChromium({ args = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
  });
}

/** A browser context on its own profile in `userDataDir`, so that a test can set the
 *  browser's preferences (such as blocking site data) the way a person would. */
export function launchPersistentChromium(userDataDir) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
}

/** Collects the page's uncaught errors and panics in `page.errors`. */
export function watchErrors(page) {
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  // A panic reaches the console through console_error_panic_hook; Chromium's own
  // "WebSocket connection … failed" lines are expected in failure tests and not ours.
  // A Content-Security-Policy violation is a defect too: the policy must allow all we do.
  page.on('console', (m) => /panicked|RuntimeError|unreachable|Content Security Policy/.test(m.text()) && page.errors.push(m.text()));
  return page;
}

/** Page, test server and browser together; `open()` gives a fresh page that records its errors. */
export async function setUp() {
  const [site, server, browser] = await Promise.all([serveStatic(dist), startTestServer(), launchChromium()]);
  return {
    site,
    server,
    browser,
    /** A fresh page in a new context (its own storage), or in `context` to share storage. */
    async open({ colorScheme = 'light', context, hash = '' } = {}) {
      context ??= await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } });
      const page = watchErrors(await context.newPage());
      await page.goto(site.url + hash);
      await page.getByRole('button', { name: 'Connect', exact: true }).waitFor();
      return page;
    },
    async close() {
      await browser.close();
      server.close();
      site.close();
    },
  };
}
