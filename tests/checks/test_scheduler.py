"""The check on a schedule inside `serve`: trigger, timezone, weekday numbering, and the job itself."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import event

from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from inventaire.kit.exceptions import InvalidInput
from inventaire.tasks import scheduler
from tests.helpers import make_line, make_product, make_technician
from tests.servers import SLACK_PATH

MONTREAL = ZoneInfo("America/Montreal")


def next_fire(expr: str, after: dt.datetime, tz: str = "America/Montreal") -> dt.datetime:
    trigger = scheduler.cron_trigger(Settings(check_cron=expr, tz=tz))
    return trigger.get_next_fire_time(None, after)


def test_off_by_default():
    assert Settings().check_cron is None
    assert scheduler.build_scheduler(Settings(), session_factory=None) is None
    assert scheduler.start(Settings()) is None


def test_job_registered_with_cron_trigger_in_montreal():
    built = scheduler.build_scheduler(Settings(check_cron="0 9 * * 1-5"), session_factory=None)
    [job] = built.get_jobs()
    assert job.id == scheduler.JOB_ID and job.func is scheduler.scheduled_check
    assert isinstance(job.trigger, CronTrigger) and job.trigger.timezone == MONTREAL
    assert str(job.trigger) == "cron[month='*', day='*', day_of_week='mon,tue,wed,thu,fri', hour='9', minute='0']"
    assert (job.coalesce, job.max_instances) == (True, 1)


@pytest.mark.parametrize(("expr", "after", "expected"), [
    # Friday 27 November 2026, 10:00 in Montréal: weekdays at 9:00 → Monday 30th, 9:00 EST
    ("0 9 * * 1-5", dt.datetime(2026, 11, 27, 10, tzinfo=MONTREAL), dt.datetime(2026, 11, 30, 9, tzinfo=MONTREAL)),
    ("0 9 * * 0", dt.datetime(2026, 11, 27, 10, tzinfo=MONTREAL), dt.datetime(2026, 11, 29, 9, tzinfo=MONTREAL)),
    ("0 9 * * 7", dt.datetime(2026, 11, 27, 10, tzinfo=MONTREAL), dt.datetime(2026, 11, 29, 9, tzinfo=MONTREAL)),
    # across the spring change of time: 9:00 stays 9:00 local (13:00 UTC instead of 14:00)
    ("0 9 * * *", dt.datetime(2026, 3, 7, 10, tzinfo=MONTREAL), dt.datetime(2026, 3, 8, 9, tzinfo=MONTREAL)),
])
def test_next_fire_times_keep_the_crontab_meaning(expr, after, expected):
    fire = next_fire(expr, after)
    assert fire == expected and fire.utcoffset() == expected.utcoffset()
    assert fire.strftime("%a") == expected.strftime("%a")


def test_spring_change_fires_at_the_local_hour():
    fire = next_fire("0 9 * * *", dt.datetime(2026, 3, 7, 10, tzinfo=MONTREAL))
    assert fire.astimezone(dt.UTC).hour == 13  # EDT, not EST


@pytest.mark.parametrize(("field", "names"), [
    ("*", "*"), ("0", "sun"), ("7", "sun"), ("1-5", "mon,tue,wed,thu,fri"), ("mon-fri", "mon,tue,wed,thu,fri"),
    ("5-7", "sun,fri,sat"), ("*/2", "sun,tue,thu,sat"), ("1/2", "mon,wed,fri"), ("0,6", "sun,sat"), ("SAT", "sat"),
])
def test_crontab_weekdays(field, names):
    assert scheduler.crontab_weekdays(field) == names


@pytest.mark.parametrize(("settings", "message"), [
    ({"check_cron": "0 9 * *"}, "INVENTAIRE_CHECK_CRON invalide : « 0 9 * * » (4 champs au lieu de 5)"),
    ({"check_cron": "0 25 * * *"}, "INVENTAIRE_CHECK_CRON invalide : « 0 25 * * * »"),
    ({"check_cron": "0 9 * * 8"}, "jour de semaine hors limites : 8"),
    ({"check_cron": "0 9 * * sat-sun"}, "plage de jours invalide : sat-sun"),
    ({"check_cron": "0 9 * * *", "tz": "Amerique/Montreal"}, "INVENTAIRE_TZ invalide : « Amerique/Montreal »"),
])
def test_bad_schedule_is_refused_in_french(settings, message):
    with pytest.raises(InvalidInput) as caught:
        scheduler.cron_trigger(Settings(**settings))
    assert message in caught.value.detail


def test_the_job_runs_a_notifying_check_once_per_tick(fresh_database, webhooks):
    settings = Settings(DATABASE_URL=fresh_database.url, notify_backoff=0.0, check_cron="0 9 * * *",
                        **webhooks.settings())
    engine = make_engine(settings.database_url)
    factory = make_sessionmaker(engine)
    try:
        with session_scope(factory) as s:
            make_line(s, make_technician(s, nom="Allan"), make_product(s, code_produit="CORD-001"), 1)
        ran = scheduler.scheduled_check(session_factory=factory, settings=settings)
        assert ran is not None and ran.declenchee_par == "planificateur" and ran.notifier
        assert [n.statut for n in ran.notifications] == ["envoyee", "envoyee"]
        assert len(webhooks.received(SLACK_PATH)) == 1
        tick = ran.generated_at.replace(second=0)
        with session_scope(factory) as s:  # what another server firing at the same tick finds
            assert scheduler._tick_already_run(s, tick)
            assert not scheduler._tick_already_run(s, tick + dt.timedelta(minutes=1))
        again = scheduler.scheduled_check(session_factory=factory, settings=settings)
        if again is not None:  # the minute turned between the two calls: a new tick, nothing new to send
            assert again.notifications == []
        assert len(webhooks.received(SLACK_PATH)) == 1
    finally:
        engine.dispose()


def test_the_job_takes_the_check_lock_once(fresh_database, backend):
    """The scheduler takes the lock before reading whether its tick was run; the run it starts does not again."""
    settings = Settings(DATABASE_URL=fresh_database.url, check_cron="0 9 * * *")
    engine = make_engine(settings.database_url)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, *_a: statements.append(sql))
    try:
        ran = scheduler.scheduled_check(session_factory=make_sessionmaker(engine), settings=settings)
        assert ran is not None
        locks = [sql for sql in statements if "pg_advisory_xact_lock" in sql]
        assert len(locks) == (1 if backend == "postgresql" else 0)  # SQLite: BEGIN IMMEDIATE is the lock
    finally:
        engine.dispose()


def test_start_runs_the_scheduler_in_the_background(tmp_path):
    # the engine connects only when the job fires, which it does not within this test
    running = scheduler.start(Settings(DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", check_cron="*/5 * * * *"))
    try:
        assert running.running
        job = running.get_job(scheduler.JOB_ID)
        assert job.next_run_time.tzinfo == MONTREAL and job.next_run_time.minute % 5 == 0
    finally:
        running.shutdown(wait=False)
