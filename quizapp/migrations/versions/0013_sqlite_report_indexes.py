"""SQLite only: covering indexes for the scores listing and the confusion per fact

SQLite keeps an attempt's frozen questions inline, before its score columns, so a scan of
scores walks every question's overflow pages; PostgreSQL stores them out of line (TOAST)
and needs neither index. PostgreSQL's json type has no B-tree order for the second.

Revision ID: 0013
Revises: 0012
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEXES = {
    "attempts": {
        "ix_attempts_listing": [
            "id",
            "user_id",
            "kind",
            "title",
            "quiz_version_id",
            "state",
            "started_at",
            "finished_at",
            "fraction",
            "score",
            "grade_max",
        ],
    },
    "question_results": {
        "ix_question_results_question_response": ["question_id", "response", "fraction"],
    },
}


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, indexes in INDEXES.items():
        with op.batch_alter_table(table) as batch_op:
            for name, columns in indexes.items():
                batch_op.create_index(name, columns, unique=False)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, indexes in INDEXES.items():
        with op.batch_alter_table(table) as batch_op:
            for name in indexes:
                batch_op.drop_index(name)
