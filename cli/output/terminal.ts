/**
 * ANSI escape sequences and width handling for terminal output. Colour is
 * used only on a terminal, never when `NO_COLOR` is set or `TERM=dumb`
 * (https://no-color.org), and never in `--json` output.
 */
import type { OutputStream } from '../io.js';

const escapeChar = String.fromCharCode(27);
const esc = `${escapeChar}[`;

export const ansi = {
  hideCursor: `${esc}?25l`,
  showCursor: `${esc}?25h`,
  /** Moves the cursor to the start of the line `n` lines up. */
  up: (n: number) => (n > 0 ? `${esc}${n}F` : '\r'),
  /** Clears from the cursor to the end of the screen. */
  clearDown: `${esc}J`,
  /** Clears from the cursor to the end of the line. */
  clearLine: `${esc}K`,
} as const;

export type Colour = 'red' | 'green' | 'yellow' | 'cyan' | 'dim' | 'bold';
const colourCodes: Record<Colour, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/** Paints text, or leaves it alone when colour is off. */
export type Paint = (colour: Colour, text: string) => string;

export const noPaint: Paint = (_colour, text) => text;
export const ansiPaint: Paint = (colour, text) => {
  if (text === '') return '';
  const [on, off] = colourCodes[colour];
  return `${esc}${on}m${text}${esc}${off}m`;
};

/** Colour when `stream` is a terminal and the environment does not ask for none. */
export function paintFor(stream: OutputStream, env: Readonly<Record<string, string | undefined>>): Paint {
  if (!stream.isTTY) return noPaint;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return noPaint;
  if (env.TERM === 'dumb') return noPaint;
  return ansiPaint;
}

// Built from a string: an escape character in a regular expression literal is easy to misread.
const ansiSequence = `${escapeChar}\\[[0-9;?]*[A-Za-z]`;
const ansiPattern = new RegExp(ansiSequence, 'g');

/** The text without escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, '');
}

/** Columns the text takes on screen (escape sequences take none). */
export function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
}

/**
 * Cuts `text` to `width` visible columns, ending in `…` when cut, keeping
 * escape sequences intact (and resetting them at the cut) so a truncated line
 * never wraps and never bleeds colour into the next.
 */
export function truncate(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  let out = '';
  let seen = 0;
  const parts = text.split(new RegExp(`(${ansiSequence})`));
  for (const part of parts) {
    if (part.startsWith(esc)) {
      out += part;
      continue;
    }
    for (const ch of part) {
      if (seen >= width - 1) return `${out}…${text.includes(esc) ? `${esc}0m` : ''}`;
      out += ch;
      seen++;
    }
  }
  return out;
}

/** Pads to `width` visible columns (left-aligned, or right-aligned with `right`). */
export function pad(text: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return right ? fill + text : text + fill;
}

/** The bidirectional controls: they reorder what a reader sees (ALM, LRM, RLM, LRE…RLO, LRI…PDI). */
const bidiControls = new Set([
  0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);

/**
 * True for a code point that must not reach a terminal raw: C0 controls, DEL,
 * C1 controls, the Unicode line/paragraph separators and the bidi controls.
 * Text from the network (event fields, messages) could otherwise move the
 * cursor, rewrite earlier lines or disguise itself.
 */
function isUnprintable(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    bidiControls.has(code)
  );
}

const hex = (code: number, digits: number) => code.toString(16).padStart(digits, '0');

/** `text` with every control character (see {@link isUnprintable}) written as `\xNN` or `\uNNNN`. */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    out += !isUnprintable(code) ? ch : code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  }
  return out;
}

/**
 * A JSON text with the characters JSON.stringify leaves raw that a terminal
 * still acts on (DEL, C1, U+2028/2029, bidi controls) as `\uNNNN` escapes.
 * They can stand only inside JSON strings, where the escape reads back as the
 * same character; JSON.stringify has already escaped the C0 controls.
 */
export function printableJson(json: string): string {
  let out = '';
  for (const ch of json) {
    const code = ch.codePointAt(0) as number;
    out += code > 0x1f && isUnprintable(code) ? `\\u${hex(code, 4)}` : ch;
  }
  return out;
}
