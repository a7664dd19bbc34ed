import { closeSync, readSync } from "node:fs";
import { openRegular, type OpenFiles } from "./file-bytes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { makeDataset, type Dataset } from "./dataset.js";
import { dataError, ioReason } from "./errors.js";
import { fail, ok, type Result } from "./result.js";

/**
 * CSV: one example per line, numbers separated by commas, blank lines
 * ignored. The first line is a header when none of its cells is a number
 * (a first line mixing numbers and words is an error, not a header). Cells
 * are trimmed; quotes are stripped from header names (quoted commas are not
 * supported). Spans are character offsets into the UTF-8 text; messages give
 * line:column (1-based).
 */
export interface CsvHeader {
  readonly columns: number;
  readonly rows: number;
  /** Column names, or null when the file has no header line. */
  readonly names: readonly string[] | null;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

type CellKind = "number" | "nonfinite" | "other";

function cellKind(s: string): CellKind {
  if (NUMBER.test(s)) return "number";
  return NON_FINITE.test(s) ? "nonfinite" : "other";
}

interface Cell {
  readonly text: string;
  /** Offset of the trimmed cell in the file's text. */
  readonly start: number;
}

/** Cells of one line (`text` without its line break) starting at file offset `base`. */
function cells(text: string, base: number): Cell[] {
  const out: Cell[] = [];
  let from = 0;
  for (;;) {
    const comma = text.indexOf(",", from);
    const end = comma < 0 ? text.length : comma;
    let a = from;
    let b = end;
    while (a < b && (text[a] === " " || text[a] === "\t")) a++;
    while (b > a && (text[b - 1] === " " || text[b - 1] === "\t" || text[b - 1] === "\r")) b--;
    out.push({ text: text.slice(a, b), start: base + a });
    if (comma < 0) return out;
    from = comma + 1;
  }
}

interface Line {
  readonly text: string;
  readonly start: number;
  /** 1-based. */
  readonly number: number;
}

/** The non-blank lines of `text`, skipping a byte order mark. */
function* lines(text: string): Generator<Line> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let number = 1;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const body = text.slice(start, end);
    if (body.trim() !== "") yield { text: body.endsWith("\r") ? body.slice(0, -1) : body, start, number };
    start = end + 1;
    number++;
  }
}

function where(line: Line, offset: number): string {
  return `${line.number}:${offset - line.start + 1}`;
}

function badCell(file: string, line: Line, cell: Cell, hint?: string): Diagnostic {
  const kind = cellKind(cell.text);
  if (kind === "nonfinite") {
    return dataError(
      "AE3005",
      file,
      cell.start,
      cell.start + cell.text.length,
      `${cell.text} at line ${where(line, cell.start)}: data must be finite numbers`,
      "training needs finite numbers; clean or drop these rows first",
    );
  }
  const shown = cell.text === "" ? "an empty cell" : `'${cell.text.length > 40 ? cell.text.slice(0, 40) + "…" : cell.text}'`;
  return dataError(
    "AE3004",
    file,
    cell.start,
    cell.start + Math.max(1, cell.text.length),
    `expected a number at line ${where(line, cell.start)}, found ${shown}`,
    hint,
  );
}

/** The first non-blank line: a header (no cell is a number) or the first data row. */
function firstRow(first: Line, file: string): Result<{ names: string[] | null; columns: number }> {
  const cs = cells(first.text, first.start);
  const kinds = cs.map((c) => cellKind(c.text));
  if (kinds.every((k) => k === "other")) return ok({ names: cs.map((c) => c.text.replace(/^"(.*)"$/, "$1")), columns: cs.length });
  const bad = kinds.findIndex((k) => k !== "number");
  if (bad >= 0) return fail(badCell(file, first, cs[bad]!, "a header line must contain no numbers; a data line only numbers"));
  return ok({ names: null, columns: cs.length });
}

function emptyFile(file: string, size: number): Diagnostic {
  return dataError("AE3004", file, 0, size, "empty CSV file: expected lines of comma-separated numbers, one example per line");
}

function noRows(file: string, size: number): Diagnostic {
  return dataError("AE3004", file, size, size, "CSV file has a header line but no data lines");
}

