-- Users, sign-in accounts, sessions and teams.

CREATE TYPE auth_provider AS ENUM ('email', 'google');
CREATE TYPE member_role AS ENUM ('owner', 'admin', 'member', 'viewer');

CREATE TABLE users (
    id            bigint      PRIMARY KEY,
    password_hash text,
    avatar        text,
    display_name  text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 255),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
    id               bigint        PRIMARY KEY,
    provider         auth_provider NOT NULL,
    provider_user_id text          NOT NULL,
    user_id          bigint        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email            text          NOT NULL CHECK (length(email) <= 255),
    created_at       timestamptz   NOT NULL DEFAULT now(),
    updated_at       timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT accounts_provider_user_key UNIQUE (provider, provider_user_id),
    CONSTRAINT accounts_provider_email_key UNIQUE (provider, email)
);
CREATE INDEX accounts_user_id_idx ON accounts (user_id);
-- Sign-in looks e-mail addresses up without regard to case.
CREATE INDEX accounts_email_lower_idx ON accounts (lower(email));

CREATE TABLE oauth_tokens (
    account_id    bigint        PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    access_token  text          NOT NULL,
    refresh_token text,
    expiry        timestamptz   NOT NULL,
    token_type    text          NOT NULL,
    provider      auth_provider NOT NULL,
    created_at    timestamptz   NOT NULL DEFAULT now(),
    updated_at    timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE refresh_tokens (
    id         bigint      PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token      text        NOT NULL UNIQUE,
    user_agent text,
    ip         inet,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_created_at_idx ON refresh_tokens (created_at);

CREATE TABLE teams (
    id         bigint      PRIMARY KEY,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE team_members (
    id         bigint      PRIMARY KEY,
    team_id    bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       member_role NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT team_members_team_user_key UNIQUE (team_id, user_id)
);
CREATE INDEX team_members_user_id_idx ON team_members (user_id);

CREATE TABLE team_invites (
    id         bigint      PRIMARY KEY,
    team_id    bigint      NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    invited_by bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    invited_to bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT team_invites_team_invitee_key UNIQUE (team_id, invited_to)
);
CREATE INDEX team_invites_invited_to_idx ON team_invites (invited_to);
