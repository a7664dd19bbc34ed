/** aespec's version: `aespec --version`, the language server's, and what a run records it was trained by. */
export const AESPEC_VERSION = "0.1.0";
