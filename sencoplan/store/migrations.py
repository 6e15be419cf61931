"""The schema, one migration at a time. Never edit a released migration: add a new one."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("sencoplan")

_INITIAL = [
    """
    CREATE TABLE schools (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        urn TEXT,
        phase TEXT NOT NULL DEFAULT 'primary',
        setting TEXT NOT NULL DEFAULT 'mainstream'
    )
    """,
    """
    CREATE TABLE pupils (
        id INTEGER PRIMARY KEY,
        school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        upn TEXT,
        display_name TEXT,
        date_of_birth TEXT,
        year_group TEXT NOT NULL,
        tier TEXT NOT NULL DEFAULT 'universal'
            CHECK (tier IN ('universal', 'targeted', 'targeted_plus', 'specialist')),
        primary_need TEXT,
        secondary_need TEXT,
        reg_group TEXT,
        on_roll_from TEXT,
        on_roll_to TEXT,
        plan_review_due TEXT,
        ehcp_review_due TEXT
    )
    """,
    "CREATE UNIQUE INDEX pupils_school_upn ON pupils(school_id, upn) WHERE upn IS NOT NULL",
    "CREATE INDEX pupils_school_need ON pupils(school_id, primary_need, tier)",
    "CREATE INDEX pupils_school_secondary ON pupils(school_id, secondary_need)",
    "CREATE INDEX pupils_school_reg ON pupils(school_id, reg_group)",
    """
    CREATE TABLE staff (
        id INTEGER PRIMARY KEY,
        school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        fte REAL NOT NULL DEFAULT 1.0,
        cpd_hours REAL NOT NULL DEFAULT 0,
        email TEXT,
        start_date TEXT,
        leaving_date TEXT,
        UNIQUE (school_id, name)
    )
    """,
    """
    CREATE TABLE supports (
        id INTEGER PRIMARY KEY,
        school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
        pupil_id INTEGER REFERENCES pupils(id) ON DELETE CASCADE,
        reg_group TEXT,
        kind TEXT NOT NULL DEFAULT 'class_teacher',
        CHECK ((pupil_id IS NULL) <> (reg_group IS NULL))
    )
    """,
    "CREATE INDEX supports_staff ON supports(staff_id)",
    "CREATE INDEX supports_pupil ON supports(pupil_id)",
    "CREATE INDEX supports_school_reg ON supports(school_id, reg_group)",
    """
    CREATE TABLE modules (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE COLLATE NOCASE,
        title TEXT NOT NULL,
        level TEXT NOT NULL DEFAULT 'universal',
        hours REAL NOT NULL DEFAULT 1,
        audience TEXT NOT NULL DEFAULT '',
        refresh_months INTEGER,
        provider TEXT NOT NULL DEFAULT 'internal',
        organisation TEXT,
        cost REAL NOT NULL DEFAULT 0,
        mandatory_specialist INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE module_needs (
        module_id INTEGER NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
        need TEXT NOT NULL,
        PRIMARY KEY (module_id, need)
    )
    """,
    "CREATE INDEX module_needs_need ON module_needs(need)",
    """
    CREATE TABLE training_records (
        id INTEGER PRIMARY KEY,
        staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
        module_id INTEGER NOT NULL REFERENCES modules(id) ON DELETE RESTRICT,
        completed TEXT NOT NULL,
        UNIQUE (staff_id, module_id, completed)
    )
    """,
    "CREATE INDEX training_records_module ON training_records(module_id)",
    """
    CREATE TABLE qualifications (
        id INTEGER PRIMARY KEY,
        staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        title TEXT,
        status TEXT NOT NULL DEFAULT 'held',
        started TEXT,
        completed TEXT,
        expected TEXT
    )
    """,
    "CREATE INDEX qualifications_staff ON qualifications(staff_id)",
    """
    CREATE TABLE confidence (
        id INTEGER PRIMARY KEY,
        staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
        need TEXT NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
        rated_on TEXT NOT NULL,
        UNIQUE (staff_id, need, rated_on)
    )
    """,
]


@MIGRATIONS(name="0001_initial")
def initial(db: Database) -> None:
    """Schools, the SEN register, staff, supports, the catalogue, training, confidence."""
    for statement in _INITIAL:
        db.execute(statement)


@MIGRATIONS(name="0002_priority_weights")
def priority_weights(db: Database) -> None:
    """Weights the school development plan gives a need or a broad area (no school: trust)."""
    db.execute(
        """
        CREATE TABLE priority_weights (
            id INTEGER PRIMARY KEY,
            school_id INTEGER REFERENCES schools(id) ON DELETE CASCADE,
            target TEXT NOT NULL,
            weight REAL NOT NULL CHECK (weight >= 0 AND weight <= 5)
        )
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX priority_weights_scope ON priority_weights "
        "(COALESCE(school_id, 0), target)"
    )


