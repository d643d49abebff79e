import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document at `/docs` (JSON at `/docs-json`): guarded operations list the MFA answers. */
export function setUpDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('nestjs-genauth-mfa sample')
    .setDescription('Routes guarded by MFA document their 401, 403 and 503 answers (ApiMfaResponses).')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, SwaggerModule.createDocument(app, config));
}
