import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MfaFactor } from '../contracts/mfa-factor.js';
import { EmulatorAuth } from './emulator-auth.js';
import { applyFault } from './emulator-faults.js';
import { BodyTooLarge, closeServer, listenOnLoopback, MAX_BODY_BYTES, readBody, send } from './emulator-http.js';
import { answer, type EmulatorParts } from './emulator-requests.js';
import { qrDataUrl, type EmulatorUserChange, type GenAuthEmulatorOptions } from './emulator-options.js';
import { EmulatorControls } from './emulator-controls.js';
import { EmulatorWebhooks, type EmulatorWebhookDelivery, type EmulatorWebhookTarget } from './emulator-webhooks.js';
import {
  parseEmulatorSeed,
  type EmulatorCredentials,
  type EmulatorSeedApplication,
  type EmulatorSeedUser,
} from './emulator-seed.js';
import { EmulatorState, type EmulatedUser } from './emulator-state.js';
import type { EmulatorChange } from './emulator-route-context.js';
import { signInOver } from './emulator-sign-in.js';

/**
 * A local GenAuth Management API for tests, benchmarks and demos: a real HTTP server on 127.0.0.1 that
 * checks signatures and tokens like the real one and serves the MFA endpoints from one state per user.
 * @example
 * ```ts
 * const emulator = new GenAuthEmulator({ seed: { users: [{ userId: 'u1', mfa: { TOTP: true } }] } });
 * const url = await emulator.start();
 * MfaModule.forRoot({ host: url, ...emulator.credentials[0] });
 * ```
 */
export class GenAuthEmulator extends EmulatorControls {
  /** Key pairs the emulator accepts (from the seed, or one generated). */
  readonly credentials: readonly EmulatorCredentials[];
  private readonly state = new EmulatorState();
  private readonly auth: EmulatorAuth;
  private readonly listeners = new Set<(change: EmulatorUserChange) => void>();
  private readonly parts: EmulatorParts;
  private readonly webhooks = new EmulatorWebhooks(() => this.options.userPoolId ?? this.credentials[0]!.accessKeyId);
  private server: Server | undefined;
  private baseUrl: string | undefined;
  private clock: number | undefined;
  private maxSkewMs: number;

  constructor(private readonly options: GenAuthEmulatorOptions = {}) {
    super();
    const seed = parseEmulatorSeed(options.seed ?? {});
    this.credentials = seed.credentials?.length
      ? seed.credentials
      : [{ accessKeyId: randomBytes(12).toString('hex'), accessKeySecret: randomBytes(16).toString('hex') }];
    this.maxSkewMs = options.maxSkewMs ?? 15 * 60_000;
    this.userSide.onSent = options.onCodeSent;
    this.userSide.passkeys.relyingParty = {
      rpId: options.webauthn?.rpId ?? 'localhost',
      rpName: options.webauthn?.rpName ?? 'GenAuth emulator',
      origins: options.webauthn?.origins ? [...options.webauthn.origins] : undefined,
    };
    this.auth = new EmulatorAuth(
      new Map(this.credentials.map((c) => [c.accessKeyId, c.accessKeySecret])),
      () => this.now(),
      () => this.maxSkewMs,
    );
    for (const user of seed.users ?? []) this.state.addUser(user);
    for (const app of seed.applications ?? []) this.state.addApplication(app);
    for (const target of options.webhooks ?? []) this.webhooks.add(target);
    this.parts = {
      state: this.state,
      auth: this.auth,
      tokens: this.tokens,
      userSide: this.userSide,
      now: () => this.now(),
      mfaInfoFormat: options.mfaInfoFormat ?? 'boolean',
      tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
      userTokenTtlSeconds: options.userTokenTtlSeconds ?? 3600,
      wrongTotpAnswer: options.wrongTotpAnswer ?? 'verified-false',
      qrDataUrl: qrDataUrl,
      changed: (user, what) => this.changed(user, what),
    };
  }

  /** Every user id of the pool, in the order they were added. */
  userIds(): string[] {
    return [...this.state.all()].map((user) => user.profile.userId);
  }

  /** The pool's applications, in the order they were added (the first is `signIn`'s default). */
  applicationIds(): string[] {
    return this.state.applicationIds();
  }

  /**
   * Signs a user in as an app would (`POST /api/v3/signin`, over HTTP) and resolves to their access token:
   * what `MfaFactorService` calls act with, and what a request's bearer token is. Rejects when refused.
   */
  signIn(account: string, password: string, appId = this.state.applicationIds()[0]): Promise<string> {
    if (appId === undefined) return Promise.reject(new Error('signIn needs an application: add one to the seed'));
    return signInOver(this.url, this.state.application(appId) ?? { appId }, account, password);
  }