@MIGRATIONS(name="0003_terms")
def terms(db: Database) -> None:
    """Each school's terms: dates, closures, the CPD slot rule, budget and SENCO time."""
    db.execute(
        """
        CREATE TABLE terms (
            id INTEGER PRIMARY KEY,
            school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
            name TEXT NOT NULL COLLATE NOCASE,
            start TEXT NOT NULL,
            "end" TEXT NOT NULL,
            closures TEXT NOT NULL DEFAULT '[]',
            slot_rule TEXT NOT NULL,
            slot_start TEXT NOT NULL,
            slot_minutes INTEGER NOT NULL,
            cpd_budget REAL NOT NULL DEFAULT 0,
            senco_hours REAL NOT NULL DEFAULT 0,
            UNIQUE (school_id, name)
        )
        """
    )


@MIGRATIONS(name="0004_sessions")
def sessions(db: Database) -> None:
    """CPD sessions in a term, who leads them, who they are for and who came."""
    db.execute(
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
            school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
            day TEXT NOT NULL,
            start TEXT NOT NULL,
            minutes INTEGER NOT NULL,
            module_id INTEGER REFERENCES modules(id) ON DELETE SET NULL,
            title TEXT NOT NULL DEFAULT '',
            room TEXT NOT NULL DEFAULT '',
            objectives TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'delivered', 'cancelled')),
            evaluation TEXT NOT NULL DEFAULT '',
            prep_minutes INTEGER NOT NULL DEFAULT 0,
            reason TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX sessions_term ON sessions(term_id, day)")
    db.execute(
        """
        CREATE TABLE session_people (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
            part TEXT NOT NULL CHECK (part IN ('facilitator', 'audience')),
            attended INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (session_id, staff_id, part)
        )
        """
    )
    db.execute("CREATE INDEX session_people_staff ON session_people(staff_id)")


@MIGRATIONS(name="0005_workload_tasks")
def workload_tasks(db: Database) -> None:
    """The SENCO's other tasks in a term, with the hours they take."""
    db.execute(
        """
        CREATE TABLE workload_tasks (
            id INTEGER PRIMARY KEY,
            term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            day TEXT NOT NULL,
            hours REAL NOT NULL CHECK (hours > 0)
        )
        """
    )


@MIGRATIONS(name="0006_review_hours")
def review_hours(db: Database) -> None:
    """Each term's estimate of the SENCO hours an EHCP or ISP review takes (editable)."""
    db.execute("ALTER TABLE terms ADD COLUMN ehcp_review_hours REAL NOT NULL DEFAULT 3")
    db.execute("ALTER TABLE terms ADD COLUMN isp_review_hours REAL NOT NULL DEFAULT 1")


