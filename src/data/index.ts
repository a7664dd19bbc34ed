/** The data module: built-in and file data as plain typed arrays (no tensor library). */
export type { Dataset, Factors, Split } from "./dataset.js";
export { elementsPerExample, makeDataset, observedRange, subset } from "./dataset.js";
export type { Result } from "./result.js";
export { Rng, isRngState, permutation, shuffleInPlace, type RngState } from "./rng.js";
export { loadData, MAX_GENERATED_VALUES, type LoadOptions } from "./load.js";
export { splitValidation } from "./split.js";
export { dataFacts } from "./facts.js";
export { readHeader, formatFromPath, type DataHeader, type FileFormat } from "./header.js";
export { readDataFile } from "./read-file.js";
export { SPRITE_FACTORS, spriteFactorValue, renderSprite } from "./builtin/sprites.js";
export { lowrankBasis, LOWRANK_NOISE } from "./builtin/lowrank.js";
export { testCountFor } from "./builtin/sizes.js";
