/** What the shell shows: a title, a body, and the node a click opens the window on. */
export interface Notice {
  title: string;
  body: string;
  nodeId: string | null;
}

/** The little of Electron's Notification that the notifier uses. */
export interface NotificationLike {
  on(event: 'click' | 'close' | 'failed', listener: () => void): unknown;
  show(): void;
}

export type NotificationFactory = (options: { title: string; body: string; icon: string }) => NotificationLike;

/** At most this many notifications are kept for a later click; the oldest is let go first. */
export const MAX_RETAINED = 100;

/**
 * Shows notices as native notifications. Each one is kept referenced until it is clicked, dismissed or
 * failed: an unreferenced Notification is garbage-collected and its click never arrives. On Windows
 * 'close' also fires when the toast times out into the Action Center, where it can still be clicked
 * (Electron docs/api/notification.md), so there a close does not let it go; the bound does.
 */
export class Notifier {
  readonly #live = new Set<NotificationLike>();

  constructor(
    private readonly create: NotificationFactory,
    private readonly icon: string,
    private readonly onClick: (nodeId: string | undefined) => void,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  show(notice: Notice): void {
    const n = this.create({ title: notice.title, body: notice.body, icon: this.icon });
    this.#live.add(n);
    if (this.#live.size > MAX_RETAINED) this.#live.delete(this.#live.values().next().value!);
    const release = () => this.#live.delete(n);
    n.on('click', () => {
      release();
      this.onClick(notice.nodeId ?? undefined);
    });
    if (this.platform !== 'win32') n.on('close', release);
    n.on('failed', release);
    n.show();
  }

  /** Notifications shown and not yet clicked, closed or failed. */
  get retained(): number {
    return this.#live.size;
  }
}
