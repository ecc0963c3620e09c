// The content hashes of the build's file names and of their integrity attributes, for
// scripts/split-wasm.mjs and scripts/finish-build.mjs.

import { createHash } from 'node:crypto';

/** 16 hex digits of SHA-256: a file name that changes whenever the file does. */
export const hash = (content) => createHash('sha256').update(content).digest('hex').slice(0, 16);
/** A Subresource Integrity value, as Trunk writes them. */
export const sri = (content) => 'sha384-' + createHash('sha384').update(content).digest('base64');
