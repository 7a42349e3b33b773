"""What a deletion leaves on PostgreSQL (issue 18, finding 10): a deleted row stays in
its table's pages until VACUUM, so the gateway vacuums the tables a deletion touched
soon after it ("Slett samtalen") and at the end of every retention round. Read with
pageinspect (the superuser's), not through SQL: a marker the person wrote is in the
`messages` heap after the DELETE, and in no tuple of it after the VACUUM. On SQLite
(the fast group) nothing is to do: secure_delete and a checkpoint (test_privacy.py)."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from bot import keys, retention
from bot.clock import utcnow
from bot.storage.vacuum import GATEWAY_TABLES
from tests.gateway.postgres_support import pg_client, pg_settings, postgres_server, superuser  # noqa: F401 - fixtures

pytestmark = pytest.mark.asyncio

# Every tuple of every page of a table, as pageinspect reads them from the heap.
HEAP_TUPLES_WITH = """
    SELECT count(*)
    FROM generate_series(0, (pg_relation_size(%(table)s) / current_setting('block_size')::int)::int - 1) AS page,
         LATERAL heap_page_items(get_raw_page(%(table)s, page)) AS item
    WHERE item.t_data IS NOT NULL AND position(%(marker)s::bytea IN item.t_data) > 0
"""


def letters_only() -> str:
    """A unique marker without digits: a run of digits in it could be scrubbed as a phone number."""
    return "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex)


def heap_tuples_with(superuser, table: str, marker: str) -> int:  # noqa: F811 - the fixture's connection
    with superuser.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor.execute(HEAP_TUPLES_WITH, {"table": table, "marker": marker.encode()})
        return cursor.fetchone()[0]


def dead_rows_and_vacuumed(superuser, table: str) -> tuple[int, bool]:  # noqa: F811
    with superuser.cursor() as cursor:
        cursor.execute("SELECT n_dead_tup, last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s", (table,))
        return cursor.fetchone()


async def say(client, conversation_id: str, text: str) -> None:
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json={"text": text})
    assert response.status == 200


@pytest.mark.production
async def test_a_deleted_conversation_leaves_no_tuple_in_the_tables(pg_client, superuser, start):  # noqa: F811
    client = pg_client
    marker = f"zebrafisk-{letters_only()}"
    kept, deleted = await start(client), await start(client)
    await say(client, kept, "en samtale som blir")
    await say(client, deleted, f"hemmelig {marker}")
    await client.get(f"/api/conversations/{deleted}/messages")  # the turn is stored (it waits for it)
    assert heap_tuples_with(superuser, "messages", marker) == 1

    assert (await client.delete(f"/api/conversations/{deleted}")).status == 204
    # Waits for the VACUUM that the deletion started (or runs it, if it has not begun).
    await client.server.app[keys.VACUUM].run()
    assert heap_tuples_with(superuser, "messages", marker) == 0
    for table in GATEWAY_TABLES:
        assert dead_rows_and_vacuumed(superuser, table) == (0, True), table
    assert (await client.get(f"/api/conversations/{kept}/messages")).status == 200


@pytest.mark.production
async def test_the_retention_round_vacuums_what_it_deleted(pg_client, superuser, start):  # noqa: F811
    client = pg_client
    app = client.server.app
    marker = f"blekksprut-{letters_only()}"
    conversation_id = await start(client)
    await say(client, conversation_id, f"gammel {marker}")
    await client.get(f"/api/conversations/{conversation_id}/messages")
    # Not waited for by anyone: the round itself must vacuum before it ends.
    app[keys.VACUUM].mark = lambda: setattr(app[keys.VACUUM], "pending", True)
    later = utcnow() + timedelta(hours=app[keys.SETTINGS].retention_hours, minutes=1)
    assert await retention.purge_inactive(app, now=later) == 1
    assert heap_tuples_with(superuser, "messages", marker) == 1  # deleted, and still in the heap
    await retention._purge_and_compact(app)
    assert heap_tuples_with(superuser, "messages", marker) == 0
    assert dead_rows_and_vacuumed(superuser, "messages") == (0, True)


@pytest.mark.production
async def test_the_gateway_vacuums_once_at_start(pg_client, superuser):  # noqa: F811
    """A deletion just before a restart (or a crash) may not have had its VACUUM yet."""
    await pg_client.server.app[keys.VACUUM].run()  # waits for the start's, if it has begun
    for table in GATEWAY_TABLES:
        assert dead_rows_and_vacuumed(superuser, table) == (0, True), table


async def test_on_sqlite_there_is_nothing_to_vacuum(client, start):
    vacuum = client.server.app[keys.VACUUM]
    conversation_id = await start(client)
    assert (await client.delete(f"/api/conversations/{conversation_id}")).status == 204
    assert vacuum.pending is False and await vacuum.run() is False
