import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';

/** The API version Anchore Engine's ping answers, and so Keyward's. */
export const API_VERSION = 'v1';

@ApiTags('API')
@Controller('v1')
export class RootController {
  /**
   * Anchore Engine's `ping`: public, answers the API version. anchore-cli calls it before every
   * command to tell "cannot reach the service" from "wrong credentials"; the command that
   * follows then authenticates and gets its 401. Nothing about the installation is revealed.
   */
  @Get()
  @Public()
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: 'Ping: the API version, without authentication (also HEAD, and GET / for non-browser clients)', security: [] })
  @ApiOkResponse({ schema: { type: 'string', example: API_VERSION } })
  ping(): string {
    // A JSON string, as Anchore answers: Nest would send a returned string as plain text.
    return JSON.stringify(API_VERSION);
  }
}
