import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type PublicItemView, PublicationService, PublicQueryDto } from '@liexi/handling';
import { type Page, pageSize, Public } from '@liexi/platform';
import { PublicItemDto, PublicItemsPageDto } from './notices-responses.dto';

@ApiTags('public')
@Controller('public/items')
export class PublicController {
  constructor(private readonly publication: PublicationService) {}

  @Public()
  @ApiOperation({
    summary: '政务公开: published items and their sent replies, searchable',
    description:
      'No login. Only items the secretariat published; never a proposer, a contact, an anonymous identity, a draft, a review or a rating. Newest publication first, paginated.',
    operationId: 'public.items',
  })
  @ApiOkResponse({ type: PublicItemsPageDto })
  @Get()
  list(@Query() q: PublicQueryDto): Promise<Page<PublicItemView>> {
    return this.publication.list({ q: q.q, limit: pageSize(q), cursor: q.cursor });
  }

  @Public()
  @ApiOperation({
    summary: 'One published item',
    description: 'No login; 404 unless published.',
    operationId: 'public.item',
  })
  @ApiOkResponse({ type: PublicItemDto })
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<PublicItemView> {
    return this.publication.get(id);
  }
}
