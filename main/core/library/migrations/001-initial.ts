// Version 1: the initial schema. Frozen: change the schema with a new numbered file instead.
import type { Migration } from '../migrations.js';

// "Reel" in ASCII, so openLibrary can tell a Reeltag library from any other SQLite file.
const APPLICATION_ID = 0x5265656c;

// A clip's searchable tag text: every tag on it except the user's "no" rows (source 'user',
// confidence 0). Spelled out once here because three triggers below use it.
const LIVE_TAG_NAMES = `(
  SELECT coalesce(group_concat(t.name, ' '), '')
  FROM clip_tags ct JOIN tags t ON t.id = ct.tag_id
  WHERE ct.clip_id = clip_search.rowid AND NOT (ct.source = 'user' AND ct.confidence = 0)
)`;

const SQL = `
PRAGMA application_id = ${APPLICATION_ID};

-- STRICT everywhere: a float where an integer belongs, or text in a number column, is an error
-- at write time rather than a surprise at read time.
CREATE TABLE media (
  id            INTEGER PRIMARY KEY,
  path          TEXT    NOT NULL UNIQUE,
  file_name     TEXT    NOT NULL,
  -- sampled sha-256, see content-hash.ts; NULL when the file could not be read
  content_hash  TEXT    CHECK (content_hash IS NULL OR (length(content_hash) = 64 AND content_hash NOT GLOB '*[^0-9a-f]*')),
  size_bytes    INTEGER NOT NULL CHECK (size_bytes >= 0),
  -- fs.Stats.mtimeMs is fractional
  mtime_ms      REAL    NOT NULL,
  status        TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ok', 'error')),
  error         TEXT,
  info_json     TEXT    CHECK (info_json IS NULL OR json_valid(info_json)),
  added_at      INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX media_content_hash ON media (content_hash);

CREATE TABLE clips (
  id                INTEGER PRIMARY KEY,
  media_id          INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
  idx               INTEGER NOT NULL CHECK (idx >= 0),
  start_sec         REAL    NOT NULL CHECK (start_sec >= 0),
  end_sec           REAL    NOT NULL CHECK (end_sec >= start_sec),
  start_frame       INTEGER NOT NULL CHECK (start_frame >= 0),
  end_frame         INTEGER NOT NULL CHECK (end_frame >= start_frame),
  start_transition  TEXT    CHECK (start_transition IN ('cut', 'dissolve', 'fade')),
  end_transition    TEXT    CHECK (end_transition IN ('cut', 'dissolve', 'fade')),
  -- also the index behind the media_id foreign key and the (media, idx) listing order
  UNIQUE (media_id, idx)
) STRICT;

-- Thumbnails and embeddings sit in 1:1 side tables, not in clips: a 7 KB embedding or a 20 KB
-- jpeg inline puts up to a page of payload on every clip's leaf cell, and listing, filtering and
-- search joins would then read ~100x more pages. Keyed by the clip's rowid: one b-tree lookup.
CREATE TABLE clip_thumbnails (
  clip_id  INTEGER PRIMARY KEY REFERENCES clips (id) ON DELETE CASCADE,
  jpeg     BLOB    NOT NULL
) STRICT;

CREATE TABLE clip_embeddings (
  clip_id  INTEGER PRIMARY KEY REFERENCES clips (id) ON DELETE CASCADE,
  -- float32 little-endian; the dimension is checked by the writer, not here, so a new model
  -- does not need a table rebuild
  vector   BLOB    NOT NULL CHECK (length(vector) % 4 = 0)
) STRICT;

CREATE TABLE tags (
  id    INTEGER PRIMARY KEY,
  -- NOCASE: "Dog" typed by the user is the model's "dog"
  name  TEXT    NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
  kind  TEXT    NOT NULL CHECK (kind IN ('object', 'rating', 'transition', 'attribute', 'custom')),
  UNIQUE (name, kind)
) STRICT;

-- One row per (clip, tag). source 'user' rows are the user's word and the model never overwrites
-- them: confidence 1 = "user says yes", confidence 0 = "user says no" (a removal that must survive
-- re-ingests). Model rows hold the model's confidence.
CREATE TABLE clip_tags (
  clip_id     INTEGER NOT NULL REFERENCES clips (id) ON DELETE CASCADE,
  tag_id      INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  confidence  REAL    NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  source      TEXT    NOT NULL CHECK (source IN ('model', 'user')),
  PRIMARY KEY (clip_id, tag_id),
  CHECK (source = 'model' OR confidence IN (0, 1))
) STRICT, WITHOUT ROWID;
-- (tag_id, source, confidence) + the primary key: covers "clips with tag X" and per-tag counts,
-- user "no" rows included, without touching the table.
CREATE INDEX clip_tags_tag ON clip_tags (tag_id, source, confidence);

-- Last line of defence behind the write functions: no statement may turn a user row into a model row.
CREATE TRIGGER clip_tags_keep_user BEFORE UPDATE ON clip_tags
WHEN OLD.source = 'user' AND NEW.source = 'model'
BEGIN
  SELECT RAISE(ABORT, 'a model write cannot overwrite a user tag');
END;

-- A persistent ingest queue; it survives crashes (running jobs go back to pending at start-up).
CREATE TABLE jobs (
  id          INTEGER PRIMARY KEY,
  kind        TEXT    NOT NULL DEFAULT 'ingest' CHECK (kind IN ('ingest')),
  path        TEXT    NOT NULL,
  status      TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'error')),
  error       TEXT,
  media_id    INTEGER REFERENCES media (id) ON DELETE SET NULL,
  attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX jobs_status ON jobs (status, id);
CREATE INDEX jobs_media ON jobs (media_id);
-- At most one live job per path: enqueue relies on this to skip duplicates atomically, even
-- across processes.
CREATE UNIQUE INDEX jobs_live_path ON jobs (kind, path) WHERE status IN ('pending', 'running');

-- Full-text search, one document per clip (rowid = clips.id): the media's file name and the
-- clip's live tag names. Kept in sync by the triggers below, so every writer (cascading deletes
-- included) keeps it right without having to remember to.
CREATE VIRTUAL TABLE clip_search USING fts5 (
  file_name,
  tags,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER clips_search_insert AFTER INSERT ON clips
BEGIN
  INSERT INTO clip_search (rowid, file_name, tags)
  SELECT NEW.id, m.file_name, '' FROM media m WHERE m.id = NEW.media_id;
END;

CREATE TRIGGER clips_search_delete AFTER DELETE ON clips
BEGIN
  DELETE FROM clip_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER media_search_rename AFTER UPDATE OF file_name ON media
WHEN OLD.file_name IS NOT NEW.file_name
BEGIN
  UPDATE clip_search SET file_name = NEW.file_name
  WHERE rowid IN (SELECT id FROM clips WHERE media_id = NEW.id);
END;

CREATE TRIGGER clip_tags_search_insert AFTER INSERT ON clip_tags
BEGIN
  UPDATE clip_search SET tags = ${LIVE_TAG_NAMES} WHERE rowid = NEW.clip_id;
END;

CREATE TRIGGER clip_tags_search_update AFTER UPDATE ON clip_tags
BEGIN
  UPDATE clip_search SET tags = ${LIVE_TAG_NAMES} WHERE rowid IN (OLD.clip_id, NEW.clip_id);
END;

-- Skipped while the clip itself is being deleted: its document goes with it.
CREATE TRIGGER clip_tags_search_delete AFTER DELETE ON clip_tags
WHEN EXISTS (SELECT 1 FROM clips WHERE id = OLD.clip_id)
BEGIN
  UPDATE clip_search SET tags = ${LIVE_TAG_NAMES} WHERE rowid = OLD.clip_id;
END;

CREATE TRIGGER tags_search_rename AFTER UPDATE OF name ON tags
WHEN OLD.name IS NOT NEW.name
BEGIN
  UPDATE clip_search SET tags = ${LIVE_TAG_NAMES}
  WHERE rowid IN (SELECT clip_id FROM clip_tags WHERE tag_id = NEW.id);
END;
`;

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(SQL);
  },
};
