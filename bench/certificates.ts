/**
 * Benchmark: what device certificates cost on the local stack. Making the
 * root CA (and the broker's certificate) on a first start; then
 * CreateKeysAndCertificate through the IoT SDK, one after another and 20 at
 * a time, as a provisioning script would; and `check()`, the decision the
 * MQTT broker takes at each TLS handshake, on a store of those certificates.
 *
 *   npx tsx bench/certificates.ts      (or `npm run bench -- certificates`)
 */
import { X509Certificate } from 'node:crypto';
import { CreateKeysAndCertificateCommand } from '@aws-sdk/client-iot';
import { CertificateAuthority } from '../local/iot/certificates/certificate-authority.js';
import { startIotEndpoint } from '../test/support/iot-endpoint.js';
import { reportResult } from './support/bench-result.js';
import { percentile } from './support/load-generator.js';

const SEQUENTIAL = 200;
const CONCURRENT = 400;
const PARALLEL = 20;
const CHECKS = 20_000;

let started = performance.now();
await CertificateAuthority.open();
const caMs = performance.now() - started;

const ep = await startIotEndpoint();
try {
  await ep.emulator.certificates.ready();
  const create = () => ep.iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  const latencies: number[] = [];
  const ders: Buffer[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    const created = await create();
    latencies.push(performance.now() - t);
    ders.push(new X509Certificate(created.certificatePem!).raw);
  }
  latencies.sort((a, b) => a - b);

  started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < CONCURRENT) {
        next++;
        await create();
      }
    }),
  );
  const perSecond = CONCURRENT / ((performance.now() - started) / 1000);

  started = performance.now();
  let accepted = 0;
  for (let i = 0; i < CHECKS; i++) if (ep.emulator.certificates.check(ders[i % ders.length]!).ok) accepted++;
  const checkUs = ((performance.now() - started) * 1000) / CHECKS;
  if (accepted !== CHECKS) throw new Error(`check() refused ${CHECKS - accepted} ACTIVE certificates`);

  const figures = [
    { name: 'root CA and broker certificate made (first start)', value: Math.round(caMs), unit: 'ms' },
    {
      name: `CreateKeysAndCertificate p50 (${SEQUENTIAL} in a row)`,
      value: +percentile(latencies, 50).toFixed(1),
      unit: 'ms',
    },
    {
      name: `CreateKeysAndCertificate p99 (${SEQUENTIAL} in a row)`,
      value: +percentile(latencies, 99).toFixed(1),
      unit: 'ms',
    },
    {
      name: `CreateKeysAndCertificate throughput (${PARALLEL} at a time)`,
      value: Math.round(perSecond),
      unit: '/s',
    },
    {
      name: `check() per client certificate (${SEQUENTIAL + CONCURRENT} in the store)`,
      value: Math.round(checkUs),
      unit: 'µs',
    },
  ];
  for (const f of figures) console.log(`${f.name}: ${f.value} ${f.unit}`);
  reportResult({
    benchmark: 'certificates',
    description:
      'the local CA, CreateKeysAndCertificate over the IoT SDK, and the broker-side check of a client certificate (ECDSA P-256)',
    figures,
  });
} finally {
  await ep.close();
}
