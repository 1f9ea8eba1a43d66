// Custom tags' trained models and their scores. A model and every score it gave are written in one
// transaction (a kill mid-training leaves the previous model and tags as they were), and clip_tags
// gets a model row only where a score reaches the threshold. User rows always win: they are never
// replaced, and a clip the user judged is neither re-tagged nor offered for review again.
import { qualityAt } from '../../../shared/tag-quality.js';
import type { TagModelInfo, TagQuality } from '../../../shared/types.js';
import { writeTx, type Db, type LibraryContext } from './context.js';
import { decodeEmbedding } from './embedding-codec.js';
import { decodeSequence } from './sequence-codec.js';
import { normalizeTagName, tagIdLookup } from './tag-ids.js';

/** What a training stores beside the weights (metrics_json). */
export interface TagModelMetrics {
  quality: TagQuality;
  suggestedThreshold: number;
  examples: TagModelInfo['examples'];
  heldOut: Array<[number, number]>;
  /** Anything else worth keeping with the model: settings, timings. */
  training: Record<string, number | string>;
}

export interface StoredTagModel {
  tagId: number;
  name: string;
  threshold: number;
  /** tfjs model topology and weight specs (JSON). */
  modelJson: string;
  weights: Buffer;
  metrics: TagModelMetrics;
  version: number;
  trainedAt: number;
}

export interface TagModelWrite {
  name: string;
  threshold: number;
  modelJson: string;
  weights: Buffer;
  metrics: TagModelMetrics;
  /** The new model's score for each clip it scored. */
  scores: { clipIds: ArrayLike<number>; scores: ArrayLike<number> };
}

/** A clip's sequence of embeddings, as the heads read it. */
export interface ClipSequence {
  clipId: number;
  steps: Float32Array[];
}

const MODEL_COLUMNS = `tm.tag_id AS tagId, t.name AS name, tm.threshold AS threshold, tm.model_json AS modelJson,
  tm.weights AS weights, tm.metrics_json AS metricsJson, tm.version AS version, tm.trained_at AS trainedAt`;

type ModelRow = Omit<StoredTagModel, 'metrics'> & { metricsJson: string };

function fromRow(r: ModelRow): StoredTagModel {
  const { metricsJson, ...rest } = r;
  return { ...rest, metrics: JSON.parse(metricsJson) as TagModelMetrics };
}

function customTagId(db: Db, name: string): number | undefined {
  return db.prepare("SELECT id FROM tags WHERE name = ? AND kind = 'custom'").pluck().get(normalizeTagName(name)) as number | undefined;
}

export function get(ctx: LibraryContext, name: string): StoredTagModel | undefined {
  const row = ctx.db
    .prepare(`SELECT ${MODEL_COLUMNS} FROM tag_models tm JOIN tags t ON t.id = tm.tag_id WHERE t.name = ? AND t.kind = 'custom'`)
    .get(normalizeTagName(name)) as ModelRow | undefined;
  return row && fromRow(row);
}

/** Every trained custom tag, by name. */
export function list(ctx: LibraryContext): StoredTagModel[] {
  return (ctx.db.prepare(`SELECT ${MODEL_COLUMNS} FROM tag_models tm JOIN tags t ON t.id = tm.tag_id ORDER BY t.name`).all() as ModelRow[]).map(fromRow);
}

export function info(ctx: LibraryContext, name: string): TagModelInfo | undefined {
  const m = get(ctx, name);
  return m && toInfo(ctx.db, m);
}

export function infos(ctx: LibraryContext): TagModelInfo[] {
  return list(ctx).map((m) => toInfo(ctx.db, m));
}

