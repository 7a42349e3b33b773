"""Baseline: the schema before migrations.

The tables the gateway's `create_all` made at start-up until migrations came.

A database of that time has some or all of these tables and no `alembic_version`:
the tables found are kept as they are, with their rows, and only the missing ones
are created (bot/storage/migrate.py then compares the result with the models).
Constraint names are left to the database, as `create_all` left them.

Revision ID: 0001
Revises:
Create Date: 2026-12-06 19:30:22.788272
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _existing_tables() -> set[str]:
    if context.is_offline_mode():
        return set()
    return set(sa.inspect(op.get_bind()).get_table_names())


def upgrade() -> None:
    existing = _existing_tables()

    if "conversations" not in existing:
        op.create_table(
            "conversations",
            sa.Column("id", sa.String(length=36), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("last_activity_at", sa.DateTime(), nullable=False),
            sa.Column("offered_buttons", sa.JSON(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_conversations_last_activity_at", "conversations", ["last_activity_at"], unique=False)

    if "counsellors" not in existing:
        op.create_table(
            "counsellors",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("name", sa.String(length=64), nullable=False),
            sa.Column("password_hash", sa.String(length=255), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("name"),
        )

    if "statistics_counts" not in existing:
        op.create_table(
            "statistics_counts",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("day", sa.Date(), nullable=False),
            sa.Column("role", sa.String(length=32), nullable=False),
            sa.Column("topic", sa.String(length=32), nullable=False),
            sa.Column("substance", sa.String(length=32), nullable=False),
            sa.Column("outcome", sa.String(length=16), nullable=False),
            sa.Column("first_outcome", sa.Boolean(), nullable=False),
            sa.Column("count", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("day", "role", "topic", "substance", "outcome", "first_outcome", name="uq_statistics_cell"),
        )
        op.create_index("ix_statistics_counts_day", "statistics_counts", ["day"], unique=False)

    if "counsellor_sessions" not in existing:
        op.create_table(
            "counsellor_sessions",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("token_hash", sa.String(length=64), nullable=False),
            sa.Column("counsellor_id", sa.Integer(), nullable=False),
            sa.Column("csrf_token", sa.String(length=64), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("expires_at", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("token_hash"),
            sa.ForeignKeyConstraint(["counsellor_id"], ["counsellors.id"], ondelete="CASCADE"),
        )
        op.create_index("ix_counsellor_sessions_counsellor_id", "counsellor_sessions", ["counsellor_id"], unique=False)
        op.create_index("ix_counsellor_sessions_expires_at", "counsellor_sessions", ["expires_at"], unique=False)

    if "messages" not in existing:
        op.create_table(
            "messages",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("conversation_id", sa.String(length=36), nullable=False),
            sa.Column("sender", sa.String(length=10), nullable=False),
            sa.Column("text", sa.Text(), nullable=True),
            sa.Column("buttons", sa.JSON(), nullable=True),
            sa.Column("custom", sa.JSON(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_messages_conversation_id", "messages", ["conversation_id"], unique=False)

    if "statistics_conversations" not in existing:
        op.create_table(
            "statistics_conversations",
            sa.Column("conversation_id", sa.String(length=36), nullable=False),
            sa.Column("counted", sa.JSON(), nullable=False),
            sa.Column("role", sa.String(length=32), nullable=True),
            sa.Column("topic", sa.String(length=32), nullable=True),
            sa.Column("substance", sa.String(length=32), nullable=True),
            sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("conversation_id"),
        )

    if "tickets" not in existing:
        op.create_table(
            "tickets",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("conversation_id", sa.String(length=36), nullable=False),
            sa.Column("status", sa.String(length=10), nullable=False),
            sa.Column("reason", sa.String(length=32), nullable=False),
            sa.Column("priority", sa.Integer(), nullable=False),
            sa.Column("role", sa.String(length=32), nullable=True),
            sa.Column("topic", sa.String(length=32), nullable=True),
            sa.Column("substance", sa.String(length=32), nullable=True),
            sa.Column("recent_messages", sa.JSON(), nullable=False),
            sa.Column("start_message_id", sa.Integer(), nullable=False),
            sa.Column("counsellor_id", sa.Integer(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("accepted_at", sa.DateTime(), nullable=True),
            sa.Column("ended_at", sa.DateTime(), nullable=True),
            sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["counsellor_id"], ["counsellors.id"], ondelete="SET NULL"),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_tickets_conversation_id", "tickets", ["conversation_id"], unique=False)
        op.create_index("ix_tickets_status", "tickets", ["status"], unique=False)


def downgrade() -> None:
    # Children first. Everything the gateway stored goes with the tables.
    for table in ("tickets", "statistics_conversations", "messages", "counsellor_sessions",
                  "statistics_counts", "counsellors", "conversations"):
        op.drop_table(table)
