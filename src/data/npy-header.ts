import { dataError } from "./errors.js";
import { fail, ok, type Result } from "./result.js";

/** The dictionary of an NPY header, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`. */
export interface NpyDict {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: number[];
  /** File offset of each key's value, for pointing at it. */
  readonly at: { readonly descr: number; readonly fortran_order: number; readonly shape: number };
}

type Value = { kind: "str"; v: string } | { kind: "bool"; v: boolean } | { kind: "tuple"; v: number[] } | { kind: "other" };

/**
 * Parses the Python literal that NPY headers hold: a dict of exactly the
 * keys descr, fortran_order and shape. `base` is the file offset of `text`,
 * whose characters stand one-to-one for bytes (latin1).
 */
export function parseNpyDict(text: string, base: number, file: string): Result<NpyDict> {
  let i = 0;
  const err = (at: number, msg: string) => fail<never>(dataError("AE3002", file, base + at, base + Math.max(at + 1, at), msg));
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const describe = (at: number) => (at >= text.length ? "the end of the header" : `'${text[at]}'`);

  const readString = (): Result<string> => {
    const q = text[i];
    if (q !== "'" && q !== '"') return err(i, `malformed NPY header at byte ${base + i}: expected a quoted string, found ${describe(i)}`);
    const end = text.indexOf(q, i + 1);
    if (end < 0) return err(i, `malformed NPY header at byte ${base + i}: unterminated string`);
    const s = text.slice(i + 1, end);
    i = end + 1;
    return ok(s);
  };

  const readValue = (): Result<Value> => {
    ws();
    const c = text[i];
    if (c === "'" || c === '"') {
      const s = readString();
      return s.ok ? ok({ kind: "str", v: s.value }) : s;
    }
    if (text.startsWith("True", i)) return ((i += 4), ok({ kind: "bool", v: true }));
    if (text.startsWith("False", i)) return ((i += 5), ok({ kind: "bool", v: false }));
    if (c === "(") {
      i++;
      const dims: number[] = [];
      for (;;) {
        ws();
        if (text[i] === ")") break;
        const m = /^\d+L?/.exec(text.slice(i, i + 24));
        if (m === null) return err(i, `malformed NPY header at byte ${base + i}: expected a whole number in the shape, found ${describe(i)}`);
        const n = Number(m[0].replace("L", ""));
        if (!Number.isSafeInteger(n)) return err(i, `malformed NPY header at byte ${base + i}: dimension ${m[0]} is too large`);
        dims.push(n);
        i += m[0].length;
        ws();
        if (text[i] === ",") i++;
        else if (text[i] !== ")") return err(i, `malformed NPY header at byte ${base + i}: expected ',' or ')' in the shape, found ${describe(i)}`);
      }
      i++;
      return ok({ kind: "tuple", v: dims });
    }
    return err(i, `malformed NPY header at byte ${base + i}: expected a string, True, False or a tuple, found ${describe(i)}`);
  };

  ws();
  if (text[i] !== "{") return err(i, `malformed NPY header at byte ${base + i}: expected '{', found ${describe(i)}`);
  i++;
  const values = new Map<string, { value: Value; at: number }>();
  for (;;) {
    ws();
    if (text[i] === "}") break;
    const keyAt = i;
    const key = readString();
    if (!key.ok) return key;
    if (key.value !== "descr" && key.value !== "fortran_order" && key.value !== "shape") {
      return err(keyAt, `malformed NPY header at byte ${base + keyAt}: unexpected key '${key.value}' (expected descr, fortran_order and shape)`);
    }
    if (values.has(key.value)) return err(keyAt, `malformed NPY header at byte ${base + keyAt}: key '${key.value}' given twice`);
    ws();
    if (text[i] !== ":") return err(i, `malformed NPY header at byte ${base + i}: expected ':' after '${key.value}', found ${describe(i)}`);
    i++;
    ws();
    const at = i;
    const value = readValue();
    if (!value.ok) return value;
    values.set(key.value, { value: value.value, at });
    ws();
    if (text[i] === ",") i++;
    else if (text[i] !== "}") return err(i, `malformed NPY header at byte ${base + i}: expected ',' or '}', found ${describe(i)}`);
  }
  const close = i;
  i++;
  ws();
  if (i < text.length) return err(i, `malformed NPY header at byte ${base + i}: unexpected text after the dictionary`);

  const descr = values.get("descr");
  const fortran = values.get("fortran_order");
  const shape = values.get("shape");
  const missing = [descr ? null : "descr", fortran ? null : "fortran_order", shape ? null : "shape"].filter((k) => k !== null);
  if (missing.length > 0) return err(close, `malformed NPY header at byte ${base + close}: missing key ${missing.map((k) => `'${k}'`).join(", ")}`);
  if (descr!.value.kind !== "str") return err(descr!.at, `malformed NPY header at byte ${base + descr!.at}: 'descr' must be a string such as '<f4'`);
  if (fortran!.value.kind !== "bool") return err(fortran!.at, `malformed NPY header at byte ${base + fortran!.at}: 'fortran_order' must be True or False`);
  if (shape!.value.kind !== "tuple") return err(shape!.at, `malformed NPY header at byte ${base + shape!.at}: 'shape' must be a tuple of whole numbers`);
  return ok({
    descr: descr!.value.v,
    fortranOrder: fortran!.value.v,
    shape: shape!.value.v,
    at: { descr: base + descr!.at, fortran_order: base + fortran!.at, shape: base + shape!.at },
  });
}
