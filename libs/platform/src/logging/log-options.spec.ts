import { Writable } from 'node:stream';
import { loadConfig } from '../config/app-config';
import { createRootLogger, maskText } from './log-options';

describe('log redaction', () => {
  const lines: string[] = [];
  const logger = createRootLogger(
    loadConfig({ JWT_SECRET: 'f3c9a1e07b6d45c2a8e1d0b97c3f5a6e', NODE_ENV: 'production' }, '/tmp'),
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );

  it('censors secrets and contact fields at any of the first three levels', () => {
    logger.info(
      {
        password: 'hunter2',
        participant: { name: '王建国', contact: '13900000001', phone: '010-1234567' },
        req: { headers: { authorization: 'Bearer abc.def.ghi', host: 'x' } },
        body: { login: { accessToken: 'eyJabc.def' } },
      },
      'imported',
    );
    const line = JSON.parse(lines.at(-1) ?? '{}');
    expect(line.password).toBe('[redacted]');
    expect(line.participant).toEqual({ name: '王建国', contact: '[redacted]', phone: '[redacted]' });
    expect(line.req.headers).toEqual({ authorization: '[redacted]', host: 'x' });
    expect(line.body.login.accessToken).toBe('[redacted]');
  });

  it('masks mobile numbers and tokens in messages', () => {
    logger.warn('call 13912345678 or use Bearer eyJhbGciOi.x.y at /live?token=abc&x=1');
    const line = JSON.parse(lines.at(-1) ?? '{}');
    expect(line.msg).toBe('call 139****5678 or use Bearer [redacted] at /live?token=[redacted]&x=1');
    expect(maskText('编号 2024139123456789 不是手机号')).toBe('编号 2024139123456789 不是手机号');
  });
});
