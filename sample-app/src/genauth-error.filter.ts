import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { GenAuthApiError, GenAuthError, GenAuthValidationError, isGenAuthUnavailable } from 'nestjs-genauth-mfa';

/** Turns errors of MfaManagementService calls in handlers into HTTP answers. */
@Catch(GenAuthError)
export class GenAuthErrorFilter implements ExceptionFilter {
  catch(error: GenAuthError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<{ status(code: number): { json(body: object): void } }>();
    let status: number = HttpStatus.BAD_GATEWAY;
    if (error instanceof GenAuthApiError && error.apiCode === 2004) status = HttpStatus.NOT_FOUND;
    else if (error instanceof GenAuthValidationError) status = HttpStatus.BAD_REQUEST;
    else if (isGenAuthUnavailable(error)) status = HttpStatus.SERVICE_UNAVAILABLE;
    response.status(status).json({ statusCode: status, error: error.name, message: error.message });
  }
}
