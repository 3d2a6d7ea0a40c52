/**
 * The broker's ports on the command line: `--mqtt-port` and `--mqtts-port`
 * (and their environment variables), where 0 turns a listener off, and the
 * defaults of `npm start` (1883, 8883) and of a command that names none (off).
 */
import { describe, expect, it } from 'vitest';
import { parseStackFlags, startDefaults, UsageError } from '../../../local/start/stack-flags.js';

const ports = (argv: string[], env: Record<string, string> = {}, defaults = startDefaults) => {
  const { mqttPort, mqttsPort } = parseStackFlags(argv, env, defaults).settings;
  return { mqttPort, mqttsPort };
};

describe('the MQTT port flags', () => {
  it("default to 1883 and 8883 for npm start, and off for a command that names none (the demo's)", () => {
    expect(ports([])).toEqual({ mqttPort: 1883, mqttsPort: 8883 });
    expect(ports([], {}, { awsPort: 0, apiPort: 0, factor: 600 })).toEqual({
      mqttPort: false,
      mqttsPort: false,
    });
  });

  it('take a port from a flag or the environment, the flag winning; 0 turns the listener off', () => {
    expect(ports(['--mqtt-port', '1884'], { FLEETWAVE_MQTTS_PORT: '8884' })).toEqual({
      mqttPort: 1884,
      mqttsPort: 8884,
    });
    expect(ports(['--mqtts-port', '0'], { FLEETWAVE_MQTTS_PORT: '8884', FLEETWAVE_MQTT_PORT: '0' })).toEqual({
      mqttPort: false,
      mqttsPort: false,
    });
  });

  it('refuse what is not a port', () => {
    expect(() => ports(['--mqtt-port', '70000'])).toThrow(UsageError);
    expect(() => ports(['--mqtts-port', 'tls'])).toThrow(/--mqtts-port must be an integer from 0 to 65535/);
  });
});
