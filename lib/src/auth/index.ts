// `nestjs-genauth-mfa/auth`: authentication by GenAuth's user tokens, on `jose` (loaded only by this entry).
export { ConfigurableGenAuthAuthModule, GenAuthAuthModule } from './genauth-auth.module.js';
export { GenAuthAuthGuard } from './genauth-auth.guard.js';
export { GenAuthTokenVerifier } from './token-verifier.js';
export {
  GENAUTH_TOKEN_ALGORITHMS,
  type GenAuthAuthOptions,
  type GenAuthTokenAlgorithm,
  type GenAuthTokenClaims,
} from './genauth-auth.options.js';
export {
  GenAuthAuthUnavailableException,
  GenAuthTokenRejectedException,
  type GenAuthTokenProblem,
} from './auth.exceptions.js';
