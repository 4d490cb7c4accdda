import { ConfigError, loadConfig } from './app-config';

const SECRET = '5f0c1d9e8a7b6c4d3e2f1a0b9c8d7e6f';

describe('job settings', () => {
  it('JOBS_ENABLED=false turns the runner off', () => {
    expect(loadConfig({ JWT_SECRET: SECRET, JOBS_ENABLED: 'false' }, '/tmp').jobsEnabled).toBe(false);
  });

  it('refuses a JOBS_ENABLED that is not a boolean, naming the variable', () => {
    expect(() => loadConfig({ JWT_SECRET: SECRET, JOBS_ENABLED: 'sometimes' }, '/tmp')).toThrow(ConfigError);
    expect(() => loadConfig({ JWT_SECRET: SECRET, JOBS_ENABLED: 'sometimes' }, '/tmp')).toThrow(
      'JOBS_ENABLED',
    );
  });

  it.each([
    ['REMINDER_WORKING_DAYS', '-1'],
    ['YELLOW_WORKING_DAYS', 'x'],
    ['REINSPECTION_DAYS', '0'],
    ['JOBS_POLL_SECONDS', '0'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ JWT_SECRET: SECRET, [name]: value }, '/tmp')).toThrow(name);
  });

  it('reads the working-day thresholds', () => {
    const c = loadConfig(
      { JWT_SECRET: SECRET, REMINDER_WORKING_DAYS: '5', YELLOW_WORKING_DAYS: '2', REINSPECTION_DAYS: '90' },
      '/tmp',
    );
    expect([c.reminderWorkingDays, c.yellowWorkingDays, c.reinspectionDays]).toEqual([5, 2, 90]);
  });
});
