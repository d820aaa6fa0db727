import { session } from './api.js';

/**
 * Follows a server-sent-event feed of the dashboard API. EventSource cannot send credentials
 * other than cookies, so the stream is read with fetch and parsed here. `onReady` runs on every
 * (re)connection (the page reads afresh: changes while disconnected were not seen), `onChange`
 * with each `changed` event's data. A lost connection is retried with a growing delay; a feed the
 * gateway does not offer (404) turns into a slow poll that calls `onChange` without data.
 * Returns a function that stops following.
 */
export function follow(url, { onReady, onChange, onStatus = () => {} }) {
  const aborter = new AbortController();
  let delay = 1_000;
  let pollTimer;

  const run = async () => {
    while (!aborter.signal.aborted) {
      try {
        const response = await fetch(url, {
          headers: { authorization: session.authorization() ?? '', accept: 'text/event-stream' },
          signal: aborter.signal,
        });
        if (response.status === 401) return session.clear();
        if (response.status === 404 || response.status === 403) return poll();
        if (!response.ok || !response.body) throw new Error(`feed answered ${response.status}`);
        await read(response.body, (event, data) => {
          if (event === 'ready') {
            delay = 1_000;
            onStatus('live');
            onReady();
          } else if (event === 'changed') onChange(data);
        });
      } catch {
        if (aborter.signal.aborted) return;
      }
      onStatus('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  };

  const poll = () => {
    onStatus('polling');
    onReady();
    pollTimer = setInterval(() => onChange(undefined), 5_000);
  };

  run();
  return () => {
    aborter.abort();
    clearInterval(pollTimer);
    onStatus('offline');
  };
}

/** Reads `event:`/`data:` blocks until the stream ends. */
async function read(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      // A comment line only keeps the connection open.
      if (block.startsWith(':')) continue;
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data += line.slice(5).trim();
      }
      let parsed;
      try {
        parsed = data ? JSON.parse(data) : undefined;
      } catch {
        parsed = undefined;
      }
      onEvent(event, parsed);
    }
  }
}

/**
 * Runs `task` after a signal, at most once at a time and no more often than every `intervalMs`:
 * signals arriving meanwhile fold into one more run. Returns the signal function.
 */
export function coalesce(task, intervalMs) {
  let running = false;
  let again = false;
  let last = 0;
  const trigger = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const wait = last + intervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    last = Date.now();
    try {
      await task();
    } catch (error) {
      console.warn(error);
    } finally {
      running = false;
      if (again) {
        again = false;
        trigger();
      }
    }
  };
  return trigger;
}
