-- Automated canary rollouts: the progress of each route's rollout, so a restart resumes the same step.
CREATE TABLE rollouts (
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    state     TEXT NOT NULL, -- RolloutState as JSON
    PRIMARY KEY (namespace, name)
);
