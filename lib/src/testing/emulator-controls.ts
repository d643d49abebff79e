import type { EmulatorEndpoint, EmulatorFault } from './emulator-faults.js';
import { FaultTable } from './emulator-faults.js';
import { EmulatorTraffic } from './emulator-traffic.js';

/** The emulator's test controls: request counts, concurrency, latency and injected faults. */
export abstract class EmulatorControls {
  /** @internal */
  protected readonly faults = new FaultTable();
  /** @internal */
  protected readonly traffic = new EmulatorTraffic();

  /** Requests received by an endpoint (or by all), failed ones included. */
  requestCount(endpoint?: EmulatorEndpoint): number {
    return this.traffic.count(endpoint);
  }

  /** Requests being answered now, and the most at once since the start (or since {@link resetCounts}). */
  concurrency(): { current: number; peak: number } {
    return this.traffic.concurrency();
  }

  /** Sets request counts back to zero, and the peak of concurrent requests to the current count. */
  resetCounts(): void {
    this.traffic.reset();
  }

  /** Delays every answer of an endpoint (`'*'`: of all) by `ms`, before any fault; 0 removes it. */
  setLatency(ms: number, endpoint: EmulatorEndpoint | '*' = '*'): void {
    this.traffic.setLatency(endpoint, ms);
  }

  /** Injects a fault into an endpoint (`'*'`: every endpoint). */
  setFault(endpoint: EmulatorEndpoint | '*', fault: EmulatorFault): void {
    this.faults.set(endpoint, fault);
  }

  /** Removes the fault of an endpoint, or all faults. */
  clearFaults(endpoint?: EmulatorEndpoint | '*'): void {
    this.faults.clear(endpoint);
  }
}