@MIGRATIONS(name="0007_succession")
def succession(db: Database) -> None:
    """Succession: roles and their holders, candidates, development actions, who can lead
    which module, and which modules train people to lead CPD."""
    db.execute("ALTER TABLE modules ADD COLUMN trains_leaders INTEGER NOT NULL DEFAULT 0")
    db.execute(
        """
        CREATE TABLE succession_roles (
            id INTEGER PRIMARY KEY,
            school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            title TEXT NOT NULL COLLATE NOCASE,
            need TEXT,
            holder_id INTEGER REFERENCES staff(id) ON DELETE SET NULL,
            holder_since TEXT,
            UNIQUE (school_id, title)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE succession_candidates (
            id INTEGER PRIMARY KEY,
            role_id INTEGER NOT NULL REFERENCES succession_roles(id) ON DELETE CASCADE,
            staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
            readiness TEXT NOT NULL,
            notes TEXT,
            UNIQUE (role_id, staff_id)
        )
        """
    )
    db.execute("CREATE INDEX succession_candidates_staff ON succession_candidates(staff_id)")
    db.execute(
        """
        CREATE TABLE development_actions (
            id INTEGER PRIMARY KEY,
            school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
            staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
            action TEXT NOT NULL,
            by_whom TEXT,
            due TEXT,
            status TEXT NOT NULL DEFAULT 'planned',
            module_id INTEGER REFERENCES modules(id) ON DELETE SET NULL,
            role_id INTEGER REFERENCES succession_roles(id) ON DELETE SET NULL
        )
        """
    )
    db.execute("CREATE INDEX development_actions_school ON development_actions(school_id, due)")
    db.execute(
        """
        CREATE TABLE module_leaders (
            id INTEGER PRIMARY KEY,
            staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
            module_id INTEGER NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
            UNIQUE (staff_id, module_id)
        )
        """
    )
    db.execute("CREATE INDEX module_leaders_module ON module_leaders(module_id)")


@MIGRATIONS(name="0008_retention")
def retention(db: Database) -> None:
    """Each school's retention period for leavers' records, in months after they left.
    NULL: not set, so nothing is purged (the school decides, sencoplan never guesses)."""
    db.execute(
        "ALTER TABLE schools ADD COLUMN retention_months INTEGER "
        "CHECK (retention_months IS NULL OR retention_months >= 1)"
    )


_CLEARS_SCHOOL = {
    # table: how a changed row names its school
    "pupils": "{row}.school_id",
    "staff": "{row}.school_id",
    "supports": "{row}.school_id",
    "training_records": "(SELECT school_id FROM staff WHERE id = {row}.staff_id)",
    "confidence": "(SELECT school_id FROM staff WHERE id = {row}.staff_id)",
}


@MIGRATIONS(name="0009_priority_cache")
def priority_cache(db: Database) -> None:
    """Each school's priority lines, kept so that a whole trust's (or the whole country's)
    priorities are a merge of stored lines rather than a pass over every pupil.

    Triggers drop a school's lines whenever a row they were worked out from changes, and
    every school's when the catalogue changes; `valid_until` is the first day a date in the
    school's rows (a leaver, a joiner, training lapsing) would change them.
    """
    db.execute(
        """
        CREATE TABLE priority_cache (
            school_id INTEGER PRIMARY KEY REFERENCES schools(id) ON DELETE CASCADE,
            computed_on TEXT NOT NULL,
            valid_until TEXT,
            lines TEXT NOT NULL
        )
        """
    )
    for table, school in _CLEARS_SCHOOL.items():
        for event, rows in (
            ("INSERT", ("NEW",)),
            ("UPDATE", ("OLD", "NEW")),
            ("DELETE", ("OLD",)),
        ):
            deletes = " ".join(
                "DELETE FROM priority_cache WHERE school_id = " + school.format(row=row) + ";"
                for row in rows
            )
            db.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_clears_priorities "
                f"AFTER {event} ON {table} BEGIN {deletes} END"
            )
    for table in ("modules", "module_needs"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_clears_priorities "
                f"AFTER {event} ON {table} BEGIN DELETE FROM priority_cache; END"
            )


@MIGRATIONS(name="0010_training_levels")
def training_levels(db: Database) -> None:
    """The level of training an adult needs for a pupil, by their relationship and the
    pupil's tier: a row only where the school departs from the default table
    (domain/levels). A change drops the school's kept priority lines; the lines kept before
    this migration counted staff the old way, so all of them go."""
    db.execute(
        """
        CREATE TABLE training_levels (
            school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
            relationship TEXT NOT NULL
                CHECK (relationship IN ('class_teacher', 'class_support', 'key_adult',
                    'one_to_one')),
            tier TEXT NOT NULL CHECK (tier IN ('targeted', 'targeted_plus', 'specialist')),
            level TEXT NOT NULL CHECK (level IN ('universal', 'targeted', 'specialist')),
            PRIMARY KEY (school_id, relationship, tier)
        )
        """
    )
    _clears_priorities(db, "training_levels")
    db.execute("DELETE FROM priority_cache")


