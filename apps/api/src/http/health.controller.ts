import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DatabaseHealth, DatabaseHealthService, Public } from '@liexi/platform';
import type { Response } from 'express';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: DatabaseHealthService) {}

  /** Readiness: 200 when the database answers, 503 `{database:"down"}` when not; always within 1 s. */
  @Public()
  @Get()
  @ApiOperation({ summary: 'Readiness: 200 when the database answers, 503 when it does not (≤ 1 s)' })
  async ready(
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ status: 'ok' | 'unavailable' } & DatabaseHealth> {
    const db = await this.health.check();
    res.setHeader('Cache-Control', 'no-store');
    if (db.database === 'down') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: db.database === 'ok' ? 'ok' : 'unavailable', ...db };
  }

  /** Liveness: the process answers (no database involved). */
  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up (no database involved)' })
  live(): { status: 'ok'; uptimeSeconds: number } {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }
}
