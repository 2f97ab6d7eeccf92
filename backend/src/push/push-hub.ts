import type { PushEvent } from '@auxil/protocol';

/** Somebody listening to one project's events, e.g. a language server's socket. */
export interface Subscriber {
  send(event: PushEvent): void;
}

/**
 * Fans events out to the subscribers of a project. Subscriptions are keyed by tenant and project
 * name, so an event never reaches another tenant's clients even if project names collide.
 */
export class PushHub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();

  private static key(tenantId: string, project: string): string {
    return `${tenantId}\u0000${project}`;
  }

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(tenantId: string, project: string, subscriber: Subscriber): () => void {
    const key = PushHub.key(tenantId, project);
    const set = this.subscribers.get(key) ?? new Set<Subscriber>();
    set.add(subscriber);
    this.subscribers.set(key, set);
    return () => {
      set.delete(subscriber);
      if (set.size === 0) this.subscribers.delete(key);
    };
  }

  hasSubscribers(tenantId: string, project: string): boolean {
    return this.subscribers.has(PushHub.key(tenantId, project));
  }

  publish(tenantId: string, project: string, event: PushEvent): void {
    for (const subscriber of this.subscribers.get(PushHub.key(tenantId, project)) ?? []) subscriber.send(event);
  }

  /** Number of live subscriptions, for shutdown and metrics. */
  get size(): number {
    let total = 0;
    for (const set of this.subscribers.values()) total += set.size;
    return total;
  }
}
