import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  type DatabaseHealth,
  DatabaseHealthService,
  DrainState,
  type PoolStats,
  Public,
} from '@liexi/platform';
import type { Response } from 'express';

class PoolStatsView implements PoolStats {
  @ApiProperty({ minimum: 0, description: 'connections open (busy + idle)' }) total!: number;
  @ApiProperty({ minimum: 0 }) idle!: number;
  @ApiProperty({ minimum: 0, description: 'units of work waiting for a connection' }) waiting!: number;
  @ApiProperty({ minimum: 1 }) max!: number;
}

class ReadinessView implements DatabaseHealth {
  @ApiProperty({ enum: ['ok', 'unavailable', 'draining'] }) status!: 'ok' | 'unavailable' | 'draining';
  @ApiProperty({ enum: ['ok', 'down'] }) database!: 'ok' | 'down';
  @ApiProperty({ minimum: 0 }) latencyMs!: number;
  @ApiProperty({ type: PoolStatsView }) pool!: PoolStatsView;
}

class LivenessView {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ minimum: 0 }) uptimeSeconds!: number;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: DatabaseHealthService,
    private readonly drain: DrainState,
  ) {}

  /**
   * Readiness: 200 when the database answers, 503 `{database:"down"}` when not; always within 1 s.
   * 503 `{status:"draining"}` once the node is shutting down (SIGTERM), so the balancer sends nothing new.
   */
  @Public()
  @Get()
  @ApiOperation({
    operationId: 'health.ready',
    summary: 'Readiness: 200 when the database answers, 503 when it does not or the node drains (≤ 1 s)',
  })
  @ApiOkResponse({ type: ReadinessView })
  @ApiServiceUnavailableResponse({
    type: ReadinessView,
    description: 'the database does not answer, or the node is draining',
  })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessView> {
    const db = await this.health.check();
    res.setHeader('Cache-Control', 'no-store');
    if (this.drain.draining) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'draining', ...db };
    }
    if (db.database === 'down') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: db.database === 'ok' ? 'ok' : 'unavailable', ...db };
  }

  @Public()
  @Get('live')
  @ApiOperation({ operationId: 'health.live', summary: 'Liveness: the process is up (no database involved)' })
  @ApiOkResponse({ type: LivenessView })
  live(): LivenessView {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }
}
