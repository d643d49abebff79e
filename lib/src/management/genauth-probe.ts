import { isCredentialApiCode } from '../contracts/api-codes.js';
import { GenAuthApiError, isGenAuthUnavailable } from '../errors/genauth.errors.js';
import type { MfaManagementService } from './mfa-management.service.js';

/** An identifier no pool holds: GenAuth answers "user not found", which proves it checked the key and answered. */
const PROBE_USER_ID = 'nestjs-genauth-mfa-health-probe';

/** What one signed call tells of GenAuth and of this app's credentials. */
export interface GenAuthProbe {
  /** GenAuth answered and accepted the key: guarded routes can be served. */
  readonly reachable: boolean;
  /** `refused`: GenAuth answered with a signature or key error (apiCode 1300-1306), a configuration error. */
  readonly credentials: 'accepted' | 'refused' | 'unknown';
  readonly latencyMs: number;
  /** What went wrong, GenAuth's own message included; never a secret. */
  readonly error?: string;
}

/** One cheap signed call (a lookup of a user no pool holds), for the health indicator and the start-up check. */
export async function probeGenAuth(service: MfaManagementService): Promise<GenAuthProbe> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    await service.getUserMfaInfo({ userId: PROBE_USER_ID, userIdType: 'user_id' });
    return { reachable: true, credentials: 'accepted', latencyMs: took() };
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof GenAuthApiError && isCredentialApiCode(error.apiCode)) {
      return { reachable: false, credentials: 'refused', latencyMs: took(), error: `configuration error: ${message}` };
    }
    if (error instanceof GenAuthApiError && !isGenAuthUnavailable(error)) {
      return { reachable: true, credentials: 'accepted', latencyMs: took() };
    }
    return { reachable: false, credentials: 'unknown', latencyMs: took(), error: message };
  }
}
