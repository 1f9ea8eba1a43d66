// The library's public API. Table modules are exported as namespaces (media.get(lib, id), ...);
// the same functions are methods on Library (lib.media.get(id), ...).
export { openLibrary, Library, LIBRARY_FILE, APPLICATION_ID, type OpenOptions } from './db.js';
export type { LibraryContext } from './context.js';
export { migrate, schemaVersion, MIGRATIONS, LATEST_VERSION, LibraryVersionError, type Migration } from './migrations.js';
export {
  storeIngest,
  markMediaError,
  type IngestInput,
  type IngestClip,
  type IngestResult,
  type MediaErrorInput,
} from './ingest.js';
export { search, searchCount, toFtsQuery, type SearchOptions } from './search.js';
export type { ClipFilters } from './clip-rows.js';
export { contentHash, CONTENT_HASH_WINDOW } from './content-hash.js';
export { EMBEDDING_DIM } from './embedding-codec.js';
export * as media from './media.js';
export type { StoredMedia } from './media.js';
export * as clips from './clips.js';
export type { ClipListOptions } from './clips.js';
export * as tags from './tags.js';
export type { TagSummary } from './tags.js';
export * as jobs from './jobs.js';
export type { JobRecord, JobClaim, JobStatus, JobKind } from './jobs.js';
export { SimilarIndex, type SimilarHit } from './similar.js';
export { sketchOf, SKETCH_DIM } from './sketch.js';
export { encodeSequence, decodeSequence, spread, SEQUENCE_MAX_STEPS } from './sequence-codec.js';
export * as tagModels from './tag-models.js';
export type { StoredTagModel, TagModelMetrics, TagModelWrite, ClipSequence } from './tag-models.js';
