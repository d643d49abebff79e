import type { MfaBindingChange } from '../../contracts/binding-store.js';

/** Longest message understood: a key is a user id type, `:`, and an id of at most 512 characters. */
const MAX_MESSAGE_LENGTH = 4096;
/** Most distinct users held for the next delivery; past it the whole in-memory level is dropped instead. */
const MAX_PENDING = 10_000;

/** A message on the invalidation channel, as this store publishes it. */
export function changeMessage(change: MfaBindingChange): string {
  return JSON.stringify(change.kind === 'delete' ? { kind: 'delete', key: change.key } : { kind: 'clear' });
}

/** The change a message announces, or undefined for anything this store would not have published. */
export function readChange(message: unknown): MfaBindingChange | undefined {
  if (typeof message !== 'string' || message.length > MAX_MESSAGE_LENGTH) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { kind, key } = parsed as { kind?: unknown; key?: unknown };
  if (kind === 'clear') return { kind: 'clear' };
  if (kind === 'delete' && typeof key === 'string' && key.includes(':')) return { kind: 'delete', key };
  return undefined;
}

/**
 * Receives the channel's messages at any rate and delivers them coalesced: each message costs O(1) when it
 * arrives (a parse and a set insertion); the changes go out together on the next turn of the event loop,
 * each user once. A burst of more than {@link MAX_PENDING} users becomes one `clear` (always safe: the
 * in-memory level only ever holds copies). A message that is not understood is ignored and counted.
 */
export class InvalidationInbox {
  private readonly pending = new Set<string>();
  private clearPending = false;
  private scheduled = false;
  /** Messages ignored since start-up (not understood, or too long). */
  ignored = 0;

  constructor(
    private readonly deliver: (change: MfaBindingChange) => void,
    /** Hears of the first message ignored, so that it is logged once. */
    private readonly onFirstIgnored: (message: unknown) => void,
  ) {}

  /** Takes one message off the channel; never throws. */
  receive(message: unknown): void {
    const change = readChange(message);
    if (change === undefined) {
      this.ignored += 1;
      if (this.ignored === 1) this.onFirstIgnored(message);
      return;
    }
    this.push(change);
  }

  /** Queues a change for the next delivery. */
  push(change: MfaBindingChange): void {
    if (change.kind === 'clear' || this.pending.size >= MAX_PENDING) {
      this.clearPending = true;
      this.pending.clear();
    } else if (!this.clearPending) {
      this.pending.add(change.key);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (this.clearPending) {
      this.clearPending = false;
      this.deliver({ kind: 'clear' });
      return;
    }
    const keys = [...this.pending];
    this.pending.clear();
    for (const key of keys) this.deliver({ kind: 'delete', key });
  }
}
