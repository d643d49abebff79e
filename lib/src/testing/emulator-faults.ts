/** A failure the emulator injects into one endpoint's answers, for tests. */
export interface EmulatorFault {
  /** Wait this long before answering (or failing). */
  latencyMs?: number;
  /** Answer with this HTTP status (500, 502, 503, ...) and an error body. */
  httpStatus?: number;
  /** Answer HTTP 429 with this `Retry-After`, in seconds. */
  rateLimitRetryAfterSeconds?: number;
  /** Answer 200 with a broken body: `'truncated'` JSON, or a `'wrong-shape'` envelope. */
  malformed?: 'truncated' | 'wrong-shape';
  /** Close the connection without answering. */
  drop?: boolean;
  /** Apply to this many requests, then clear itself. Default: until cleared. */
  times?: number;
}

/** Endpoint names of the emulator, as used for faults and request counts. */
export type EmulatorEndpoint =
  | 'get-user-mfa-info'
  | 'get-mfa-trigger-data'
  | 'get-mfa-status'
  | 'set-mfa-status'
  | 'get-global-mfa-settings'
  | 'get-management-token';

/** Faults per endpoint (`'*'` for all), each used up after its `times`. */
export class FaultTable {
  private readonly faults = new Map<string, EmulatorFault>();

  set(endpoint: EmulatorEndpoint | '*', fault: EmulatorFault): void {
    this.faults.set(endpoint, { ...fault });
  }

  clear(endpoint?: EmulatorEndpoint | '*'): void {
    if (endpoint) this.faults.delete(endpoint);
    else this.faults.clear();
  }

  /** The fault for this request, if any, counting one use. */
  take(endpoint: string): EmulatorFault | undefined {
    const key = this.faults.has(endpoint) ? endpoint : this.faults.has('*') ? '*' : undefined;
    if (key === undefined) return undefined;
    const fault = this.faults.get(key)!;
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.delete(key);
    }
    return fault;
  }
}
