/**
 * What DescribeEndpoint answers. AWS answers a host name, no port, for
 * fixed ports (8883 for MQTT over TLS, 443 for HTTPS). The local stack
 * learns its ports only once it listens, and they are rarely AWS's, so it
 * sets them here then, and the answer is `127.0.0.1:<port>`, shortened to
 * `127.0.0.1` when the port is AWS's own (an MQTT broker on 8883), so a
 * client that adds the default port still connects. `127.0.0.1` rather than
 * `localhost`: the stack listens on IPv4 loopback only, and `localhost` may
 * resolve to `::1` first; the broker's certificate names both.
 */
import { invalidRequest } from '../errors.js';

/** The endpoint types the local stack serves. */
export type LocalEndpointType = 'iot:Data-ATS' | 'iot:Jobs';

export interface EndpointAddress {
  host: string;
  port: number;
}

/** AWS's port for each type, the one its answer leaves out. */
const awsPorts: Record<LocalEndpointType, number> = { 'iot:Data-ATS': 8883, 'iot:Jobs': 443 };

export class EndpointAddresses {
  private readonly addresses = new Map<LocalEndpointType, EndpointAddress>();

  /** Sets (or, with undefined, clears) where an endpoint type listens. */
  set(type: LocalEndpointType, address: EndpointAddress | undefined): void {
    if (address) this.addresses.set(type, address);
    else this.addresses.delete(type);
  }

  /**
   * The `endpointAddress` for an `endpointType` as DescribeEndpoint takes it.
   * `iot:Data` (AWS's legacy VeriSign-signed endpoint, and the default) is
   * the same broker as `iot:Data-ATS` here: there is one local CA.
   */
  describe(endpointType: string | undefined): string {
    const type = localTypeOf(endpointType ?? 'iot:Data');
    const address = this.addresses.get(type);
    if (!address) {
      throw invalidRequest(
        `The local stack is not serving ${type} (${type === 'iot:Jobs' ? 'no HTTPS endpoint is listening' : 'the MQTT broker over TLS is off'}).`,
      );
    }
    return address.port === awsPorts[type] ? address.host : `${address.host}:${address.port}`;
  }
}

function localTypeOf(endpointType: string): LocalEndpointType {
  switch (endpointType) {
    case 'iot:Data':
    case 'iot:Data-ATS':
      return 'iot:Data-ATS';
    case 'iot:Jobs':
      return 'iot:Jobs';
    case 'iot:CredentialProvider':
      throw invalidRequest(
        'The local stack has no credentials provider: iot:CredentialProvider is not served.',
      );
    default:
      throw invalidRequest(`Endpoint type ${endpointType} is not valid.`);
  }
}
