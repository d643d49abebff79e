// `nestjs-genauth-mfa/terminus`: needs `@nestjs/terminus` (an optional peer dependency).
export { MfaHealthIndicator, type MfaHealthOptions } from './mfa.health-indicator.js';
