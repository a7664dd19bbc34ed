import { CompletionItemKind, InsertTextFormat, type CompletionItem } from "vscode-languageserver";
import type { IToken } from "chevrotain";
import { entryNames, signatureOf } from "../check/vocabulary/index.js";
import { TRAIN_SETTINGS } from "../check/vocabulary/train.js";
import type { CallVocabName, Param } from "../check/vocabulary/types.js";
import { SECTION_KEYWORD } from "../syntax/ast.js";
import type { Analysis } from "./analysis.js";
import { lossFormula } from "./loss-formulas.js";
import { defaultText, settingParam, settingVocab, signatureText } from "./vocabulary.js";

/**
 * Completion from the tokens before the cursor, so that it works on text the
 * parser cannot read yet (`encoder { dense(` ...): the open brackets say
 * which block or call the cursor is in, the last tokens what may come next.
 * Only what is valid there is offered: no layers inside `train`, a call's
 * keyword arguments not yet given, a setting's own values.
 */

type Block =
  | { readonly kind: "model"; readonly name: string | null }
  | { readonly kind: "layers" | "loss" | "ladder" | "train" | "shape" | "other" }
  | { readonly kind: "call"; readonly vocab: CallVocabName | null; readonly callee: string; readonly open: number };

const SECTION_WORDS = Object.values(SECTION_KEYWORD) as string[];
const SECTION_VOCAB: Readonly<Record<string, CallVocabName>> = { bottleneck: "bottleneck", corrupt: "corruption", prior: "prior" };

export function completion(a: Analysis, offset: number): CompletionItem[] {
  const tokens = a.lexed().tokens.filter((t) => t.startOffset < offset);
  // The word being typed is not context: what stands before it is.
  const last = tokens[tokens.length - 1];
  if (last !== undefined && last.startOffset + last.image.length >= offset && /^[A-Za-z_]/.test(last.image)) tokens.pop();
  const stack = blocks(tokens);
  const top = stack[stack.length - 1];
  const prev = tokens[tokens.length - 1];
  const prev2 = tokens[tokens.length - 2];
  const prevIs = (s: string) => prev?.image === s;

  if (top === undefined) {
    if (prevIs("extends")) return modelNames(a, tokens);
    if (prevIs("model") || prevIs("let") || prevIs("=")) return prevIs("=") ? letItems(a) : [];
    return [keyword("model", "model ${1:name} {\n\t$0\n}"), keyword("let", "let ${1:name} = $0")];
  }
  switch (top.kind) {
    case "model": {
      if (prevIs(":") && prev2 !== undefined && Object.hasOwn(SECTION_VOCAB, prev2.image)) return vocabItems(SECTION_VOCAB[prev2.image]!);
      if (prevIs(":") || prevIs("in") || prevIs("extends")) return [];
      return sectionItems(a, top.name);
    }
    case "layers":
      return vocabItems("layer");
    case "loss":
      return vocabItems("loss");
    case "ladder":
      return vocabItems("ladderLevel");
    case "train": {
      if (prevIs(":") && prev2 !== undefined) {
        const p = settingParam(prev2.image);
        return p !== undefined ? valueItems(a, p) : [];
      }
      return settingItems(tokens);
    }
    case "shape":
      return letItems(a);
    case "call":
      return argumentItems(a, top, tokens);
    case "other":
      return [];
  }
}

/** The brackets open before the cursor, each with what it holds. */
function blocks(tokens: readonly IToken[]): Block[] {
  const stack: Block[] = [];
  let section: string | null = null;
  let modelName: string | null = null;
  tokens.forEach((t, i) => {
    const s = t.image;
    // As the parser will see it once the user closes what is open (src/syntax/close-groups.ts):
    // `model` and `let` stand at the top level, a section keyword directly in its model.
    if (s === "model" || s === "let") stack.length = 0;
    if (SECTION_WORDS.includes(s)) {
      while (stack.length > 1) stack.pop();
      section = s;
    }
    if (s === "model") modelName = tokens[i + 1]?.image ?? null;
    const top = stack[stack.length - 1];
    if (s === "{") {
      if (top === undefined) stack.push({ kind: "model", name: modelName });
      else if (top.kind === "model")
        stack.push({
          kind:
            section === "encoder" || section === "decoder"
              ? "layers"
              : section === "loss"
                ? "loss"
                : section === "train"
                  ? "train"
                  : section === "bottleneck"
                    ? "ladder"
                    : "other",
        });
      else if (top.kind === "loss") stack.push({ kind: "layers" });
      else stack.push({ kind: "other" });
    } else if (s === "(") {
      const callee = tokens[i - 1];
      if (callee === undefined || !/^[A-Za-z_]/.test(callee.image)) stack.push({ kind: "other" });
      else stack.push({ kind: "call", vocab: callVocab(stack, section, tokens, i - 1), callee: callee.image, open: i });
    } else if (s === "[") stack.push({ kind: "shape" });
    else if (s === "}" || s === ")" || s === "]") {
      const want = s === "}" ? ["model", "layers", "loss", "ladder", "train", "other"] : s === ")" ? ["call", "other"] : ["shape", "other"];
      // A closer closes the innermost group of its kind and whatever was left open inside it.
      for (let k = stack.length - 1; k >= 0; k--) {
        if (want.includes(stack[k]!.kind)) {
          stack.length = k;
          break;
        }
      }
      if (stack.length === 0) section = null;
    }
  });
  return stack;
}

