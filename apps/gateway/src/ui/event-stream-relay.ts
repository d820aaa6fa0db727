import type { Response } from 'express';

/**
 * Relays an upstream server-sent-event stream to a client as it arrives. Closing either side
 * closes the other: the client leaving aborts the upstream request, the upstream ending (a
 * restart of the service behind it) ends the client's stream, which then reconnects.
 * Writes nothing and resolves the status to answer instead when the upstream cannot be reached
 * (503) or answers other than 200 (404 passed on, anything else 502); resolves 200 once a relayed
 * stream has ended.
 */
export async function relayEventStream(url: string, res: Response): Promise<number> {
  const aborter = new AbortController();
  let upstream: globalThis.Response;
  try {
    upstream = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: aborter.signal });
  } catch {
    return 503;
  }
  if (upstream.status !== 200 || !upstream.body) {
    await upstream.body?.cancel().catch(() => undefined);
    return upstream.status === 404 ? 404 : 502;
  }
  res.status(200);
  res.setHeader('content-type', 'text/event-stream');
  res.setHeader('cache-control', 'no-cache');
  // Tells buffering proxies in front of the gateway to pass events on at once.
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  res.on('close', () => aborter.abort());
  const reader = upstream.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      res.write(value);
    }
  } catch {
    // Aborted by the client leaving, or the upstream connection broke: either way the stream ends.
  } finally {
    aborter.abort();
    res.end();
  }
  return 200;
}
