export type * from "./layers.js";
export type * from "./bottleneck.js";
export type * from "./losses.js";
export type * from "./train.js";
export type * from "./model.js";
export { ACTIVATIONS } from "./layers.js";
