// `nestjs-genauth-mfa/swagger`: needs `@nestjs/swagger` (an optional peer dependency).
export { ApiMfaResponses, type ApiMfaResponsesOptions } from './api-mfa-responses.decorator.js';
export { MFA_RESPONSES } from './mfa-response.schemas.js';
