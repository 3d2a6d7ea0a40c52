/**
 * Seeded, hash-based randomness for the fleet simulator.
 *
 * Every random choice about one attempt of one job execution (its outcome,
 * its latencies) is drawn from a stream keyed by (seed, jobId, thingName,
 * executionNumber). The stream depends on nothing else, so the same seed
 * gives every thing the same fate whatever order the simulator reaches the
 * things in, whatever the rollout rate, and whatever other jobs run beside it.
 */

/** A stream of uniform numbers in [0, 1). */
export type RandomStream = () => number;

/**
 * xmur3-style string hash: returns a generator of well-mixed 32-bit words
 * derived from `text`, used to seed a stream with more state than one hash.
 */
function hashWords(text: string): () => number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return h >>> 0;
  };
}

/** sfc32: a small, fast generator with 128 bits of state, good enough for simulation. */
function sfc32(a: number, b: number, c: number, d: number): RandomStream {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A stream seeded from any text. */
export function streamFromText(text: string): RandomStream {
  const next = hashWords(text);
  const stream = sfc32(next(), next(), next(), next());
  // The first outputs of sfc32 are still close to the seed words; discard a few.
  for (let i = 0; i < 12; i++) stream();
  return stream;
}

/** The stream for one attempt of one job execution. */
export function executionStream(
  seed: string,
  jobId: string,
  thingName: string,
  executionNumber: number,
): RandomStream {
  // NUL cannot occur in a job id or thing name, so the key is unambiguous.
  return streamFromText(`${seed}\u0000${jobId}\u0000${thingName}\u0000${executionNumber}`);
}

/** A standard normal deviate (Box–Muller), from two uniforms of `random`. */
export function standardNormal(random: RandomStream): number {
  // 1 - u is in (0, 1], so the logarithm is finite.
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
