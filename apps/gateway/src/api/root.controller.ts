import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';

@ApiTags('API')
@Controller('v1')
export class RootController {
  /** The authenticated API root: answers the API version, as Anchore Engine does. */
  @Get()
  @ApiOkResponse({ schema: { type: 'string', example: 'v1' } })
  root(): string {
    return 'v1';
  }
}
