export { Counter } from "./counter.js";
export { Int, Uint, Float64 } from "./numbers.js";
export { ImmutableString } from "./immutable_string.js";
