import type { EmulatorEndpoint } from './emulator-faults.js';

/** What the emulator was asked: requests per endpoint, requests at once (now and at most), added latency. */
export class EmulatorTraffic {
  private readonly counts = new Map<string, number>();
  private readonly latencies = new Map<string, number>();
  private current = 0;
  private peak = 0;

  /** Counts a request in; call {@link ended} when it is answered. */
  began(endpoint: string): void {
    this.counts.set(endpoint, (this.counts.get(endpoint) ?? 0) + 1);
    this.current += 1;
    if (this.current > this.peak) this.peak = this.current;
  }

  ended(): void {
    this.current -= 1;
  }

  count(endpoint?: EmulatorEndpoint): number {
    if (endpoint) return this.counts.get(endpoint) ?? 0;
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  concurrency(): { current: number; peak: number } {
    return { current: this.current, peak: this.peak };
  }

  reset(): void {
    this.counts.clear();
    this.peak = this.current;
  }

  setLatency(endpoint: EmulatorEndpoint | '*', ms: number): void {
    if (!Number.isFinite(ms) || ms < 0 || ms > 600_000) throw new RangeError('latency must be 0 to 600000 ms');
    if (ms === 0) this.latencies.delete(endpoint);
    else this.latencies.set(endpoint, ms);
  }

  /** Waits the latency set for this endpoint (or for every endpoint). */
  async delay(endpoint: string): Promise<void> {
    const ms = this.latencies.get(endpoint) ?? this.latencies.get('*');
    if (ms) await new Promise((resolve) => setTimeout(resolve, ms));
  }
}
