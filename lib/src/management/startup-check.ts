import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { MfaServiceSettings } from '../contracts/settings.js';
import { MFA_SERVICE_SETTINGS } from '../contracts/tokens.js';
import { MfaOptionsError } from '../errors/mfa-options.error.js';
import { probeGenAuth } from './genauth-probe.js';
import { MfaManagementService } from './mfa-management.service.js';

const FIX =
  'Check accessKeyId, accessKeySecret, host and signatureFlavor (GENAUTH_ACCESS_KEY_ID, ' +
  'GENAUTH_ACCESS_KEY_SECRET, GENAUTH_HOST): until then every guarded route answers 503.';

/**
 * The `verifyCredentials` option: one signed call when the app starts. `'fail'` stops start-up when
 * GenAuth refuses the key; `'warn'` logs it once and starts. GenAuth not answering is only a warning in
 * both modes: an outage at start-up is not a configuration error.
 */
@Injectable()
export class MfaStartupCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('MfaModule');

  constructor(
    private readonly service: MfaManagementService,
    @Inject(MFA_SERVICE_SETTINGS) private readonly settings: MfaServiceSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const mode = this.settings.verifyCredentials;
    if (mode === false) return;
    const checking = probeGenAuth(this.service).then((probe) => {
      if (probe.credentials === 'refused') {
        if (mode === 'fail')
          throw new MfaOptionsError('accessKeyId', `GenAuth refused it at start-up (${probe.error}). ${FIX}`);
        this.logger.error(`GenAuth refused this app's credentials at start-up (${probe.error}). ${FIX}`);
      } else if (!probe.reachable) {
        this.logger.warn(`GenAuth did not answer at start-up (${probe.error}); the credentials are not checked yet`);
      }
    });
    // 'warn' never holds start-up: the answer is logged when it comes.
    if (mode === 'fail') await checking;
    else checking.catch(() => undefined);
  }
}
