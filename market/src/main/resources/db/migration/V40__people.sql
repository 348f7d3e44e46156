-- People sign in with email and password and get a short-lived bearer token of their account and
-- role: an ordinary api_token row, so the API authenticates them exactly like a program. The
-- password is stored only as a bcrypt hash (Modular Crypt Format, '$2a$...').
CREATE TABLE person (
    id             uuid PRIMARY KEY,
    account_id     uuid NOT NULL REFERENCES account (id),
    email          text NOT NULL UNIQUE
                   CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254 AND email LIKE '_%@_%'),
    display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role           text NOT NULL CHECK (role IN ('sponsor', 'provider', 'finance', 'operator')),
    password_hash  text NOT NULL CHECK (password_hash LIKE '$2%'),
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- A signed-in session: the token it was given and when that token stops being good. The session
-- sweep revokes the token (api_token.revoked_at) once expires_at has passed.
CREATE TABLE person_session (
    token_id    uuid PRIMARY KEY REFERENCES api_token (id),
    person_id   uuid NOT NULL REFERENCES person (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX person_session_expires_at ON person_session (expires_at);