/** Parses a whole CSV text into a Dataset of shape [columns]. */
export function decodeCsv(text: string, file: string): Result<Dataset> {
  const it = lines(text);
  const first = it.next();
  if (first.done) return fail(emptyFile(file, text.length));
  const head = firstRow(first.value, file);
  if (!head.ok) return head;
  const { names, columns } = head.value;
  // Count before allocating: one more cheap pass over the text.
  let rows = names === null ? 1 : 0;
  for (const _ of it) rows++;
  if (rows === 0) return fail(noRows(file, text.length));

  const x = new Float32Array(rows * columns);
  let r = 0;
  for (const line of lines(text)) {
    if (r === 0 && names !== null && line.number === first.value.number) continue;
    const cs = cells(line.text, line.start);
    if (cs.length !== columns) {
      return fail(
        dataError(
          "AE3004",
          file,
          line.start,
          line.start + line.text.length,
          `line ${line.number} has ${cs.length} columns, expected ${columns} (as line ${first.value.number}${names !== null ? ", the header" : ""})`,
        ),
      );
    }
    for (let c = 0; c < columns; c++) {
      const cell = cs[c]!;
      if (!NUMBER.test(cell.text)) return fail(badCell(file, line, cell));
      const v = Number(cell.text);
      if (!Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
        return fail(
          dataError("AE3005", file, cell.start, cell.start + cell.text.length, `${cell.text} at line ${where(line, cell.start)} is beyond the float32 range`),
        );
      }
      x[r * columns + c] = v;
    }
    r++;
  }
  return ok(makeDataset({ x, shape: [columns], count: rows }));
}

/**
 * Column and row counts in one streaming pass, without parsing the numbers
 * (decodeCsv checks those); only the first line is parsed.
 */
export function readCsvHeader(path: string, open?: OpenFiles): Result<CsvHeader> {
  const held = open?.get(path);
  if (held !== undefined) {
    return csvHeader(path, held.length, (chunk, pos) => {
      const part = held.subarray(pos, pos + chunk.length);
      chunk.set(part);
      return part.length;
    });
  }
  const opened = openRegular(path, "data file");
  if (!opened.ok) return opened;
  const fd = opened.value.fd;
  try {
    return csvHeader(path, opened.value.size, (chunk, pos) => readSync(fd, chunk, 0, chunk.length, pos));
  } catch (err) {
    return fail(dataError("AE3001", path, 0, 0, `cannot read data file: ${ioReason(err)}`));
  } finally {
    closeSync(fd);
  }
}

/** The header pass over a file of `size` bytes that `read` fills chunks of (from a position; 0 at the end). */
function csvHeader(path: string, size: number, read: (chunk: Uint8Array, pos: number) => number): Result<CsvHeader> {
  if (size > MAX_CSV_BYTES) {
    return fail(
      dataError("AE3004", path, 0, 0, `the CSV file is ${size} bytes, more than the ${MAX_CSV_BYTES} a CSV may hold`, "store large data as NPY (numpy.save)"),
    );
  }
  const chunk = new Uint8Array(1 << 16);
  const firstBytes: Uint8Array[] = [];
  let pos = 0;
  let nonBlank = 0;
  let lineHasContent = false;
  let firstDone = false;
  for (;;) {
    const n = read(chunk, pos);
    if (n === 0) break;
    if (!firstDone) firstBytes.push(chunk.slice(0, n));
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!;
      if (b === 10) {
        if (lineHasContent) {
          nonBlank++;
          firstDone = true;
        }
        lineHasContent = false;
      } else if (!lineHasContent && b !== 32 && b !== 9 && b !== 13 && !(pos + i < 3 && isBomByte(b))) {
        lineHasContent = true;
      }
    }
    pos += n;
    // The first line is what is kept in memory: past the limit, this is no CSV of examples.
    if (!firstDone && pos > MAX_CSV_LINE_BYTES) {
      return fail(dataError("AE3004", path, 0, pos, `the first line is longer than ${MAX_CSV_LINE_BYTES} bytes: not a CSV of examples`));
    }
  }
  if (lineHasContent) nonBlank++;
  const text = new TextDecoder().decode(concat(firstBytes));
  const first = lines(text).next();
  if (first.done) return fail(emptyFile(path, text.length));
  const head = firstRow(first.value, path);
  if (!head.ok) return head;
  const rows = nonBlank - (head.value.names === null ? 0 : 1);
  if (rows === 0) return fail(noRows(path, text.length));
  return ok({ columns: head.value.columns, rows, names: head.value.names });
}

/** Text larger than this is not read as CSV (a JavaScript string holds about 512 MiB). */
export const MAX_CSV_BYTES = 512 * 1024 * 1024;
/** A header line longer than this is not one (784 pixels of 20 characters are 16 KB). */
export const MAX_CSV_LINE_BYTES = 8 * 1024 * 1024;

function isBomByte(b: number): boolean {
  return b === 0xef || b === 0xbb || b === 0xbf;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
