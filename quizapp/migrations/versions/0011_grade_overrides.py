"""grades overridden by hand, one per trainee and quiz

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "grade_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("fraction", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_grade_overrides_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["quizzes.id"],
            name=op.f("fk_grade_overrides_quiz_id_quizzes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["users.id"],
            name=op.f("fk_grade_overrides_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_overrides")),
        sa.UniqueConstraint("user_id", "quiz_id", name=op.f("uq_grade_overrides_user_id")),
    )
    with op.batch_alter_table("grade_overrides") as batch_op:
        batch_op.create_index(batch_op.f("ix_grade_overrides_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grade_overrides_quiz_id"), ["quiz_id"], unique=False)


def downgrade():
    with op.batch_alter_table("grade_overrides") as batch_op:
        batch_op.drop_index(batch_op.f("ix_grade_overrides_quiz_id"))
        batch_op.drop_index(batch_op.f("ix_grade_overrides_user_id"))
    op.drop_table("grade_overrides")
