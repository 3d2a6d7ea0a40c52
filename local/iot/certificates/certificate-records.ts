/**
 * What the local IoT keeps of a certificate and of a thing-principal
 * attachment: exactly what survives a restart (a private key never does:
 * AWS does not keep it either).
 */
import { z } from 'zod';

/** CertificateStatus of the IoT model. */
export const certificateStatuses = [
  'ACTIVE',
  'INACTIVE',
  'REVOKED',
  'PENDING_TRANSFER',
  'REGISTER_INACTIVE',
  'PENDING_ACTIVATION',
] as const;
export type CertificateStatus = (typeof certificateStatuses)[number];

/** ThingPrincipalType of the IoT model. */
export const thingPrincipalTypes = ['EXCLUSIVE_THING', 'NON_EXCLUSIVE_THING'] as const;
export type ThingPrincipalType = (typeof thingPrincipalTypes)[number];

const certificateRecordSchema = z.object({
  certificateId: z.string(),
  certificateArn: z.string(),
  certificatePem: z.string(),
  status: z.enum(certificateStatuses),
  /** Virtual epoch ms, as every time the endpoint reports. */
  creationDate: z.number(),
  lastModifiedDate: z.number(),
  /** Starts at 1, one more at each status change, as AWS counts it. */
  customerVersion: z.number().int(),
  generationId: z.string(),
  /** Wall-clock validity written in the certificate (TLS peers check it against wall time). */
  notBefore: z.number(),
  notAfter: z.number(),
  /** Creation order: ListCertificates sorts and pages by it. */
  seq: z.number().int(),
});
export type CertificateRecord = z.infer<typeof certificateRecordSchema>;

const attachmentSchema = z.object({
  thingName: z.string(),
  principal: z.string(),
  thingPrincipalType: z.enum(thingPrincipalTypes),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/** `<dir>/certificates.json`: the certificates and attachments, rewritten whole at each change. */
export const certificateFileSchema = z.object({
  version: z.literal(1),
  certificates: z.array(certificateRecordSchema),
  attachments: z.array(attachmentSchema),
});
export type CertificateFile = z.infer<typeof certificateFileSchema>;
