import { describe, expect, it } from 'vitest';
import { parseAgentOptions, UsageError } from '../../../examples/device-agent/agent-options.js';

const base = ['--endpoint', 'localhost', '--cert', 'd.pem', '--key', 'd.key', '--thing', 'pump-7'];

describe('device agent options', () => {
  it('takes the defaults a device on AWS IoT needs: port 8883, client id = thing, MQTT 5, succeed, no limit', () => {
    expect(parseAgentOptions(base)).toEqual({
      endpoint: 'localhost',
      port: 8883,
      cert: 'd.pem',
      key: 'd.key',
      thing: 'pump-7',
      clientId: 'pump-7',
      mqtt: '5',
      outcome: 'succeed',
      stepSeconds: 0,
    });
  });

  it('reads every flag', () => {
    const options = parseAgentOptions([
      ...base,
      '--port',
      '18883',
      '--ca',
      'ca.pem',
      '--client-id',
      'pump-7-a',
      '--mqtt',
      '3.1.1',
      '--outcome',
      'fail',
      '--step-seconds',
      '3',
      '--step-timeout-minutes',
      '10',
      '--max-jobs',
      '2',
    ]);
    expect(options).toMatchObject({
      port: 18883,
      ca: 'ca.pem',
      clientId: 'pump-7-a',
      mqtt: '3.1.1',
      outcome: 'fail',
      stepSeconds: 3,
      stepTimeoutMinutes: 10,
      maxJobs: 2,
    });
  });

  it('takes host:port as DescribeEndpoint answers a broker off 8883', () => {
    const argv = ['--endpoint', '127.0.0.1:18883', ...base.slice(2)];
    expect(parseAgentOptions(argv)).toMatchObject({ endpoint: '127.0.0.1', port: 18883 });
    expect(parseAgentOptions([...argv, '--port', '18883'])).toMatchObject({ port: 18883 });
  });

  it('--once is one job', () => {
    expect(parseAgentOptions([...base, '--once'])?.maxJobs).toBe(1);
  });

  it('--help asks for the usage text, whatever else is missing', () => {
    expect(parseAgentOptions(['--help'])).toBeUndefined();
  });

  it.each([
    [['--cert', 'd.pem', '--key', 'd.key', '--thing', 't'], '--endpoint is required'],
    [['--endpoint', 'h', '--key', 'd.key', '--thing', 't'], '--cert is required'],
    [['--endpoint', 'h', '--cert', 'd.pem', '--thing', 't'], '--key is required'],
    [['--endpoint', 'h', '--cert', 'd.pem', '--key', 'd.key'], '--thing is required'],
    [[...base, '--port', '0'], '--port must be a whole number of at least 1'],
    [[...base, '--port', '70000'], '--port must be at most 65535'],
    [[...base, '--port', '88.3'], '--port must be a whole number'],
    [[...base, '--outcome', 'maybe'], '--outcome must be succeed or fail'],
    [[...base, '--mqtt', '3'], '--mqtt must be 5 or 3.1.1'],
    [[...base, '--step-seconds=-1'], '--step-seconds must be a whole number of at least 0'],
    [[...base, '--step-timeout-minutes', '10081'], '--step-timeout-minutes must be at most 10080'],
    [[...base, '--max-jobs', '0'], '--max-jobs must be a whole number of at least 1'],
    [[...base, '--once', '--max-jobs', '3'], '--once and --max-jobs exclude each other'],
    [['--endpoint', 'h:1', ...base.slice(2), '--port', '2'], '--endpoint names port 1 and --port 2'],
    [[...base, '--colour', 'red'], "Unknown option '--colour'"],
    [[...base, 'extra'], 'extra'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseAgentOptions(argv)).toThrow(UsageError);
    expect(() => parseAgentOptions(argv)).toThrow(message);
  });
});
