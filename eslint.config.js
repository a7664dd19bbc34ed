// ESLint: the recommended JavaScript and TypeScript rules (without type information, so it runs in seconds),
// unused names as errors (a leading underscore marks one kept on purpose). Formatting is Prettier's (.prettierrc.json).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "editors/vscode/dist/", "node_modules/", "targets/onnx/proto/", "test-artifacts/", "native/blas/build/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      // Diagnostics and the printer match control characters on purpose (to show them visibly).
      "no-control-regex": "off",
    },
  },
);
