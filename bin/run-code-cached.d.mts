// Types for the caches' helpers that TypeScript code shares (src/server/stdio-handshake).
export function runCodeCached(file: string, label: string): unknown;
export function cacheDirectory(): string;
export function cacheFileFor(file: string, name: string, extension?: string): string | undefined;
export function readPrivateFile(cacheFile: string): Buffer | undefined;
export function writePrivateFile(cacheFile: string, data: string | Uint8Array, extension?: string): boolean;
