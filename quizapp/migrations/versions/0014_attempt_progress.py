"""each attempt keeps the state its step log folds to

Revision ID: 0014
Revises: 0013
"""

from itertools import groupby

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

attempts = sa.table("attempts", sa.column("id", sa.Integer), sa.column("progress", sa.JSON))
steps = sa.table(
    "attempt_steps",
    sa.column("attempt_id", sa.Integer),
    sa.column("seq", sa.Integer),
    sa.column("action", sa.String),
    sa.column("slot", sa.Integer),
    sa.column("response", sa.JSON),
)


def _fold(log):
    """The log, in sequence order, folded as core.attempt.replay folds it (frozen here)."""
    responses, flagged, checked, finished = {}, set(), set(), False
    for action, slot, response in log:
        if action in ("answer", "check") and slot is not None:
            responses[str(slot)] = response
            if action == "check":
                checked.add(slot)
        elif action == "flag" and slot is not None:
            flagged.add(slot)
        elif action == "unflag" and slot is not None:
            flagged.discard(slot)
        elif action in ("submit", "timeout"):
            finished = True
    return {
        "responses": responses,
        "flagged": sorted(flagged),
        "checked": sorted(checked),
        "finished": finished,
    }


def _backfill(connection, batch=1000):
    """Fold every attempt's log, reading the steps once in order (an attempt without steps
    keeps NULL, the empty state)."""
    rows = connection.execute(
        sa.select(steps.c.attempt_id, steps.c.action, steps.c.slot, steps.c.response).order_by(
            steps.c.attempt_id, steps.c.seq
        )
    )
    update = attempts.update().where(attempts.c.id == sa.bindparam("key"))
    update = update.values(progress=sa.bindparam("folded"))
    folded = []
    for key, log in groupby(rows, key=lambda row: row[0]):
        folded.append({"key": key, "folded": _fold(row[1:] for row in log)})
    for first in range(0, len(folded), batch):
        connection.execute(update, folded[first : first + batch])


# Plain ALTER TABLE, no batch copy: on SQLite, copying the attempts table would drop the old
# one, and with foreign keys on that deletes every step and result through their cascades.
# The column stays nullable for the same reason; a NULL reads as the empty state.


def upgrade():
    op.add_column("attempts", sa.Column("progress", sa.JSON(), nullable=True))
    _backfill(op.get_bind())


def downgrade():
    op.drop_column("attempts", "progress")
