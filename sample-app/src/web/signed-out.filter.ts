import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { safeReturnTo } from 'nestjs-genauth-mfa';

/**
 * On the browser pages, a 401 (no session, an expired one, or no user for the MFA guard) sends a browser
 * to the sign-in page and back; API clients keep the JSON answer.
 */
@Catch(HttpException)
export class SignedOutFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const wantsPage = request.method === 'GET' && /text\/html/.test(request.headers.accept ?? '');
    if (exception.getStatus() === 401 && wantsPage) {
      response.redirect(303, `/web?returnTo=${encodeURIComponent(safeReturnTo(request.originalUrl, '/web'))}`);
      return;
    }
    response.status(exception.getStatus()).json(exception.getResponse());
  }
}