@MIGRATIONS(name="0011_delivered_training")
def delivered_training(db: Database) -> None:
    """A training record made by marking a session delivered names that session (the last
    part the person attended), so that marking it planned again removes those records, and
    only those. Records typed or imported by hand have none."""
    db.execute(
        "ALTER TABLE training_records ADD COLUMN session_id INTEGER "
        "REFERENCES sessions(id) ON DELETE SET NULL"
    )
    db.execute("CREATE INDEX training_records_session ON training_records(session_id)")


@MIGRATIONS(name="0012_impact_weeks")
def impact_weeks(db: Database) -> None:
    """How many weeks after a module's last part a confidence rating counts as its 'after'
    (a re-survey too soon measures the session, not the change in practice)."""
    db.execute(
        "ALTER TABLE terms ADD COLUMN impact_weeks INTEGER NOT NULL DEFAULT 6 "
        "CHECK (impact_weeks BETWEEN 1 AND 52)"
    )


@MIGRATIONS(name="0013_room_capacity")
def room_capacity(db: Database) -> None:
    """How many a CPD session's room holds, the term's to set: NULL, the default, is no
    limit (the plan had a hidden cap of 30)."""
    db.execute(
        "ALTER TABLE terms ADD COLUMN room_capacity INTEGER "
        "CHECK (room_capacity IS NULL OR room_capacity >= 1)"
    )


def _clears_priorities(db: Database, table: str) -> None:
    """Triggers that drop a school's kept priority lines whenever `table` changes for it."""
    for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
        deletes = " ".join(
            f"DELETE FROM priority_cache WHERE school_id = {row}.school_id;" for row in rows
        )
        db.execute(
            f"CREATE TRIGGER {table}_{event.lower()}_clears_priorities "
            f"AFTER {event} ON {table} BEGIN {deletes} END"
        )


@MIGRATIONS(name="0014_provision_map")
def provision_map(db: Database) -> None:
    """The provision map (domain/provision): the school's interventions and support, each
    pupil's place in them, the hourly rates of staff roles that cost a provision given no
    cost per hour, and two school settings, its notional SEN budget and the cost of a
    pupil's support beyond which it asks for top-up funding. Who delivers a provision is one
    of the pupil's adults for the priorities: a change drops the school's kept lines."""
    db.execute(
        """
        CREATE TABLE provisions (
            id INTEGER PRIMARY KEY,
            school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
            name TEXT NOT NULL COLLATE NOCASE,
            kind TEXT NOT NULL
                CHECK (kind IN ('in_class', 'small_group', 'one_to_one', 'external')),
            UNIQUE (school_id, name)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE provision_needs (
            provision_id INTEGER NOT NULL REFERENCES provisions(id) ON DELETE CASCADE,
            need TEXT NOT NULL,
            PRIMARY KEY (provision_id, need)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE pupil_provisions (
            id INTEGER PRIMARY KEY,
            school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
            provision_id INTEGER NOT NULL REFERENCES provisions(id) ON DELETE CASCADE,
            pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
            staff_id INTEGER REFERENCES staff(id) ON DELETE SET NULL,
            provider TEXT,
            group_size INTEGER NOT NULL DEFAULT 1 CHECK (group_size BETWEEN 1 AND 60),
            sessions_per_week REAL NOT NULL DEFAULT 1 CHECK (sessions_per_week > 0),
            minutes INTEGER NOT NULL DEFAULT 30 CHECK (minutes > 0),
            weeks INTEGER NOT NULL DEFAULT 38 CHECK (weeks BETWEEN 1 AND 52),
            cost_per_hour REAL CHECK (cost_per_hour IS NULL OR cost_per_hour >= 0),
            start TEXT,
            "end" TEXT,
            target TEXT NOT NULL DEFAULT '',
            review_date TEXT
        )
        """
    )
    db.execute("CREATE INDEX pupil_provisions_pupil ON pupil_provisions(pupil_id)")
    db.execute("CREATE INDEX pupil_provisions_provision ON pupil_provisions(provision_id)")
    db.execute("CREATE INDEX pupil_provisions_staff ON pupil_provisions(staff_id)")
    db.execute(
        """
        CREATE TABLE role_rates (
            school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            hourly_rate REAL NOT NULL CHECK (hourly_rate >= 0),
            PRIMARY KEY (school_id, role)
        )
        """
    )
    db.execute("ALTER TABLE schools ADD COLUMN notional_sen_budget REAL")
    db.execute(
        "ALTER TABLE schools ADD COLUMN high_cost_threshold REAL NOT NULL DEFAULT 6000 "
        "CHECK (high_cost_threshold >= 0)"
    )
    _clears_priorities(db, "pupil_provisions")