function toInfo(db: Db, m: StoredTagModel): TagModelInfo {
  const counts = db
    .prepare(
      `SELECT count(*) AS scored,
         (SELECT count(*) FROM clip_tags WHERE tag_id = ? AND source = 'model') AS tagged
       FROM tag_scores WHERE tag_id = ?`,
    )
    .get(m.tagId, m.tagId) as { scored: number; tagged: number };
  return {
    name: m.name,
    threshold: m.threshold,
    suggestedThreshold: m.metrics.suggestedThreshold,
    quality: qualityAt(m.metrics.heldOut, m.threshold, m.metrics.quality.folds),
    heldOut: m.metrics.heldOut,
    examples: m.metrics.examples,
    tagged: counts.tagged,
    scored: counts.scored,
    version: m.version,
    trainedAt: m.trainedAt,
  };
}

/** The clips the user tagged with `name` (custom) by hand, and those they said "not this" for. */
export function examples(ctx: LibraryContext, name: string): { positives: number[]; negatives: number[] } {
  const tagId = customTagId(ctx.db, name);
  if (tagId === undefined) return { positives: [], negatives: [] };
  const rows = ctx.db
    .prepare("SELECT clip_id AS clipId, confidence FROM clip_tags WHERE tag_id = ? AND source = 'user' ORDER BY clip_id")
    .all(tagId) as Array<{ clipId: number; confidence: number }>;
  return { positives: rows.filter((r) => r.confidence === 1).map((r) => r.clipId), negatives: rows.filter((r) => r.confidence === 0).map((r) => r.clipId) };
}

/**
 * Sequences of clips in id order, `batch` at a time, from `afterId` on (all clips when ids is
 * undefined, else only those). A clip ingested before sequences were stored (library version 1)
 * reads as the one step of its mean embedding; a clip with neither is skipped.
 */
export function sequences(ctx: LibraryContext, opts: { ids?: readonly number[]; afterId?: number; limit?: number } = {}): ClipSequence[] {
  const filter = opts.ids === undefined ? '' : 'AND c.id IN (SELECT value FROM json_each(?))';
  const args: unknown[] = [opts.afterId ?? 0];
  if (opts.ids !== undefined) args.push(JSON.stringify(opts.ids));
  args.push(opts.limit ?? -1);
  const rows = ctx.db
    .prepare(
      `SELECT c.id AS clipId, s.steps AS steps, s.vectors AS vectors, e.vector AS mean
       FROM clips c LEFT JOIN clip_sequences s ON s.clip_id = c.id LEFT JOIN clip_embeddings e ON e.clip_id = c.id
       WHERE c.id > ? ${filter} AND (s.clip_id IS NOT NULL OR e.clip_id IS NOT NULL)
       ORDER BY c.id LIMIT ?`,
    )
    .all(...args) as Array<{ clipId: number; steps: number | null; vectors: Buffer | null; mean: Buffer | null }>;
  return rows.map((r) => ({
    clipId: r.clipId,
    steps: r.vectors !== null && r.steps !== null ? decodeSequence(r.vectors, r.steps) : [decodeEmbedding(r.mean!)],
  }));
}

/**
 * Stores a trained model with every score it gave, replacing the tag's previous model, scores and
 * model rows, in one transaction. Returns the new version.
 */
export function save(ctx: LibraryContext, m: TagModelWrite): number {
  checkThreshold(m.threshold);
  if (m.scores.clipIds.length !== m.scores.scores.length) throw new Error('tag model scores: clip ids and scores differ in length');
  const { db } = ctx;
  return writeTx(db, () => {
    const tagId = tagIdLookup(db)(m.name, 'custom');
    const version =
      ((db.prepare('SELECT version FROM tag_models WHERE tag_id = ?').pluck().get(tagId) as number | undefined) ?? 0) + 1;
    db.prepare(
      `INSERT INTO tag_models (tag_id, threshold, model_json, weights, metrics_json, version, trained_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tag_id) DO UPDATE SET threshold = excluded.threshold, model_json = excluded.model_json,
         weights = excluded.weights, metrics_json = excluded.metrics_json, version = excluded.version,
         trained_at = excluded.trained_at`,
    ).run(tagId, m.threshold, m.modelJson, m.weights, JSON.stringify(m.metrics), version, ctx.now());
    db.prepare('DELETE FROM tag_scores WHERE tag_id = ?').run(tagId);
    // Clips deleted since the training read them are skipped rather than failing the save.
    const insert = db.prepare('INSERT INTO tag_scores (tag_id, clip_id, score) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM clips WHERE id = ?)');
    for (let i = 0; i < m.scores.clipIds.length; i++) {
      const clipId = m.scores.clipIds[i]!;
      insert.run(tagId, clipId, clamp01(m.scores.scores[i]!), clipId);
    }
    materialize(db, tagId);
    return version;
  });
}

