import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorDto } from './dto';

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
        {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'KEYWARD-HMAC-SHA256 Credential=kwt_<id>/<timestamp>,Signature=<hex> (docs/auth.md)',
        },
        'signed',
      )
      .addSecurityRequirements('basic')
      .addSecurityRequirements('bearer')
      .addSecurityRequirements('signed')
      .build(),
    { extraModels: [ErrorDto] },
  );
  withErrorResponses(document);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}/openapi.json` });
}

/** Routes anyone may call: no credentials to refuse. */
const PUBLIC_OPERATIONS = new Set(['get /v1', 'get /health/live', 'get /health/ready']);

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Bad input: `detail.error_codes` gives a stable code (VALIDATION_FAILED names the field), `message` what to fix',
  '401': 'No credentials, or wrong ones (HTTP Basic, a bearer token or a signed request)',
  '403': 'Not allowed for this caller (FORBIDDEN, READ_ONLY_TOKEN, ACCOUNT_NOT_ENABLED, PASSWORD_REQUIRED, ...)',
  '404': 'No such resource, or one this caller may not see',
  '409': 'Conflicts with what exists (a name taken, a state change refused)',
  '413': 'Body larger than the gateway accepts',
  '415': 'A body that is not application/json',
  '429': 'Too many failed logins for this username or address: retry after the Retry-After header',
  '503': 'A service behind the gateway did not answer in time',
};

/**
 * Every operation lists the errors it may answer, all in the one error shape (ErrorDto), so a
 * client generated from the document handles them.
 */
function withErrorResponses(document: OpenAPIObject): void {
  const error = { content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorDto) } } } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const codes = PUBLIC_OPERATIONS.has(`${method} ${path}`)
        ? ['503']
        : ['400', '401', '403', '404', '429', '503', ...(operation.requestBody ? ['409', '413', '415'] : method === 'delete' ? ['409'] : [])];
      for (const code of codes.sort()) {
        operation.responses[code] ??= { description: ERROR_RESPONSES[code] ?? '', ...error };
      }
    }
  }
}
