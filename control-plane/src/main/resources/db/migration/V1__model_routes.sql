-- The embedded store: one row per ModelRoute, and its spec revisions (one per generation).
CREATE TABLE model_routes (
    namespace        TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    resource_version INTEGER NOT NULL,
    generation       INTEGER NOT NULL,
    document         TEXT    NOT NULL, -- the ModelRoute as JSON, server fields included
    PRIMARY KEY (namespace, name)
);

CREATE TABLE route_revisions (
    namespace        TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    generation       INTEGER NOT NULL,
    resource_version INTEGER NOT NULL,
    created_at       TEXT    NOT NULL, -- ISO-8601 instant
    document         TEXT    NOT NULL,
    PRIMARY KEY (namespace, name, generation)
);

-- resourceVersion is one counter for the whole store, as in Kubernetes.
CREATE TABLE counters (
    name  TEXT    PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('resource_version', 0);
