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

/** Mixes one character code into an xmur3-style hash state. */
function mixChar(h: number, code: number): number {
  const m = Math.imul(h ^ code, 3432918353);
  return (m << 13) | (m >>> 19);
}

function mixText(h: number, text: string): number {
  let state = h;
  for (let i = 0; i < text.length; i++) state = mixChar(state, text.charCodeAt(i));
  return state;
}

/** The next state of the hash's word generator; a word is the state as an unsigned number. */
function nextWordState(h: number): number {
  let state = Math.imul(h ^ (h >>> 16), 2246822507);
  state = Math.imul(state ^ (state >>> 13), 3266489909);
  return state ^ (state >>> 16);
}

/** sfc32: a small, fast generator with 128 bits of state, good enough for simulation. */
class Sfc32 {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /**
   * Seeds the generator from an xmur3-style hash state `h` (the hash of the
   * seed text, mixed in after its length): four words of it, then a few
   * outputs discarded, since the first outputs of sfc32 are still close to
   * the seed words.
   */
  seed(h: number): void {
    const a = nextWordState(h);
    const b = nextWordState(a);
    const c = nextWordState(b);
    const d = nextWordState(c);
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const { a, b, d } = this;
    let { c } = this;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    this.c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
}

/** A stream seeded from any text. */
export function streamFromText(text: string): RandomStream {
  const generator = new Sfc32();
  generator.seed(mixText(1779033703 ^ text.length, text));
  return () => generator.next();
}

/**
 * Seeds `generator` as {@link streamFromText} would from the key of one
 * attempt, without building the key: the parts are hashed one after the
 * other, NUL between them (NUL cannot occur in a job id or thing name, so
 * the key is unambiguous).
 */
function seedExecution(
  generator: Sfc32,
  seed: string,
  jobId: string,
  thingName: string,
  executionNumber: number,
): void {
  const attempt = String(executionNumber);
  let h = 1779033703 ^ (seed.length + jobId.length + thingName.length + attempt.length + 3);
  h = mixChar(mixText(h, seed), 0);
  h = mixChar(mixText(h, jobId), 0);
  h = mixChar(mixText(h, thingName), 0);
  generator.seed(mixText(h, attempt));
}

/** The stream for one attempt of one job execution. */
export function executionStream(
  seed: string,
  jobId: string,
  thingName: string,
  executionNumber: number,
): RandomStream {
  const generator = new Sfc32();
  seedExecution(generator, seed, jobId, thingName, executionNumber);
  return () => generator.next();
}

/** One generator reused by {@link sharedExecutionStream}: a plan is drawn synchronously, so nothing else uses it meanwhile. */
const shared = new Sfc32();
const sharedStream: RandomStream = () => shared.next();

/**
 * The stream of {@link executionStream}, from one generator shared by every
 * call: valid until the next call, so a caller draws from it at once and
 * keeps nothing. The simulator plans an attempt per notification, a million
 * at fleet scale, and this makes no generator for each.
 */
export function sharedExecutionStream(
  seed: string,
  jobId: string,
  thingName: string,
  executionNumber: number,
): RandomStream {
  seedExecution(shared, seed, jobId, thingName, executionNumber);
  return sharedStream;
}

/** A standard normal deviate (Box–Muller), from two uniforms of `random`. */
export function standardNormal(random: RandomStream): number {
  // 1 - u is in (0, 1], so the logarithm is finite.
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
