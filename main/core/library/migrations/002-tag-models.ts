// Version 2: what custom tags and "more like this" need. Frozen once released.
//
// - clip_sequences: each clip's per-sample CNN embeddings (the custom-tag LSTM heads read them as a
//   sequence), int8-quantised with one float32 scale per step: 1.8 KB a step instead of 7 KB.
// - clip_sketches: a 128-d random projection of the clip's mean embedding, the in-memory index
//   "more like this" scans before it re-ranks the best candidates on the full vectors.
// - tag_models: a custom tag's trained head (tfjs topology + weights), its threshold and its
//   cross-validated quality. Lives in the library, so a copied library keeps its tags.
// - tag_scores: the head's score for every clip; clip_tags holds model rows only for the clips at
//   or above the threshold, so moving the threshold is a SQL statement, not another model run.
import type { Migration } from '../migrations.js';

const SQL = `
CREATE TABLE clip_sequences (
  clip_id  INTEGER PRIMARY KEY REFERENCES clips (id) ON DELETE CASCADE,
  steps    INTEGER NOT NULL CHECK (steps > 0),
  -- per step: float32 LE scale, then dim int8 values (value = int8 * scale)
  vectors  BLOB    NOT NULL CHECK (length(vectors) % steps = 0)
) STRICT;

CREATE TABLE clip_sketches (
  clip_id  INTEGER PRIMARY KEY REFERENCES clips (id) ON DELETE CASCADE,
  -- float32 LE, L2-normalised
  vector   BLOB    NOT NULL CHECK (length(vector) % 4 = 0)
) STRICT;

-- Bumped by every write to clip_sketches, so an in-memory index knows when it is stale, across
-- processes too (a rowid-based check would miss a delete followed by an insert that reuses ids).
CREATE TABLE sketch_generation (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  generation  INTEGER NOT NULL
) STRICT;
INSERT INTO sketch_generation (id, generation) VALUES (1, 0);
CREATE TRIGGER clip_sketches_insert AFTER INSERT ON clip_sketches
BEGIN
  UPDATE sketch_generation SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER clip_sketches_delete AFTER DELETE ON clip_sketches
BEGIN
  UPDATE sketch_generation SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER clip_sketches_update AFTER UPDATE ON clip_sketches
BEGIN
  UPDATE sketch_generation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TABLE tag_models (
  tag_id        INTEGER PRIMARY KEY REFERENCES tags (id) ON DELETE CASCADE,
  threshold     REAL    NOT NULL CHECK (threshold >= 0 AND threshold <= 1),
  -- tfjs model topology and weight specs
  model_json    TEXT    NOT NULL CHECK (json_valid(model_json)),
  weights       BLOB    NOT NULL,
  -- examples used, cross-validated precision / recall, training settings
  metrics_json  TEXT    NOT NULL CHECK (json_valid(metrics_json)),
  -- how many times this tag was trained; tag_scores rows carry the version that wrote them
  version       INTEGER NOT NULL CHECK (version > 0),
  trained_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE tag_scores (
  tag_id   INTEGER NOT NULL REFERENCES tag_models (tag_id) ON DELETE CASCADE,
  clip_id  INTEGER NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
  score    REAL    NOT NULL CHECK (score >= 0 AND score <= 1),
  PRIMARY KEY (tag_id, clip_id)
) STRICT, WITHOUT ROWID;
-- the review view walks a tag's clips by score; deleting a clip finds its scores
CREATE INDEX tag_scores_rank ON tag_scores (tag_id, score);
CREATE INDEX tag_scores_clip ON tag_scores (clip_id);
`;

export const migration002: Migration = {
  version: 2,
  name: 'tag-models',
  up(db) {
    db.exec(SQL);
  },
};
