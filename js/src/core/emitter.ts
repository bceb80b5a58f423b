/** Handler of one event: receives the event's payload. */
export type Handler<T> = (payload: T) => void;

/**
 * A typed event emitter with the TRTC v4 surface: `on(event, handler, context?)`, `off(event,
 * handler?)` and `off('*')`. A handler that throws does not stop the others; the error is reported
 * to `onHandlerError`.
 */
export class Emitter<Events extends object> {
  private readonly handlers = new Map<keyof Events, { fn: Handler<never>; ctx: unknown; once: boolean }[]>();

  constructor(private readonly onHandlerError: (e: unknown, event: PropertyKey) => void = () => undefined) {}

  /** Adds `handler` for `event`; `context` becomes its `this`. */
  on<K extends keyof Events>(event: K, handler: Handler<Events[K]>, context?: unknown): void {
    const list = this.handlers.get(event) ?? [];
    list.push({ fn: handler as Handler<never>, ctx: context, once: false });
    this.handlers.set(event, list);
  }

  /** Like `on`, removed after the first call. */
  once<K extends keyof Events>(event: K, handler: Handler<Events[K]>, context?: unknown): void {
    this.on(event, handler, context);
    const list = this.handlers.get(event);
    const last = list?.[list.length - 1];
    if (last) last.once = true;
  }

  /** Removes `handler` from `event`, every handler of `event`, or with `'*'` every handler. */
  off<K extends keyof Events>(event: K | '*', handler?: Handler<Events[K]>): void {
    if (event === '*') {
      this.handlers.clear();
      return;
    }
    if (!handler) {
      this.handlers.delete(event);
      return;
    }
    const list = this.handlers.get(event)?.filter((h) => h.fn !== handler);
    if (list && list.length) this.handlers.set(event, list);
    else this.handlers.delete(event);
  }

  /** Calls every handler of `event` with `payload`. */
  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const list = this.handlers.get(event);
    if (!list) return;
    for (const h of [...list]) {
      if (h.once) this.off(event, h.fn as Handler<Events[K]>);
      try {
        (h.fn as Handler<Events[K]>).call(h.ctx, payload);
      } catch (e) {
        this.onHandlerError(e, event);
      }
    }
  }

  /** Number of handlers of `event`. */
  listenerCount(event: keyof Events): number {
    return this.handlers.get(event)?.length ?? 0;
  }
}