@MIGRATIONS(name="0015_reviews")
def reviews(db: Database) -> None:
    """Reviews of pupils' places in provisions (kept by pupil and provision, so a new
    provisions file keeps them), and pupils' ISP and EHCP reviews as held."""
    db.execute(
        """
        CREATE TABLE provision_reviews (
            id INTEGER PRIMARY KEY,
            school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
            pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
            provision_id INTEGER NOT NULL REFERENCES provisions(id) ON DELETE CASCADE,
            reviewed_on TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('met', 'partly_met', 'not_met')),
            entry_measure REAL,
            exit_measure REAL,
            continues INTEGER NOT NULL DEFAULT 1 CHECK (continues IN (0, 1)),
            note TEXT NOT NULL DEFAULT '',
            UNIQUE (pupil_id, provision_id, reviewed_on)
        )
        """
    )
    db.execute("CREATE INDEX provision_reviews_provision ON provision_reviews(provision_id)")
    db.execute(
        """
        CREATE TABLE pupil_reviews (
            id INTEGER PRIMARY KEY,
            school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
            pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('ehcp', 'isp')),
            held_on TEXT NOT NULL,
            report_sent_on TEXT,
            UNIQUE (pupil_id, kind, held_on)
        )
        """
    )
    db.execute("CREATE INDEX pupil_reviews_school ON pupil_reviews(school_id, report_sent_on)")


@MIGRATIONS(name="0016_place_baseline")
def place_baseline(db: Database) -> None:
    """A place's entry measure taken when it starts (a baseline), before any review."""
    db.execute("ALTER TABLE pupil_provisions ADD COLUMN entry_measure REAL")


@MIGRATIONS(name="0017_one_pupil_one_count")
def one_pupil_one_count(db: Database) -> None:
    """A pupil on two schools' rolls (leaving one, joining the other) counts once in a
    trust's figures: kept lines now depend on other schools' rows with the same UPN, so
    a change to a pupil drops the lines of every school that has their UPN too. The
    kept lines are dropped once, to be worked out again in the new shape."""
    db.execute("CREATE INDEX pupils_upn ON pupils(upn) WHERE upn IS NOT NULL")
    for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
        deletes = " ".join(
            "DELETE FROM priority_cache WHERE school_id IN "
            f"(SELECT school_id FROM pupils WHERE upn = {row}.upn);"
            for row in rows
        )
        db.execute(
            f"CREATE TRIGGER pupils_{event.lower()}_clears_shared_upn "
            f"AFTER {event} ON pupils WHEN {' OR '.join(f'{r}.upn IS NOT NULL' for r in rows)} "
            f"BEGIN {deletes} END"
        )
    db.execute("DELETE FROM priority_cache")


@MIGRATIONS(name="0018_shared_sessions")
def shared_sessions(db: Database) -> None:
    """A session open to staff of other schools in the trust (a trust-led twilight): the
    schools it is shared with, on whose planners and calendars it appears too."""
    db.execute(
        """
        CREATE TABLE session_schools (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
            PRIMARY KEY (session_id, school_id)
        )
        """
    )
    db.execute("CREATE INDEX session_schools_school ON session_schools(school_id)")
