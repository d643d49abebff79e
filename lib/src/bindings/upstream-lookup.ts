import type { Logger } from '@nestjs/common';
import { GENAUTH_API_CODES, isCredentialApiCode } from '../contracts/api-codes.js';
import { clampRetryAfterSeconds } from '../contracts/limits.js';
import { maskOfFactors } from '../contracts/mfa-factor.js';
import type { MfaLookupSettings } from '../contracts/settings.js';
import type { UserIdType } from '../contracts/user-ref.js';
import {
  GenAuthApiError,
  GenAuthRateLimitedError,
  GenAuthValidationError,
  isGenAuthUnavailable,
} from '../errors/genauth.errors.js';
import { MfaUnavailableError, MfaUserRejectedError } from '../errors/mfa-lookup.errors.js';
import type { MfaManagementService } from '../management/mfa-management.service.js';
import type { MfaTelemetry } from '../observability/mfa-telemetry.js';
import { StateLog } from '../util/state-log.js';
import { CircuitBreaker } from './circuit-breaker.js';

/**
 * One user's bindings from GenAuth, as a mask, behind a circuit breaker. What an error means is decided
 * here: "user not found" (2004) is nothing bound; bad input (a validation error, a 400) is
 * {@link MfaUserRejectedError} and says nothing of GenAuth's health; anything else is
 * {@link MfaUnavailableError} and counts toward the breaker.
 */
export class UpstreamLookup {
  readonly breaker: CircuitBreaker;
  /** A key GenAuth refuses (apiCode 1300-1306) is a configuration error: one line when it starts, one when it ends. */
  private readonly credentials: StateLog;

  constructor(
    private readonly service: MfaManagementService,
    private readonly telemetry: MfaTelemetry,
    private readonly options: MfaLookupSettings,
    private readonly logger: Logger,
  ) {
    this.credentials = new StateLog(logger, {
      what: 'GenAuth',
      down: "refuses this app's credentials",
      back: "accepts this app's credentials again",
      meanwhile:
        'a configuration error, not an outage: guarded routes answer 503 until accessKeyId, accessKeySecret, ' +
        'host or signatureFlavor is fixed',
      level: 'error',
    });
    const { failureThreshold, resetTimeoutMs } = options.circuitBreaker;
    // The clock is read through Date each time, so that tests can move it.
    this.breaker = new CircuitBreaker(
      failureThreshold,
      resetTimeoutMs,
      () => Date.now(),
      (open, failures) => {
        if (open) {
          logger.warn(
            `circuit open: GenAuth failed ${failures} times in a row; lookups answer 503 without calling it, ` +
              `with a trial call every ${resetTimeoutMs / 1000} s`,
          );
        } else logger.log('circuit closed: GenAuth answers again');
      },
    );
  }

  /** The error to answer at once while the circuit is open, or undefined when a call may go. */
  refusal(): MfaUnavailableError | undefined {
    const blockedMs = this.breaker.blockedForMs();
    return blockedMs > 0
      ? new MfaUnavailableError(clampRetryAfterSeconds(blockedMs / 1000), 'circuit open')
      : undefined;
  }

  async fetch(userIdType: UserIdType, userId: string): Promise<number> {
    const started = performance.now();
    const took = () => (performance.now() - started) / 1000;
    try {
      const info = await this.service.getUserMfaInfo({ userId, userIdType });
      this.breaker.success();
      this.credentials.succeeded();
      this.telemetry.lookupDone(took(), 'found');
      return maskOfFactors(info.boundFactors);
    } catch (error) {
      if (error instanceof GenAuthApiError && error.apiCode === GENAUTH_API_CODES.USER_NOT_FOUND) {
        this.breaker.success();
        this.credentials.succeeded();
        this.telemetry.lookupDone(took(), 'not_found');
        return 0;
      }
      this.telemetry.lookupDone(took(), 'error', error);
      if (error instanceof GenAuthValidationError || (error instanceof GenAuthApiError && error.statusCode === 400)) {
        throw new MfaUserRejectedError(error.message, { cause: error });
      }
      this.breaker.failure();
      if (error instanceof GenAuthApiError && isCredentialApiCode(error.apiCode))
        this.credentials.failed('lookup', error);
      const retryAfterSeconds =
        error instanceof GenAuthRateLimitedError && error.retryAfterMs !== undefined
          ? clampRetryAfterSeconds(error.retryAfterMs / 1000)
          : this.options.unavailableRetryAfterSeconds;
      const detail = (error as Error).message;
      if (!isGenAuthUnavailable(error) && !this.credentials.down) this.logger.error(`MFA lookup failed: ${detail}`);
      throw new MfaUnavailableError(retryAfterSeconds, detail, { cause: error });
    }
  }
}
