/**
 * Signals that a rollout's read model changed, from reporting's change feed (server-sent
 * events, pushed from the projection's commits). The signal carries no state: the watcher reads
 * the rollout afterwards, so a read always sees at least the change that was signalled.
 */
export interface ChangeFeed {
  /**
   * Calls `onChange` for every change of the rollout until `signal` aborts; resolves once the
   * feed is connected (changes from then on are seen), rejects when it cannot connect.
   */
  follow(rolloutId: number, onChange: () => void, signal: AbortSignal): Promise<void>;
}

/** The change feed of reporting at `reportingUrl`. */
export function reportingChangeFeed(reportingUrl: string): ChangeFeed {
  return {
    async follow(rolloutId, onChange, signal) {
      const response = await fetch(`${reportingUrl}/internal/rollouts/${rolloutId}/changes`, {
        headers: { accept: 'text/event-stream' },
        signal,
      });
      if (!response.ok || !response.body) throw new Error(`change feed answered ${response.status}`);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      // The first event confirms the subscription; it is read before resolving.
      let buffer = '';
      const readEvents = async (untilFirst: boolean): Promise<void> => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (/^event: ready$/m.test(event) && untilFirst) return;
            if (/^event: changed$/m.test(event)) onChange();
          }
        }
      };
      await readEvents(true);
      readEvents(false).catch(() => undefined);
    },
  };
}
