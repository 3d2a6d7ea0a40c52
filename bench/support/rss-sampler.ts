/**
 * Peak resident memory of this process: `process.memoryUsage().rss` sampled
 * on a timer, and the kernel's own high-water mark
 * (`process.resourceUsage().maxRSS`), which catches a peak between samples.
 */

export interface RssSampler {
  /** Stops sampling; the larger of the sampled peak and the kernel's maxRSS, in bytes. */
  stop(): { sampledPeakBytes: number; maxRssBytes: number; peakBytes: number };
}

export function startRssSampler(intervalMs = 25): RssSampler {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      // maxRSS is in kilobytes.
      const maxRssBytes = process.resourceUsage().maxRSS * 1024;
      return { sampledPeakBytes: peak, maxRssBytes, peakBytes: Math.max(peak, maxRssBytes) };
    },
  };
}
