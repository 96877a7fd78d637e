"""process designer: model origin, publisher and note, saved problems; throw-away trial cases

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import engine.storage.tables

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("model_versions") as batch:
        batch.add_column(sa.Column("origin", sa.String(12), nullable=False, server_default="repository"))
        batch.add_column(sa.Column("published_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch.add_column(sa.Column("problems", sa.JSON(), nullable=False, server_default="[]"))
        batch.create_foreign_key("fk_model_versions_published_by", "users", ["published_by"], ["id"])
    # Versions someone uploaded before origins were recorded came from a person, not the repository.
    op.execute("UPDATE model_versions SET origin = 'upload' WHERE created_by IS NOT NULL")
    op.create_table(
        "model_trials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_version_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("now", engine.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("path", sa.JSON(), nullable=False),
        sa.Column("spec_json", sa.Text(), nullable=True),
        sa.Column("state", sa.Text(), nullable=True),
        sa.Column("created_at", engine.storage.tables.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["model_version_id"], ["model_versions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["region"], ["regions.key"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("model_trials") as batch:
        batch.create_index(batch.f("ix_model_trials_region"), ["region"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("model_trials") as batch:
        batch.drop_index(batch.f("ix_model_trials_region"))
    op.drop_table("model_trials")
    with op.batch_alter_table("model_versions") as batch:
        batch.drop_constraint("fk_model_versions_published_by", type_="foreignkey")
        batch.drop_column("problems")
        batch.drop_column("note")
        batch.drop_column("published_by")
        batch.drop_column("origin")
