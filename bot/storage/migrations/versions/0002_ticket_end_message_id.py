"""Tickets remember where their conversation stood when they closed.

`tickets.end_message_id`: the largest message id handed out when the ticket
closed, so a closed ticket's transcript stops there by id, not by the clock.
Tickets closed before this revision keep it empty (their end time bounds them).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 22:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("end_message_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_column("end_message_id")
