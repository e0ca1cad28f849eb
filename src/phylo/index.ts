// Species trees (neighbour joining, Newick) and species maps from model distances: re-exports only.
export * from "./tree.js";
export * from "./species-map.js";
