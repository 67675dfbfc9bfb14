import type { WebSocket } from 'ws';

// What one web-bridge client may cost the service: a client that stops reading (a suspended tab)
// must not grow the send buffer without bound, and sockets that never authenticate must not use up
// the process's file descriptors.

/** Pushes queue up to this much for one client before they are dropped for it. */
export const PUSH_BUFFER_LIMIT = 8 * 1024 * 1024;
/** A client still behind after this long is cut off; one that catches up is closed to resync. */
export const BEHIND_GRACE_MS = 10_000;
/** Unauthenticated sockets: per client address and in all. */
export const MAX_PREAUTH_PER_ADDRESS = 16;
export const MAX_PREAUTH_TOTAL = 128;
/** Close code for a client that missed pushes: reconnecting gets a fresh snapshot. */
export const CLOSE_FELL_BEHIND = 4409;

/**
 * Sends pushes to one client while its send buffer stays under PUSH_BUFFER_LIMIT. Past it, pushes are
 * dropped; the client is terminated if it stays behind BEHIND_GRACE_MS, or closed (to reconnect and
 * resync, since it missed pushes) once it catches up.
 */
export function pushGate(socket: WebSocket, send: (message: unknown) => void, now: () => number = Date.now): { push: (message: unknown) => void; dispose: () => void } {
  let behindSince: number | null = null;
  let check: NodeJS.Timeout | null = null;
  const settle = () => {
    if (behindSince === null) return;
    if (socket.bufferedAmount <= PUSH_BUFFER_LIMIT) socket.close(CLOSE_FELL_BEHIND, 'fell behind: reconnect for a fresh snapshot');
    else if (now() - behindSince >= BEHIND_GRACE_MS) socket.terminate();
    else return;
    dispose();
  };
  const dispose = () => {
    if (check) clearInterval(check);
    check = null;
  };
  return {
    push(message) {
      if (behindSince === null && socket.bufferedAmount <= PUSH_BUFFER_LIMIT) return send(message);
      if (behindSince === null) {
        behindSince = now();
        check = setInterval(settle, 1000).unref(); // also without further pushes
      }
      settle();
    },
    dispose,
  };
}

/** Counts sockets that have not authenticated yet; `admit` says whether one more may wait. */
export function preAuthCounter(perAddress = MAX_PREAUTH_PER_ADDRESS, total = MAX_PREAUTH_TOTAL) {
  const byAddress = new Map<string, number>();
  let all = 0;
  return {
    /** Reserves a place for a socket from `address`; the returned function gives it back (once). */
    admit(address: string): (() => void) | null {
      const mine = byAddress.get(address) ?? 0;
      if (mine >= perAddress || all >= total) return null;
      byAddress.set(address, mine + 1);
      all++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        all--;
        const left = (byAddress.get(address) ?? 1) - 1;
        if (left === 0) byAddress.delete(address);
        else byAddress.set(address, left);
      };
    },
  };
}

/** Protocol pings to each client this often; one that has not answered the last by the next is gone. */
export const LIVENESS_PING_MS = 30_000;

/**
 * Terminates a client that went away without a close (a laptop asleep, a dropped route), so that
 * its subscriptions and buffers do not pile up. Browsers and `ws` answer protocol pings themselves.
 */
export function livenessCheck(socket: WebSocket, everyMs = LIVENESS_PING_MS): () => void {
  let answered = true;
  const onPong = () => (answered = true);
  socket.on('pong', onPong);
  const timer = setInterval(() => {
    if (!answered) return socket.terminate();
    answered = false;
    socket.ping();
  }, everyMs).unref();
  return () => {
    clearInterval(timer);
    socket.off('pong', onPong);
  };
}
