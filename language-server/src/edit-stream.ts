/**
 * Sends changed files to the backend: each file once its edits pause for `debounceMs`, at most
 * `maxInFlight` requests at a time overall and never two of one file at once. A file changed
 * again while its previous version is on the way is queued once, and its send reads the text
 * then, so the latest version always wins and intermediate ones are skipped.
 */
export class EditStream {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Files waiting for a free slot, in the order they became ready. */
  private readonly ready = new Set<string>();
  private readonly inFlight = new Set<string>();
  private paused = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly send: (path: string) => Promise<void>,
    private debounceMs: number,
    private readonly maxInFlight = 4,
  ) {}

  setDebounce(ms: number): void {
    this.debounceMs = ms;
  }

  /** An edit: send the file once the edits pause. */
  changed(path: string): void {
    clearTimeout(this.timers.get(path));
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        this.now(path);
      }, this.debounceMs),
    );
  }

  /** Send the file as soon as a slot is free (a save outside the editor, a close). */
  now(path: string): void {
    clearTimeout(this.timers.get(path));
    this.timers.delete(path);
    this.ready.add(path);
    this.pump();
  }

  /** Holds sends back (a full sync is running); what becomes ready meanwhile waits. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** Resolves once nothing is waiting or being sent. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.ready.clear();
  }

  private isIdle(): boolean {
    return this.timers.size === 0 && this.ready.size === 0 && this.inFlight.size === 0;
  }

  private pump(): void {
    if (this.paused) return;
    for (const path of this.ready) {
      if (this.inFlight.size >= this.maxInFlight) return;
      if (this.inFlight.has(path)) continue;
      this.ready.delete(path);
      this.inFlight.add(path);
      void this.send(path)
        .catch(() => undefined)
        .finally(() => {
          this.inFlight.delete(path);
          this.pump();
          if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
        });
    }
  }
}
