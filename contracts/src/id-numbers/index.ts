export * from "./compact-date.ts";
export * from "./foreign-permanent-id-2017.ts";
export * from "./foreign-permanent-id-2023.ts";
export * from "./gb11643.ts";
export * from "./id-number-failure.ts";
export * from "./province-codes.ts";
export * from "./social-credit-code.ts";
