import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const DOCS_PATH = 'docs';

export function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Keyward')
      .setDescription(
        'Accounts, users and credentials. The /v1 accounts and users API is compatible with Anchore Engine: same paths, bodies, status codes and error shape.',
      )
      .setVersion('1')
      .addBasicAuth()
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API token kwt_<id>_<secret> (POST /v1/user/tokens)' })
      .addApiKey(
        { type: 'apiKey', in: 'header', name: 'Authorization', description: 'KEYWARD-HMAC-SHA256 Credential=kwt_<id>/<timestamp>,Signature=<hex> (docs/auth.md)' },
        'signed',
      )
      .addSecurityRequirements('basic')
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('signed')
      .build(),
  );
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}/openapi.json` });
}
