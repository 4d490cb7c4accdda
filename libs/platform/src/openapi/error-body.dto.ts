import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorBody, type ErrorCode, type FieldErrors } from '@liexi/contracts';

/** The one error body of the HTTP edge and the socket acks, as the OpenAPI document shows it. */
export class ErrorBodyDto implements ErrorBody {
  @ApiProperty({ enum: ERROR_CODES, enumName: 'ErrorCode', example: 'NOT_FOUND' })
  code!: ErrorCode;

  @ApiProperty({
    description: 'For people, localized by Accept-Language (zh-CN or en), one language only.',
    example: '未找到',
  })
  message!: string;

  @ApiPropertyOptional({
    description: 'For developers and logs: what exactly went wrong, in English (not for end users).',
    example: 'task item 0b7c0f6e-7d0f-4a56-9a55-3c8e8f1f2a10 does not exist',
  })
  detail?: string;

  @ApiPropertyOptional({
    description: 'VALIDATION: the messages per field path (`a.b.0.c`).',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { deadline: ['deadline must be a valid ISO 8601 date string'] },
  })
  fields?: FieldErrors;

  @ApiPropertyOptional({
    description: 'INVALID_TRANSITION: the actions allowed from the current state.',
    type: [String],
    example: ['accept', 'return'],
  })
  allowed?: string[];

  @ApiPropertyOptional({
    description: 'INTERNAL: quote it when reporting the problem (the server logged the cause with it).',
    format: 'uuid',
  })
  correlationId?: string;
}