/** A clip's score by one version of a tag's model. */
export interface VersionedScore {
  clipId: number;
  tagId: number;
  /** The model version that gave it: a score of any other version than the stored one is stale. */
  version: number;
  score: number;
}

/**
 * Scores for clips the stored models had not scored (ingested while a tag trained), with a model
 * row where one reaches its tag's threshold (user rows still win). A score of a version that is
 * no longer stored, or for a clip that has gone or was scored meanwhile, is skipped. Returns how
 * many were stored.
 */
export function addScores(ctx: LibraryContext, scores: readonly VersionedScore[]): number {
  const { db } = ctx;
  return writeTx(db, () => {
    const insert = db.prepare(
      `INSERT INTO tag_scores (tag_id, clip_id, score)
       SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM tag_models WHERE tag_id = ? AND version = ?) AND EXISTS (SELECT 1 FROM clips WHERE id = ?)
       ON CONFLICT (tag_id, clip_id) DO NOTHING`,
    );
    const tagRow = db.prepare(
      `INSERT INTO clip_tags (clip_id, tag_id, confidence, source)
       SELECT s.clip_id, s.tag_id, round(s.score, 3), 'model' FROM tag_scores s JOIN tag_models tm ON tm.tag_id = s.tag_id
       WHERE s.tag_id = ? AND s.clip_id = ? AND s.score >= tm.threshold
       ON CONFLICT (clip_id, tag_id) DO NOTHING`,
    );
    let stored = 0;
    for (const s of scores) {
      if (insert.run(s.tagId, s.clipId, clamp01(s.score), s.tagId, s.version, s.clipId).changes === 0) continue;
      tagRow.run(s.tagId, s.clipId);
      stored++;
    }
    return stored;
  });
}

/** Every score of the tag's model, with the file name of the clip's video. */
export function scores(ctx: LibraryContext, name: string): Array<{ clipId: number; score: number; fileName: string }> {
  const tagId = customTagId(ctx.db, name);
  if (tagId === undefined) return [];
  return ctx.db
    .prepare(
      `SELECT s.clip_id AS clipId, s.score AS score, m.file_name AS fileName
       FROM tag_scores s JOIN clips c ON c.id = s.clip_id JOIN media m ON m.id = c.media_id WHERE s.tag_id = ?`,
    )
    .all(tagId) as Array<{ clipId: number; score: number; fileName: string }>;
}

/** Those of clipIds that some trained tag has no score for yet, in id order. */
export function unscoredAmong(ctx: LibraryContext, clipIds: readonly number[]): number[] {
  if (clipIds.length === 0) return [];
  return ctx.db
    .prepare(
      `SELECT DISTINCT c.id FROM clips c JOIN tag_models tm
       WHERE c.id IN (SELECT value FROM json_each(?))
         AND NOT EXISTS (SELECT 1 FROM tag_scores s WHERE s.tag_id = tm.tag_id AND s.clip_id = c.id)
       ORDER BY c.id`,
    )
    .pluck()
    .all(JSON.stringify(clipIds)) as number[];
}

/** Clips no score of the tag's model covers yet (ids only), in id order. */
export function unscored(ctx: LibraryContext, name: string): number[] {
  const tagId = customTagId(ctx.db, name);
  if (tagId === undefined) return [];
  return ctx.db
    .prepare('SELECT c.id FROM clips c WHERE NOT EXISTS (SELECT 1 FROM tag_scores s WHERE s.tag_id = ? AND s.clip_id = c.id) ORDER BY c.id')
    .pluck()
    .all(tagId) as number[];
}

