/**
 * The URL a release may ask its events to be POSTed to (`notify.webhookUrl`).
 * Its own module so that the release request and the notification shapes can
 * both use it without importing each other.
 */
import * as z from 'zod';

/** An absolute http(s) URL of at most 2048 characters. */
export const webhookUrlSchema = z.url({ protocol: /^https?$/ }).max(2048);
