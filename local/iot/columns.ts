/**
 * Growable typed-array columns: the emulator keeps one number per thing or
 * per execution in a column rather than a field of one object per thing, so
 * a million-thing fleet costs a few bytes per value instead of an object
 * header, a hidden class and a pointer for each.
 */

type NumberArray = Uint8Array | Uint32Array | Int32Array | Float64Array;

/** One number per position, appended at the end; capacity doubles as it fills. */
class Column<A extends NumberArray> {
  private data: A;
  private count = 0;

  /** `make(n)` allocates a zero-filled array of `n` numbers of the column's type. */
  constructor(
    private readonly make: (capacity: number) => A,
    capacity = 16,
  ) {
    this.data = make(Math.max(1, capacity));
  }

  get length(): number {
    return this.count;
  }

  get(position: number): number {
    return this.data[position]!;
  }

  set(position: number, value: number): void {
    this.data[position] = value;
  }

  push(value: number): void {
    if (this.count === this.data.length) {
      const grown = this.make(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.count++] = value;
  }
}

/** A column of unsigned 32-bit integers (indexes, sequence numbers, counts). */
export const u32Column = (capacity?: number) => new Column((n) => new Uint32Array(n), capacity);

/** A column of doubles (virtual epoch ms; NaN for "none"). */
export const f64Column = (capacity?: number) => new Column((n) => new Float64Array(n), capacity);

/** A column of bytes (small enumerations such as a status). */
export const u8Column = (capacity?: number) => new Column((n) => new Uint8Array(n), capacity);