  /** A user's TOTP secret while TOTP is bound (for tests: compute codes with `totpCode(secret)`). */
  totpSecretOf(userId: string): string | undefined {
    return this.state.getUser(userId)?.totpSecret;
  }

  /** Hears of changes made on the user side (enrollment, reset, verification). Returns a function that stops it. */
  onUserChange(listener: (change: EmulatorUserChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts listening on 127.0.0.1 and resolves to the base URL. */
  async start(): Promise<string> {
    if (this.baseUrl) return this.baseUrl;
    this.server = await listenOnLoopback(this.options.port ?? 0, (req, res) => this.handle(req, res));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  /** Closes the server and every open connection. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.baseUrl = undefined;
    if (server) await closeServer(server);
  }

  /** The base URL while running. */
  get url(): string {
    if (!this.baseUrl) throw new Error('GenAuthEmulator is not started');
    return this.baseUrl;
  }

  /** Adds (or replaces) a user. */
  addUser(user: EmulatorSeedUser): void {
    const [parsed] = parseEmulatorSeed({ users: [user] }).users!;
    this.state.addUser(parsed!);
  }

  /** Removes a user (as an admin in the console would: webhooks say `user:deleted`); later lookups answer 2004. */
  removeUser(userId: string): void {
    const user = this.state.getUser(userId);
    if (user && this.state.removeUser(userId)) this.changed(user, 'deleted');
  }

  /** Binds or unbinds a user's factors (as the console would: webhooks say `user:updated`); others keep their state. */
  setBindings(userId: string, bindings: Partial<Record<MfaFactor, boolean>>): void {
    this.state.setBindings(userId, bindings);
    this.changed(this.state.getUser(userId)!, 'status');
  }

  /** Sends webhooks to `target` from now on. */
  addWebhook(target: EmulatorWebhookTarget): void {
    this.webhooks.add(target);
  }

  /** Webhook deliveries so far (after their retries); `webhooksSettled()` waits for those under way. */
  webhookDeliveries(): EmulatorWebhookDelivery[] {
    return this.webhooks.deliveries();
  }

  /** Resolves when every webhook delivery started so far has ended. */
  webhooksSettled(): Promise<void> {
    return this.webhooks.settled();
  }

  /** What a user has bound now (undefined for an unknown user). */
  getBindings(userId: string): Record<MfaFactor, boolean> | undefined {
    const user = this.state.getUser(userId);
    return user && this.state.bindingsOf(user);
  }

  /** Adds (or replaces) an application. */
  addApplication(app: EmulatorSeedApplication): void {
    const [parsed] = parseEmulatorSeed({ applications: [app] }).applications!;
    this.state.addApplication(parsed!);
  }

  /** Sets the emulator's clock (ms since epoch, or a Date); undefined goes back to real time. */
  setClock(time: number | Date | undefined): void {
    this.clock = time instanceof Date ? time.getTime() : time;
  }

  /** Sets the allowed clock skew of signed requests, in ms. */
  setMaxSkewMs(ms: number): void {
    this.maxSkewMs = ms;
  }

  /** Makes every issued management token expire now. */
  expireTokens(): void {
    this.auth.expireTokens();
  }

  /** Forgets the nonces seen so far. */
  forgetNonces(): void {
    this.auth.forgetNonces();
  }

  private changed(user: EmulatedUser, change: EmulatorChange): void {
    if (change !== 'status' && change !== 'deleted') {
      for (const listener of this.listeners) listener({ userId: user.profile.userId, change });
    }
    this.webhooks.changed(change, user);
  }

  private now(): number {
    return this.clock ?? Date.now();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Joined to a fixed origin, so that a target such as `//` or `//host/x` stays a path.
    const target = `http://emulator${req.url ?? '/'}`;
    const url = URL.canParse(target) ? new URL(target) : undefined;
    if (!url) return send(res, 400, { statusCode: 400, message: 'bad request target' });
    const endpoint = url.pathname.startsWith('/api/v3/') ? url.pathname.slice('/api/v3/'.length) : url.pathname;
    this.traffic.began(endpoint);
    try {
      await this.answerRequest(req, res, url, endpoint);
    } finally {
      this.traffic.ended();
    }
  }

  private async answerRequest(req: IncomingMessage, res: ServerResponse, url: URL, endpoint: string): Promise<void> {
    let raw: string;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        return send(res, 413, { statusCode: 413, message: `request body over ${MAX_BODY_BYTES} bytes` });
      }
      res.destroy();
      return;
    }
    await this.traffic.delay(endpoint);
    if (await applyFault(this.faults.take(endpoint), req, res)) return;
    const answered = await answer(this.parts, req, url, endpoint, raw);
    send(res, answered.statusCode, answered.body, answered.headers);
  }
}
