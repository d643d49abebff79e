import { Inject, Injectable } from '@nestjs/common';
import { SAMPLE_CONFIG, SAMPLE_HOSTS } from '../config/config.tokens.js';
import type { SampleConfig } from '../config/sample.config.js';

/** Where the sample's GenAuth answers: the Authentication API's host (the app's, or the emulator). */
export interface SampleHosts {
  appHost: string;
}

/**
 * Signs users in through GenAuth's Authentication API (`POST /api/v3/signin`, password). The tokens it
 * issues are verified by the library's `GenAuthTokenVerifier` (`nestjs-genauth-mfa/auth`).
 */
@Injectable()
export class GenAuthUsers {
  constructor(
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
    @Inject(SAMPLE_HOSTS) private readonly hosts: SampleHosts,
  ) {}

  /** The user's GenAuth access token, or undefined for a wrong account or password. */
  async signIn(account: string, password: string): Promise<string | undefined> {
    const basic: Record<string, string> = this.config.appSecret
      ? { authorization: `Basic ${Buffer.from(`${this.config.appId}:${this.config.appSecret}`).toString('base64')}` }
      : {};
    const response = await fetch(`${this.hosts.appHost}/api/v3/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-authing-app-id': this.config.appId, ...basic },
      body: JSON.stringify({ connection: 'PASSWORD', passwordPayload: { account, password } }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { statusCode?: number; data?: { access_token?: unknown } };
    return body.statusCode === 200 && typeof body.data?.access_token === 'string' ? body.data.access_token : undefined;
  }
}
