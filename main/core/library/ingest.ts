// Storing the outcome of one ingest: a video's clips and tags, or the reason it failed.
// One transaction per video, so a crash or a bad value halfway leaves the previous state intact.
import type { ClipExtent, MediaInfo, TagKind, TransitionType } from '../../../shared/types.js';
import { writeTx, type Db, type LibraryContext } from './context.js';
import { EMBEDDING_DIM, encodeEmbedding } from './embedding-codec.js';
import { encodeSequence, SEQUENCE_MAX_STEPS } from './sequence-codec.js';
import { sketchOf } from './sketch.js';
import { tagIdLookup } from './tag-ids.js';

export interface IngestClip extends ClipExtent {
  /** JPEG bytes. */
  thumbnail: Buffer | null;
  /** EMBEDDING_DIM floats. */
  embedding: Float32Array | null;
  tags: Array<{ name: string; kind: TagKind; confidence: number }>;
  /** The clip's per-sample embeddings in time order (at most SEQUENCE_MAX_STEPS), for custom tags. */
  sequence?: Float32Array[] | null;
  /** Scores of the library's custom-tag models (by tag id) for this clip; see tag-models.ts. */
  /** Custom tags' scores; with `version`, only while that version of the tag's model is the stored one. */
  tagScores?: Array<{ tagId: number; score: number; version?: number }>;
}

export interface IngestInput {
  path: string;
  fileName: string;
  contentHash: string;
  sizeBytes: number;
  mtimeMs: number;
  info: MediaInfo;
  /** In video order; a clip's position in this array is its idx. */
  clips: IngestClip[];
}

export interface IngestResult {
  mediaId: number;
  clipIds: number[];
}

export interface MediaErrorInput {
  path: string;
  fileName: string;
  sizeBytes: number;
  mtimeMs: number;
  contentHash: string | null;
  error: string;
}

const TRANSITIONS: readonly (TransitionType | null)[] = ['cut', 'dissolve', 'fade', null];

function fail(what: string): never {
  throw new Error(`storeIngest: ${what}`);
}

function checkClip(c: IngestClip, i: number): void {
  const at = `clip ${i}`;
  if (!Number.isFinite(c.start) || !Number.isFinite(c.end) || c.start < 0 || c.end < c.start) {
    fail(`${at} has bad times ${c.start}..${c.end}`);
  }
  if (!Number.isInteger(c.startFrame) || !Number.isInteger(c.endFrame) || c.startFrame < 0 || c.endFrame < c.startFrame) {
    fail(`${at} has bad frames ${c.startFrame}..${c.endFrame}`);
  }
  if (!TRANSITIONS.includes(c.startTransition) || !TRANSITIONS.includes(c.endTransition)) {
    fail(`${at} has an unknown transition`);
  }
  if (c.thumbnail !== null && !Buffer.isBuffer(c.thumbnail)) fail(`${at} thumbnail is not a Buffer`);
  if (c.embedding !== null && (!(c.embedding instanceof Float32Array) || c.embedding.length !== EMBEDDING_DIM)) {
    fail(`${at} embedding must be a Float32Array of ${EMBEDDING_DIM}`);
  }
  for (const t of c.tags) {
    if (!(t.confidence >= 0 && t.confidence <= 1)) fail(`${at} tag "${t.name}" has confidence ${t.confidence}`);
  }
  if (c.sequence != null) {
    if (c.sequence.length === 0 || c.sequence.length > SEQUENCE_MAX_STEPS) fail(`${at} sequence has ${c.sequence.length} steps (1..${SEQUENCE_MAX_STEPS})`);
    if (!c.sequence.every((v) => v instanceof Float32Array && v.length === EMBEDDING_DIM)) fail(`${at} sequence steps must be Float32Arrays of ${EMBEDDING_DIM}`);
  }
  for (const t of c.tagScores ?? []) {
    if (!Number.isInteger(t.tagId) || !(t.score >= 0 && t.score <= 1)) fail(`${at} has a bad tag score ${JSON.stringify(t)}`);
  }
}

