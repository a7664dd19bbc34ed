/** The public API: the same operations as the command line, returning data. */
export { compile, compileFile, modelNames, type Compilation, type CompileOptions } from "./compile.js";
export { parse, parseValue } from "./syntax/parse.js";
export { format } from "./syntax/format.js";
export { printFile, printExpr, printValue } from "./syntax/printer.js";
export { checkFile, parseOverride, type CheckOptions, type CheckResult, type Override } from "./check/check.js";
export { renderDiagnostic, renderDiagnostics, diagnosticToJson } from "./diagnostics/render.js";
export { CODES, type Code } from "./diagnostics/codes.js";
export type { Diagnostic, Severity, Related } from "./diagnostics/diagnostic.js";
export type { Span, SourceFile } from "./diagnostics/span.js";
export { sourceFile } from "./diagnostics/span.js";
export type * as Ast from "./syntax/ast.js";
export type * as Ir from "./ir/index.js";
