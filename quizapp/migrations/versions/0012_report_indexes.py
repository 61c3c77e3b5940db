"""covering indexes for the reports, and each result's stored question identity

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = {
    "attempts": {
        "ix_attempts_user_summary": [
            "user_id",
            "state",
            "kind",
            "fraction",
            "started_at",
            "finished_at",
        ],
        "ix_attempts_version_summary": [
            "quiz_version_id",
            "state",
            "user_id",
            "fraction",
            "started_at",
            "finished_at",
        ],
    },
    "question_results": {
        "ix_question_results_attempt_item": ["attempt_id", "item_key", "fraction"],
        "ix_question_results_item": ["item_key", "question_id"],
    },
    "fact_reviews": {"ix_fact_reviews_user_fact_fraction": ["user_id", "fact_id", "fraction"]},
    "fact_cards": {"ix_fact_cards_user_fact_due": ["user_id", "fact_id", "due"]},
}


def _backfill_item_keys():
    """core.stats.item_key in SQL: the bank version, else the type and the facts as JSON."""
    results = sa.table(
        "question_results",
        sa.column("question_id", sa.String),
        sa.column("question_type", sa.String),
        sa.column("fact_ids", sa.JSON),
        sa.column("item_key", sa.Text),
    )
    generated = results.c.question_type + sa.literal(" ") + sa.cast(results.c.fact_ids, sa.Text)
    op.execute(
        results.update().values(
            item_key=sa.case(
                (results.c.question_id.like("bank:%"), results.c.question_id), else_=generated
            )
        )
    )


def upgrade():
    with op.batch_alter_table("question_results") as batch_op:
        batch_op.add_column(sa.Column("item_key", sa.Text(), nullable=True))
    _backfill_item_keys()
    with op.batch_alter_table("question_results") as batch_op:
        batch_op.alter_column("item_key", existing_type=sa.Text(), nullable=False)
    for table, indexes in INDEXES.items():
        with op.batch_alter_table(table) as batch_op:
            for name, columns in indexes.items():
                batch_op.create_index(name, columns, unique=False)


def downgrade():
    for table, indexes in INDEXES.items():
        with op.batch_alter_table(table) as batch_op:
            for name in indexes:
                batch_op.drop_index(name)
    with op.batch_alter_table("question_results") as batch_op:
        batch_op.drop_column("item_key")
