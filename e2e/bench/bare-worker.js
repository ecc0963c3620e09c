// The worker of bare-worker.html: opens the WebSocket it is told to and counts messages, nothing
// else. Told { url, n }; answers { count, ms } once the n-th message arrived (ms by its own
// clock, from the WebSocket's construction), or { error } if the socket closed before.
onmessage = ({ data: { url, n } }) => {
  let count = 0;
  const start = performance.now();
  const ws = new WebSocket(url);
  ws.onmessage = () => {
    count += 1;
    if (count === n) {
      const ms = performance.now() - start;
      ws.close();
      postMessage({ count, ms });
    }
  };
  ws.onclose = (e) => count < n && postMessage({ error: `closed (${e.code}) after ${count} of ${n} messages` });
};
postMessage({ ready: true });
