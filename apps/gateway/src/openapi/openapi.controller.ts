import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { dirname } from 'node:path';
import { openApiDocument } from './openapi-document';

/** The files of Swagger UI that `/docs` loads; nothing else of the package is served. */
/** Where npm put Swagger UI's prebuilt files. */
const uiRoot = dirname(require.resolve('swagger-ui-dist/package.json'));

const uiFiles = new Set([
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-32x32.png',
]);

const docsPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Fleetwave Management API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>window.onload = () => { window.ui = SwaggerUIBundle({ url: '/v3/api-docs', dom_id: '#ui' }); };</script>
</body></html>`;

/** The API's OpenAPI document and a browsable UI for it; open to everyone, as the API's shape is no secret. */
@Controller()
export class OpenApiController {
  private readonly document = openApiDocument(process.env.npm_package_version ?? '0.1.0');

  @Get('v3/api-docs')
  apiDocs() {
    return this.document;
  }

  @Get('docs')
  docs(@Res() res: Response): void {
    res.type('html').send(docsPage);
  }

  @Get('docs/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!uiFiles.has(file)) throw new NotFoundException(`no file ${file}`);
    res.sendFile(file, { root: uiRoot, maxAge: '1h' });
  }
}
