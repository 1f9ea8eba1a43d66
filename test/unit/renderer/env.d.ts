// The renderer tests run in jsdom: DOM types for them, and Svelte's ambient types (runes in the
// *.svelte.ts stores they import, `*.svelte` modules) for the root type-check, which checks test/.
/// <reference lib="dom" />
/// <reference types="svelte" />
/// <reference types="@testing-library/jest-dom/vitest" />