function checkFile(input: { path: string; sizeBytes: number; mtimeMs: number; contentHash: string | null }): void {
  if (typeof input.path !== 'string' || input.path.length === 0) fail('path is empty');
  if (!Number.isInteger(input.sizeBytes) || input.sizeBytes < 0) fail(`bad sizeBytes ${input.sizeBytes}`);
  if (!Number.isFinite(input.mtimeMs)) fail(`bad mtimeMs ${input.mtimeMs}`);
  if (input.contentHash !== null && !/^[0-9a-f]{64}$/.test(input.contentHash)) {
    fail('contentHash must be 64 lower-case hex digits');
  }
}

/**
 * Index of the span in `spans` that overlaps `span` the most, or -1 when none overlaps. A
 * zero-length span goes to the span containing it. Ties go to the earlier span.
 */
export function bestOverlap(span: { start: number; end: number }, spans: ReadonlyArray<{ start: number; end: number }>): number {
  let best = -1;
  let bestLen = 0;
  spans.forEach((s, i) => {
    const len = Math.min(span.end, s.end) - Math.max(span.start, s.start);
    const point = span.end === span.start && s.start <= span.start && span.start < s.end;
    if (len > bestLen || (best === -1 && point)) {
      best = i;
      bestLen = len;
    }
  });
  return best;
}

function upsertMedia(
  db: Db,
  m: { path: string; fileName: string; contentHash: string | null; sizeBytes: number; mtimeMs: number },
  status: 'ok' | 'error',
  error: string | null,
  info: MediaInfo | null,
  now: number,
): number {
  return db
    .prepare(
      `INSERT INTO media (path, file_name, content_hash, size_bytes, mtime_ms, status, error, info_json, added_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET file_name = excluded.file_name, content_hash = excluded.content_hash,
         size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, status = excluded.status,
         error = excluded.error, info_json = excluded.info_json, updated_at = excluded.updated_at
       RETURNING id`,
    )
    .pluck()
    .get(m.path, m.fileName, m.contentHash, m.sizeBytes, m.mtimeMs, status, error,
      info === null ? null : JSON.stringify(info), now, now) as number;
}

/**
 * Stores a successfully analysed video in one transaction: the media row (status 'ok'), its clips
 * (replacing any from an earlier ingest), their thumbnails, embeddings and model tags.
 * The user's rows from the earlier clips (tags set by hand and "no"s) move to the new clip that
 * overlaps the old one most in time, and model tags never replace them.
 */