/** The vocabulary of the call whose name is token `at`, from where it stands. */
function callVocab(stack: readonly Block[], section: string | null, tokens: readonly IToken[], at: number): CallVocabName | null {
  const top = stack[stack.length - 1];
  if (top === undefined) return null;
  const before = tokens[at - 1]?.image;
  if (top.kind === "layers") return "layer";
  if (top.kind === "loss") return "loss";
  if (top.kind === "ladder") return "ladderLevel";
  if (top.kind === "model" && before === ":" && section !== null) return SECTION_VOCAB[section] ?? null;
  if (top.kind === "train" && before === ":") {
    return settingVocab(tokens[at - 2]?.image ?? "");
  }
  return null;
}

function argumentItems(a: Analysis, call: Extract<Block, { kind: "call" }>, tokens: readonly IToken[]): CompletionItem[] {
  const signature = call.vocab !== null ? signatureOf(call.vocab, call.callee) : undefined;
  if (signature === undefined) return letItems(a);
  // The arguments written so far at this call's depth.
  const written = new Set<string>();
  let depth = 0;
  let commas = 0;
  for (let i = call.open + 1; i < tokens.length; i++) {
    const s = tokens[i]!.image;
    if (s === "(" || s === "[" || s === "{") depth++;
    else if (s === ")" || s === "]" || s === "}") depth--;
    else if (depth === 0 && s === ",") commas++;
    else if (depth === 0 && s === ":" && i > 0) written.add(tokens[i - 1]!.image);
  }
  const prev = tokens[tokens.length - 1]!;
  if (prev.image === ":") {
    const p = signature.params.find((q) => q.name === tokens[tokens.length - 2]?.image);
    return p !== undefined ? valueItems(a, p) : [];
  }
  if (prev.image !== "(" && prev.image !== ",") return [];
  const named = signature.params
    .filter((p) => !written.has(p.name))
    .map((p): CompletionItem => {
      const d = defaultText(p.default);
      return {
        label: `${p.name}:`,
        kind: CompletionItemKind.Property,
        detail: d !== null ? `default ${d}` : p.default.kind === "required" ? "required" : "optional",
        insertText: `${p.name}: `,
        sortText: `0${p.name}`,
      };
    });
  // Positional arguments come first: the first `commas - written` parameters were given by position.
  const byPosition = new Set(signature.params.slice(0, Math.max(0, commas - written.size)).map((p) => `${p.name}:`));
  const positional = written.size === 0 ? signature.params[commas] : undefined;
  return [...named.filter((n) => !byPosition.has(n.label)), ...(positional !== undefined ? valueItems(a, positional) : [])];
}

/** What a parameter's value may be: its enum's words, true and false, its vocabulary's calls, the lets. */
function valueItems(a: Analysis, p: Param): CompletionItem[] {
  const t = p.type;
  switch (t.kind) {
    case "enum":
      return t.values.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, detail: `${p.name}${defaultText(p.default) === v ? " (default)" : ""}` }));
    case "bool":
      return ["true", "false"].map((v) => ({ label: v, kind: CompletionItemKind.Keyword }));
    case "call": {
      const vocab = (TRAIN_SETTINGS as readonly Param[]).includes(p) ? settingVocab(p.name) : t.vocab;
      return vocab === null ? [] : vocabItems(vocab);
    }
    case "int":
    case "number":
    case "shape":
      return letItems(a);
  }
}

function vocabItems(vocab: CallVocabName): CompletionItem[] {
  return entryNames(vocab).map((name) => {
    const s = signatureOf(vocab, name)!;
    const formula = vocab === "loss" ? lossFormula(name) : undefined;
    return {
      label: name,
      kind: vocab === "data" ? CompletionItemKind.Value : CompletionItemKind.Function,
      detail: signatureText(name, s),
      ...(formula !== undefined ? { documentation: formula } : {}),
    };
  });
}

function sectionItems(a: Analysis, model: string | null): CompletionItem[] {
  const m = a.ast.items.find((i) => i.kind === "Model" && i.name.name === model);
  const present = new Set<string>(m?.kind === "Model" ? m.sections.map((s) => SECTION_KEYWORD[s.kind]) : []);
  return SECTION_WORDS.map((w) => ({
    label: w,
    kind: CompletionItemKind.Keyword,
    detail: present.has(w) ? "section (already written)" : "section",
    sortText: `${present.has(w) ? 1 : 0}${w}`,
  }));
}

function settingItems(tokens: readonly IToken[]): CompletionItem[] {
  // Settings already written in this block: a NAME before `:` since its `{`.
  let open = tokens.length - 1;
  while (open >= 0 && tokens[open]!.image !== "{") open--;
  const written = new Set<string>();
  let dataFile = false;
  for (let i = open + 1; i < tokens.length - 1; i++) {
    if (tokens[i + 1]!.image !== ":") continue;
    written.add(tokens[i]!.image);
    if (tokens[i]!.image === "data") dataFile = tokens[i + 2]?.image.startsWith('"') ?? false;
  }
  // A test file goes only with a data file.
  return TRAIN_SETTINGS.filter((p) => !written.has(p.name) && (p.name !== "test" || dataFile)).map((p) => {
    const d = defaultText(p.default);
    return { label: p.name, kind: CompletionItemKind.Property, detail: d !== null ? `default ${d}` : "optional", insertText: `${p.name}: ` };
  });
}

function letItems(a: Analysis): CompletionItem[] {
  return a.lets.names().map((name) => ({ label: name, kind: CompletionItemKind.Variable, detail: "let" }));
}

function modelNames(a: Analysis, tokens: readonly IToken[]): CompletionItem[] {
  const self = tokens[tokens.length - 2]?.image;
  return a.ast.items.flatMap((i) =>
    i.kind === "Model" && i.name.name !== self ? [{ label: i.name.name, kind: CompletionItemKind.Class, detail: "model" }] : [],
  );
}

function keyword(label: string, snippet: string): CompletionItem {
  return { label, kind: CompletionItemKind.Keyword, insertText: snippet, insertTextFormat: InsertTextFormat.Snippet };
}
