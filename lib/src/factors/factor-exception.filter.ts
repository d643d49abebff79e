import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { MfaUnavailableException } from '../errors/mfa.exceptions.js';
import { MfaFactorException } from './factor.exceptions.js';

interface ReplyLike {
  status?(code: number): ReplyLike;
  code?(code: number): ReplyLike;
  header(name: string, value: string): unknown;
  json?(body: unknown): unknown;
  send?(body: unknown): unknown;
}

/**
 * Answers `MfaFactorService`'s exceptions (and a 503 `MfaUnavailableException`) with their status, body and
 * headers (`Retry-After` on a 429 or 503, `WWW-Authenticate` on a 401), on Express and Fastify. Use it on
 * the controllers of your factor pages, or globally.
 * @example
 * ```ts
 * @UseFilters(MfaFactorExceptionFilter)
 * @Controller('account/mfa')
 * export class MyFactorsController {}
 * ```
 */
@Catch(MfaFactorException, MfaUnavailableException)
export class MfaFactorExceptionFilter implements ExceptionFilter {
  catch(exception: MfaFactorException | MfaUnavailableException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<ReplyLike>();
    const headers =
      exception instanceof MfaUnavailableException
        ? { 'Retry-After': String(exception.retryAfterSeconds) }
        : exception.headers;
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    const status = exception.getStatus();
    const answering = reply.status ? reply.status(status) : reply.code!(status);
    if (answering.json) answering.json(exception.getResponse());
    else answering.send!(exception.getResponse());
  }
}
