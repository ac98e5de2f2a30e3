export * from "./audit.js";
export * from "./claims.js";
export * from "./encounters.js";
export * from "./organizations.js";
export * from "./patients.js";
export * from "./users.js";
export * from "./codesets.js";
export * from "./work.js";
