"""quizzes assigned to cohorts

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["quizzes.id"],
            name=op.f("fk_assignments_quiz_id_quizzes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
            name=op.f("fk_assignments_cohort_id_cohorts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_assignments_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint("quiz_id", "cohort_id", name=op.f("uq_assignments_quiz_id")),
    )
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_quiz_id"), ["quiz_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_cohort_id"), ["cohort_id"], unique=False)


def downgrade():
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_cohort_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_quiz_id"))
    op.drop_table("assignments")
