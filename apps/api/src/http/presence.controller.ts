import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@liexi/platform';
import { LiveGateway } from '../live/live.gateway';

@ApiTags('live')
@ApiBearerAuth()
@Controller('meetings')
export class PresenceController {
  constructor(private readonly live: LiveGateway) {}

  /** Sockets in the meeting's live room on every api node, and the distinct attendees among them. */
  @Get(':id/presence')
  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({ summary: 'Tablets connected to a meeting, counted across every api node' })
  presence(
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<{ meetingId: string; sockets: number; attendees: number }> {
    return this.live.presence(id);
  }
}
