// Lint rules: the recommended sets, plus the house rules from STYLE.md that a machine can check.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "bin/", "bench/results.json", ".pulumi-state/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "no-console": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/prefer-nullish-coalescing": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "max-len": [
        "error",
        { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true },
      ],
    },
  },
  {
    // Command-line tools and tests talk to a terminal; the Pulumi program does not.
    files: ["scripts/**", "status/**", "bench/**", "test/**", ".ci/**"],
    rules: { "no-console": "off" },
  },
);
