-- Public status pages: groups of monitors shown as timelines or current-status indicators.

CREATE TYPE status_page_element_type AS ENUM ('historical_timeline', 'current_status_indicator');

CREATE TABLE status_pages (
    id         bigint      PRIMARY KEY,
    team_id    bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    slug       text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    title      text        NOT NULL CHECK (length(title) BETWEEN 1 AND 255),
    icon       bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_pages_team_id_idx ON status_pages (team_id);

CREATE TABLE status_page_groups (
    id             bigint                   PRIMARY KEY,
    status_page_id bigint                   NOT NULL REFERENCES status_pages (id) ON DELETE CASCADE,
    name           text                     NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    type           status_page_element_type NOT NULL,
    sort_order     integer                  NOT NULL,
    CONSTRAINT status_page_groups_order_key UNIQUE (status_page_id, sort_order) DEFERRABLE INITIALLY IMMEDIATE
);

CREATE TABLE status_page_monitors (
    id             bigint                   PRIMARY KEY,
    status_page_id bigint                   NOT NULL REFERENCES status_pages (id) ON DELETE CASCADE,
    monitor_id     bigint                   NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    group_id       bigint                   REFERENCES status_page_groups (id) ON DELETE CASCADE,
    name           text                     NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    type           status_page_element_type NOT NULL,
    sort_order     integer                  NOT NULL
);
CREATE INDEX status_page_monitors_page_idx ON status_page_monitors (status_page_id, sort_order);
CREATE INDEX status_page_monitors_monitor_id_idx ON status_page_monitors (monitor_id);
CREATE INDEX status_page_monitors_group_id_idx ON status_page_monitors (group_id);
