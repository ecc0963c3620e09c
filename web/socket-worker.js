// One WebSocket, on its own thread. However fast a server streams, the page's main thread gets at
// most one batch of messages per frame (about 16 ms) and so keeps drawing; each message keeps the
// time it arrived. src/glue/socket.rs is the other end. Plain script, no imports.
//
// From the page: {op: 'dial', url, protocols} first, then {op: 'text', data}, {op: 'bytes', data}
// (an ArrayBuffer), {op: 'close', code, reason} (both optional), {op: 'drop'}.
// To the page, in the order things happened: {t: 'open', protocol, extensions},
// {t: 'batch', data: [string | ArrayBuffer], at: [epoch ms]}, {t: 'buffered', amount},
// {t: 'error'}, {t: 'close', code, reason, clean}; {t: 'refused', message} when the browser will
// not dial, {t: 'failed', message} when it will not send or close as asked.

const FRAME_MS = 16;
const BUFFER_CHECK_MS = 100;
let ws = null;
let batch = [];
let times = [];
let transfer = [];
let lastFlush = 0;
let timer = 0;
let watchingBuffer = false;
let reportedBuffered = 0;

function flush() {
  clearTimeout(timer);
  timer = 0;
  if (batch.length === 0) return;
  lastFlush = Date.now();
  postMessage({ t: 'batch', data: batch, at: times }, transfer);
  batch = [];
  times = [];
  transfer = [];
}

function onMessage(event) {
  const now = Date.now();
  batch.push(event.data);
  times.push(now);
  if (typeof event.data !== 'string') transfer.push(event.data);
  // A lone message goes at once; a stream goes once a frame.
  if (!timer) timer = setTimeout(flush, Math.max(0, lastFlush + FRAME_MS - now));
}

function describe(error) {
  return error && error.name ? `${error.name}: ${error.message}` : String(error);
}

// The browser's own count of bytes accepted but not yet sent, when it changes, while it is above
// zero. The first look is a moment after a send: over a fast network a send drains at once,
// and a backlog that never lasted would only flicker in the page.
function watchBuffered() {
  const amount = ws ? ws.bufferedAmount : 0;
  if (amount !== reportedBuffered) postMessage({ t: 'buffered', amount });
  reportedBuffered = amount;
  watchingBuffer = amount > 0;
  if (watchingBuffer) setTimeout(watchBuffered, BUFFER_CHECK_MS);
}

function send(data) {
  try {
    ws.send(data);
  } catch (error) {
    postMessage({ t: 'failed', message: describe(error) });
    return;
  }
  if (!watchingBuffer) {
    watchingBuffer = true;
    setTimeout(watchBuffered, BUFFER_CHECK_MS);
  }
}

function dial(url, protocols) {
  try {
    ws = new WebSocket(url, protocols);
  } catch (error) {
    postMessage({ t: 'refused', message: describe(error) });
    return;
  }
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => postMessage({ t: 'open', protocol: ws.protocol, extensions: ws.extensions });
  ws.onmessage = onMessage;
  ws.onerror = () => {
    flush();
    postMessage({ t: 'error' });
  };
  ws.onclose = (event) => {
    flush();
    postMessage({ t: 'close', code: event.code, reason: event.reason, clean: event.wasClean });
  };
}

onmessage = (event) => {
  const m = event.data;
  if (m.op === 'dial') return dial(m.url, m.protocols);
  if (!ws) return;
  if (m.op === 'text' || m.op === 'bytes') return send(m.data);
  if (m.op === 'close') {
    try {
      ws.close(m.code, m.reason);
    } catch (error) {
      postMessage({ t: 'failed', message: describe(error) });
    }
    return;
  }
  if (m.op === 'drop') {
    // The page has let go: close politely, then end this thread (at the latest after 5 s).
    ws.onmessage = ws.onerror = ws.onopen = null;
    ws.onclose = () => close();
    if (ws.readyState < WebSocket.CLOSING) ws.close();
    else if (ws.readyState === WebSocket.CLOSED) close();
    setTimeout(() => close(), 5000);
  }
};
