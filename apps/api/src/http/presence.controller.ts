import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Roles } from '@liexi/platform';
import { LiveGateway } from '../live/live.gateway';

class PresenceView {
  @ApiProperty({ type: String, format: 'uuid' }) meetingId!: string;
  @ApiProperty({ minimum: 0, description: 'sockets in the meeting’s live room, on every api node' })
  sockets!: number;
  @ApiProperty({ minimum: 0, description: 'distinct attendees among them' }) attendees!: number;
}

@ApiTags('live')
@ApiBearerAuth()
@Controller('meetings')
export class PresenceController {
  constructor(private readonly live: LiveGateway) {}

  /** Sockets in the meeting's live room on every api node, and the distinct attendees among them. */
  @Get(':id/presence')
  @Roles('secretariat', 'leader', 'supervisor')
  @ApiOperation({
    operationId: 'meetings.presence',
    summary: 'Tablets connected to a meeting, counted across every api node',
  })
  @ApiOkResponse({ type: PresenceView })
  presence(@Param('id', ParseUUIDPipe) id: string): Promise<PresenceView> {
    return this.live.presence(id);
  }
}