/** Moves the tag's threshold and re-derives its model rows from the stored scores (no model runs). */
export function setThreshold(ctx: LibraryContext, name: string, threshold: number): void {
  checkThreshold(threshold);
  writeTx(ctx.db, () => {
    const tagId = customTagId(ctx.db, name);
    const changed = tagId === undefined ? 0 : ctx.db.prepare('UPDATE tag_models SET threshold = ? WHERE tag_id = ?').run(threshold, tagId).changes;
    if (changed === 0) throw new Error(`no trained custom tag "${name}"`);
    materialize(ctx.db, tagId!);
  });
}

/** Deletes a tag's model, its scores and its model rows; the user's rows stay. */
export function remove(ctx: LibraryContext, name: string): boolean {
  return writeTx(ctx.db, () => {
    const tagId = customTagId(ctx.db, name);
    if (tagId === undefined) return false;
    ctx.db.prepare("DELETE FROM clip_tags WHERE tag_id = ? AND source = 'model'").run(tagId);
    return ctx.db.prepare('DELETE FROM tag_models WHERE tag_id = ?').run(tagId).changes > 0;
  });
}

/** How close two scores must be to count as equally uncertain, so that likeness decides between them. */
export const UNCERTAINTY_STEP = 0.05;

/**
 * Scored clips the user has not judged for this tag. 'confidence': highest score first.
 * 'uncertain' (active learning: the answers that teach the model most): nearest the threshold
 * first, in steps of UNCERTAINTY_STEP; within a step, the clips that look most like the user's
 * examples (`likeness`, when given). A head trained on a few examples is sure of almost every
 * clip (scores near 0 or 1), and then this is what still brings up the clips of the tag it
 * rejects because they look unlike anything it was shown (another shot of the same scene).
 */
export function review(
  ctx: LibraryContext,
  name: string,
  order: 'uncertain' | 'confidence',
  limit: number,
  likeness?: ReadonlyMap<number, number>,
): Array<{ clipId: number; score: number }> {
  const m = get(ctx, name);
  if (!m) return [];
  const unjudged = `FROM tag_scores s WHERE s.tag_id = ?
    AND NOT EXISTS (SELECT 1 FROM clip_tags u WHERE u.clip_id = s.clip_id AND u.tag_id = ? AND u.source = 'user')`;
  if (order === 'confidence') {
    return ctx.db.prepare(`SELECT s.clip_id AS clipId, s.score AS score ${unjudged} ORDER BY s.score DESC, s.clip_id LIMIT ?`).all(m.tagId, m.tagId, limit) as Array<{ clipId: number; score: number }>;
  }
  const rows = ctx.db.prepare(`SELECT s.clip_id AS clipId, s.score AS score ${unjudged}`).all(m.tagId, m.tagId) as Array<{ clipId: number; score: number }>;
  const step = (score: number) => Math.round(Math.abs(score - m.threshold) / UNCERTAINTY_STEP);
  const like = (id: number) => likeness?.get(id) ?? -1;
  return rows.sort((a, b) => step(a.score) - step(b.score) || like(b.clipId) - like(a.clipId) || a.clipId - b.clipId).slice(0, limit);
}

/** The tag's model rows, exactly the scores at or above its threshold; user rows are left alone. */
function materialize(db: Db, tagId: number): void {
  db.prepare("DELETE FROM clip_tags WHERE tag_id = ? AND source = 'model'").run(tagId);
  db.prepare(
    `INSERT INTO clip_tags (clip_id, tag_id, confidence, source)
     SELECT s.clip_id, s.tag_id, round(s.score, 3), 'model' FROM tag_scores s JOIN tag_models tm ON tm.tag_id = s.tag_id
     WHERE s.tag_id = ? AND s.score >= tm.threshold
     ON CONFLICT (clip_id, tag_id) DO NOTHING`,
  ).run(tagId);
}

function checkThreshold(t: number): void {
  if (!(t >= 0 && t <= 1)) throw new Error(`threshold ${t} is outside 0..1`);
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
