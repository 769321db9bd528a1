"""The team schema: teams, members, sessions, attempts with their recordings, marks and comments; the trainer and
rep roles; row-level security; a notification when an attempt arrives.

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = """
CREATE TABLE teams (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE members (
    login text PRIMARY KEY,
    team_id integer NOT NULL REFERENCES teams(id),
    name text NOT NULL,
    email text NOT NULL DEFAULT '',
    role text NOT NULL CHECK (role IN ('trainer', 'rep')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE sessions (
    id serial PRIMARY KEY,
    team_id integer NOT NULL REFERENCES teams(id),
    name text NOT NULL,
    pass_mark integer NOT NULL DEFAULT 80 CHECK (pass_mark BETWEEN 0 AND 100),
    created_by text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, name)
);
CREATE TABLE session_members (
    session_id integer NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    login text NOT NULL REFERENCES members(login) ON DELETE CASCADE,
    PRIMARY KEY (session_id, login)
);
CREATE TABLE attempts (
    id bigserial PRIMARY KEY,
    origin text NOT NULL UNIQUE,
    login text NOT NULL DEFAULT session_user REFERENCES members(login) ON DELETE CASCADE,
    team_id integer NOT NULL REFERENCES teams(id),
    session_id integer REFERENCES sessions(id) ON DELETE SET NULL,
    scenario_id text,
    created_at text NOT NULL,
    touch integer NOT NULL DEFAULT 1,
    status text NOT NULL DEFAULT 'complete',
    score integer CHECK (score BETWEEN 0 AND 100),
    duration_s real,
    transcript text NOT NULL DEFAULT '',
    words jsonb NOT NULL DEFAULT '[]',
    items jsonb NOT NULL DEFAULT '[]',
    metrics jsonb NOT NULL DEFAULT '{}',
    engine text,
    uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attempts_session ON attempts(session_id, login, scenario_id);
CREATE INDEX attempts_team ON attempts(team_id, created_at DESC);
CREATE TABLE recordings (
    attempt_id bigint PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
    login text NOT NULL DEFAULT session_user REFERENCES members(login) ON DELETE CASCADE,
    team_id integer NOT NULL REFERENCES teams(id),
    flac bytea NOT NULL
);
CREATE TABLE comments (
    id bigserial PRIMARY KEY,
    attempt_id bigint NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    at_s real,
    author text NOT NULL DEFAULT session_user,
    text text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_attempt ON comments(attempt_id, at_s);
CREATE TABLE marks (
    id bigserial PRIMARY KEY,
    origin text UNIQUE,
    attempt_id bigint NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    item_id text NOT NULL,
    said boolean NOT NULL,
    marker text NOT NULL DEFAULT session_user,
    role text NOT NULL CHECK (role IN ('rep', 'trainer')),
    created_at text NOT NULL
);
CREATE INDEX marks_attempt ON marks(attempt_id, item_id, id);
"""

# Functions that read members run as the schema's owner (SECURITY DEFINER) and ask who is connected with
# session_user, so a policy can use them without granting anyone the whole members table.
FUNCTIONS = """
CREATE FUNCTION vc_team() RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT team_id FROM members WHERE login = session_user $$;

CREATE FUNCTION vc_is_trainer() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$ SELECT coalesce((SELECT role = 'trainer' FROM members WHERE login = session_user), false) $$;

CREATE FUNCTION vc_in_session(p_session integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$ SELECT EXISTS (SELECT 1 FROM session_members WHERE session_id = p_session AND login = session_user) $$;

CREATE FUNCTION vc_stamp_team() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    NEW.team_id := (SELECT team_id FROM members WHERE login = NEW.login);
    IF NEW.team_id IS NULL THEN
        RAISE EXCEPTION '% is not a member of a team on this server', NEW.login;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER attempts_team BEFORE INSERT ON attempts FOR EACH ROW EXECUTE FUNCTION vc_stamp_team();
CREATE TRIGGER recordings_team BEFORE INSERT ON recordings FOR EACH ROW EXECUTE FUNCTION vc_stamp_team();

CREATE FUNCTION vc_attempt_saved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('vc_team_' || NEW.team_id,
                      json_build_object('id', NEW.id, 'session', NEW.session_id, 'login', NEW.login)::text);
    RETURN NULL;
END $$;
CREATE TRIGGER attempts_notify AFTER INSERT ON attempts FOR EACH ROW EXECUTE FUNCTION vc_attempt_saved();

CREATE FUNCTION vc_add_member(p_login text, p_name text, p_email text, p_role text, p_password text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    my_team integer := (SELECT team_id FROM members WHERE login = session_user AND role = 'trainer');
BEGIN
    IF my_team IS NULL THEN
        RAISE EXCEPTION 'only a trainer of a team can add people to it';
    END IF;
    IF p_role NOT IN ('trainer', 'rep') THEN
        RAISE EXCEPTION 'the role is trainer or rep';
    END IF;
    IF p_login !~ '^[a-z][a-z0-9_]{1,62}$' THEN
        RAISE EXCEPTION 'a login is lower-case letters, digits and _, starting with a letter';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', p_login, p_password, 'vc_' || p_role);
    INSERT INTO members(login, team_id, name, email, role) VALUES (p_login, my_team, p_name, p_email, p_role);
END $$;

CREATE FUNCTION vc_board(p_session integer)
RETURNS TABLE(login text, name text, scenario_id text, attempts bigint, best integer, latest integer, last_at text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT a.login, m.name, a.scenario_id, count(*), max(a.score),
           (array_agg(a.score ORDER BY a.created_at DESC, a.id DESC))[1], max(a.created_at)
    FROM attempts a
    JOIN members m ON m.login = a.login
    JOIN sessions s ON s.id = a.session_id
    WHERE a.session_id = p_session AND s.team_id = vc_team() AND a.status = 'complete'
      AND (vc_is_trainer() OR vc_in_session(p_session))
    GROUP BY a.login, m.name, a.scenario_id
    ORDER BY lower(m.name), a.scenario_id
$$;
"""

# A rep reads and writes their own rows; a trainer reads everything in their team. Policies of one command
# are OR-ed together; the schema's owner (who ran the migrations) is not bound by them.
POLICIES = """
ALTER TABLE teams ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON teams FOR SELECT USING (id = vc_team());

ALTER TABLE members ENABLE ROW LEVEL SECURITY;
CREATE POLICY same_team ON members FOR SELECT USING (team_id = vc_team());

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_it ON sessions FOR SELECT USING (team_id = vc_team() AND (vc_is_trainer() OR vc_in_session(id)));
CREATE POLICY trainer_writes ON sessions FOR INSERT WITH CHECK (vc_is_trainer() AND team_id = vc_team());

ALTER TABLE session_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON session_members FOR SELECT USING (login = session_user);
CREATE POLICY trainer_reads ON session_members FOR SELECT USING (
    vc_is_trainer() AND login IN (SELECT login FROM members));
CREATE POLICY trainer_writes ON session_members FOR INSERT WITH CHECK (
    vc_is_trainer() AND session_id IN (SELECT id FROM sessions)
    AND login IN (SELECT login FROM members));

ALTER TABLE attempts ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON attempts USING (login = session_user) WITH CHECK (login = session_user);
CREATE POLICY trainer_reads ON attempts FOR SELECT USING (vc_is_trainer() AND team_id = vc_team());

ALTER TABLE recordings ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON recordings USING (login = session_user) WITH CHECK (login = session_user);
CREATE POLICY trainer_reads ON recordings FOR SELECT USING (vc_is_trainer() AND team_id = vc_team());

ALTER TABLE comments ENABLE ROW LEVEL SECURITY;
CREATE POLICY on_visible ON comments FOR SELECT USING (attempt_id IN (SELECT id FROM attempts));
CREATE POLICY trainer_writes ON comments FOR INSERT WITH CHECK (
    vc_is_trainer() AND author = session_user AND attempt_id IN (SELECT id FROM attempts));

ALTER TABLE marks ENABLE ROW LEVEL SECURITY;
CREATE POLICY on_visible ON marks FOR SELECT USING (attempt_id IN (SELECT id FROM attempts));
CREATE POLICY as_myself ON marks FOR INSERT WITH CHECK (
    marker = session_user AND attempt_id IN (SELECT id FROM attempts)
    AND role = CASE WHEN vc_is_trainer() THEN 'trainer' ELSE 'rep' END);
"""

ROLES = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vc_rep') THEN CREATE ROLE vc_rep NOLOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vc_trainer') THEN CREATE ROLE vc_trainer NOLOGIN; END IF;
    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO vc_rep, vc_trainer', current_database());
END $$;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO vc_rep, vc_trainer;
GRANT SELECT ON teams, members, sessions, session_members TO vc_rep, vc_trainer;
GRANT SELECT, INSERT ON attempts, recordings, marks TO vc_rep, vc_trainer;
GRANT SELECT ON comments TO vc_rep;
GRANT SELECT, INSERT ON comments, sessions, session_members TO vc_trainer;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO vc_rep, vc_trainer;
GRANT EXECUTE ON FUNCTION vc_team(), vc_is_trainer(), vc_in_session(integer), vc_board(integer) TO vc_rep, vc_trainer;
GRANT EXECUTE ON FUNCTION vc_stamp_team(), vc_attempt_saved() TO vc_rep, vc_trainer;
GRANT EXECUTE ON FUNCTION vc_add_member(text, text, text, text, text) TO vc_trainer;
"""


def upgrade() -> None:
    for script in (TABLES, FUNCTIONS, POLICIES, ROLES):
        op.execute(script)


def downgrade() -> None:
    raise NotImplementedError("the team schema is not taken down by a migration; drop the database instead")
