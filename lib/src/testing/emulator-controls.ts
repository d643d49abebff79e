import type { EmulatorEndpoint, EmulatorFault } from './emulator-faults.js';
import { FaultTable } from './emulator-faults.js';
import { EmulatorTokens } from './emulator-tokens.js';
import { EmulatorTraffic } from './emulator-traffic.js';
import { EmulatorUserSide } from './emulator-user-side.js';

/** The emulator's test controls: request counts, concurrency, latency, injected faults, codes it "sent". */
export abstract class EmulatorControls {
  /** @internal */
  protected readonly userSide = new EmulatorUserSide();
  /** @internal */
  protected readonly tokens = new EmulatorTokens(() => `${this.url}/oidc`);

  /** The base URL while running. */
  abstract get url(): string;
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

  /** The code an SMS or e-mail enrollment would have sent (the emulator sends none). */
  sentCode(enrollmentToken: string): string | undefined {
    return this.userSide.sentCode(enrollmentToken);
  }

  /** The latest step-up code `send-sms` or `send-email` would have sent to a phone number or address. */
  codeSentTo(phoneOrEmail: string): string | undefined {
    return this.userSide.codeSentTo(phoneOrEmail);
  }

  /** The latest step-up code sent to each phone number and address, oldest first (a demo's inbox). */
  sentCodes(): { readonly to: string; readonly code: string }[] {
    return [...this.userSide.latestTo].map(([to, code]) => ({ to, code }));
  }

  /** The ids of a user's registered passkeys, oldest first. */
  passkeysOf(userId: string): string[] {
    return this.userSide.passkeys.idsOf(userId);
  }

  /**
   * Rotates the key that signs user tokens and returns its `kid`; the JWKS publishes it at once. The
   * previous key stays published unless `keepPrevious` is false (its tokens are then refused everywhere).
   */
  rotateSigningKey(options: { keepPrevious?: boolean } = {}): string {
    return this.tokens.rotate(options.keepPrevious ?? true);
  }

  /**
   * Signs any claims (and header fields) with the current user-token key, for tests of token verification:
   * a future `nbf`, another `iss` or `aud`. `signIn` gives the tokens GenAuth would issue.
   */
  signToken(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
    return this.tokens.sign(claims, header);
  }
}