export function storeIngest(ctx: LibraryContext, input: IngestInput): IngestResult {
  const { db } = ctx;
  return writeTx(db, () => {
    checkFile(input);
    const mediaId = upsertMedia(db, input, 'ok', null, input.info, ctx.now());

    const userRows = db
      .prepare(
        `SELECT c.start_sec AS start, c.end_sec AS "end", ct.tag_id AS tagId, ct.confidence AS confidence
         FROM clip_tags ct JOIN clips c ON c.id = ct.clip_id
         WHERE c.media_id = ? AND ct.source = 'user'`,
      )
      .all(mediaId) as Array<{ start: number; end: number; tagId: number; confidence: number }>;
    db.prepare('DELETE FROM clips WHERE media_id = ?').run(mediaId);

    const insertClip = db.prepare(
      `INSERT INTO clips (media_id, idx, start_sec, end_sec, start_frame, end_frame, start_transition, end_transition)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertThumb = db.prepare('INSERT INTO clip_thumbnails (clip_id, jpeg) VALUES (?, ?)');
    const insertEmbedding = db.prepare('INSERT INTO clip_embeddings (clip_id, vector) VALUES (?, ?)');
    const insertSketch = db.prepare('INSERT INTO clip_sketches (clip_id, vector) VALUES (?, ?)');
    const insertSequence = db.prepare('INSERT INTO clip_sequences (clip_id, steps, vectors) VALUES (?, ?, ?)');
    // Scores of a model that was deleted, retrained or never existed since the pipeline read it are
    // dropped; the pipeline scores those clips again with the model stored now.
    const insertScore = db.prepare(
      `INSERT INTO tag_scores (tag_id, clip_id, score)
       SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM tag_models WHERE tag_id = ? AND version = coalesce(?, version))`,
    );
    const clipIds = input.clips.map((c, i) => {
      checkClip(c, i);
      const id = Number(
        insertClip.run(mediaId, i, c.start, c.end, c.startFrame, c.endFrame, c.startTransition, c.endTransition)
          .lastInsertRowid,
      );
      if (c.thumbnail !== null) insertThumb.run(id, c.thumbnail);
      if (c.embedding !== null) {
        insertEmbedding.run(id, encodeEmbedding(c.embedding));
        insertSketch.run(id, encodeEmbedding(sketchOf(c.embedding)));
      }
      if (c.sequence != null) insertSequence.run(id, c.sequence.length, encodeSequence(c.sequence));
      for (const t of c.tagScores ?? []) insertScore.run(t.tagId, id, t.score, t.tagId, t.version ?? null);
      return id;
    });

    // User rows first, so the model inserts below meet them as conflicts and leave them alone.
    // When two old rows for one tag land on the same new clip, the larger overlap wins.
    const carried = new Map<string, { clipId: number; tagId: number; confidence: number; overlap: number }>();
    for (const row of userRows) {
      const i = bestOverlap(row, input.clips);
      const clipId = clipIds[i];
      if (clipId === undefined) continue; // nothing in the new cut overlaps it: the row is dropped
      const clip = input.clips[i]!;
      const overlap = Math.min(row.end, clip.end) - Math.max(row.start, clip.start);
      const key = `${clipId}:${row.tagId}`;
      const prev = carried.get(key);
      if (prev === undefined || overlap > prev.overlap) carried.set(key, { clipId, tagId: row.tagId, confidence: row.confidence, overlap });
    }
    const insertUser = db.prepare("INSERT INTO clip_tags (clip_id, tag_id, confidence, source) VALUES (?, ?, ?, 'user')");
    for (const r of carried.values()) insertUser.run(r.clipId, r.tagId, r.confidence);

    // A model write never touches a user row: the WHERE makes the conflict a no-op for them.
    // A tag listed twice for one clip keeps its highest confidence.
    const insertModel = db.prepare(
      `INSERT INTO clip_tags (clip_id, tag_id, confidence, source) VALUES (?, ?, ?, 'model')
       ON CONFLICT (clip_id, tag_id) DO UPDATE SET confidence = max(confidence, excluded.confidence)
       WHERE source = 'model'`,
    );
    const tagId = tagIdLookup(db);
    input.clips.forEach((c, i) => {
      for (const t of c.tags) insertModel.run(clipIds[i], tagId(t.name, t.kind), t.confidence);
    });
    // Custom tags: a model row where the clip's score reaches the tag's threshold.
    db.prepare(
      `INSERT INTO clip_tags (clip_id, tag_id, confidence, source)
       SELECT s.clip_id, s.tag_id, round(s.score, 3), 'model'
       FROM tag_scores s JOIN tag_models tm ON tm.tag_id = s.tag_id JOIN clips c ON c.id = s.clip_id
       WHERE c.media_id = ? AND s.score >= tm.threshold
       ON CONFLICT (clip_id, tag_id) DO NOTHING`,
    ).run(mediaId);
    return { mediaId, clipIds };
  });
}

/**
 * Records a file that could not be ingested: its media row gets status 'error' and the reason, and
 * loses any clips (a failed file has none). Returns the media id.
 */
export function markMediaError(ctx: LibraryContext, input: MediaErrorInput): number {
  return writeTx(ctx.db, () => {
    checkFile(input);
    const mediaId = upsertMedia(ctx.db, input, 'error', String(input.error), null, ctx.now());
    ctx.db.prepare('DELETE FROM clips WHERE media_id = ?').run(mediaId);
    return mediaId;
  });
}
